// Command echov5 serves a small JSON API with github.com/labstack/echo/v5, letting the browser app on
// http://localhost:3000 call it with credentials.
//
//	go run ./echov5 -addr :8080 -origins http://localhost:3000
//
// Install the middleware on the Echo instance, before routing, with e.Pre: it then runs for every request,
// including the ones other Pre middleware answer by themselves, such as a trailing-slash redirect (e.Use runs
// after those). Never install it as route middleware (e.PUT(path, h, mw)): that wraps one method's handler, and
// the preflight — an OPTIONS — is answered by echo's own OPTIONS handler (204 and an Allow header) without CORS
// headers, so the browser never sends the PUT. See TestEchoV5CORSMustBeAPreMiddleware.
//
// Differences from echo v4 that matter here: handlers take *echo.Context, and hiding the banner or setting
// server timeouts goes through an echo.StartConfig. Echo's own middleware.CORS now takes exact origins or "*"
// only; subdomain patterns need UnsafeAllowOriginFunc, a hand-written check. This package's patterns
// ("https://*.example.com") replace both, with the same one-line install: e.Pre(echo.WrapMiddleware(c.Handler)).
package main

import (
	"context"
	"errors"
	"flag"
	"log"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/labstack/echo/v5"

	"github.com/crossorigin/cors"
)

func main() {
	addr := flag.String("addr", ":8080", "address to listen on")
	origins := flag.String("origins", "http://localhost:3000", "comma-separated origins allowed to call the API")
	flag.Parse()

	e, err := newHandler(strings.Split(*origins, ","))
	if err != nil {
		log.Fatal(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	sc := echo.StartConfig{
		Address:    *addr,
		HideBanner: true,
		BeforeServeFunc: func(s *http.Server) error {
			s.ReadHeaderTimeout = 10 * time.Second
			return nil
		},
	}
	log.Printf("API on %s, allowing %s", *addr, *origins)
	if err := sc.Start(ctx, e); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}

// newHandler returns the echo instance with the CORS middleware installed before routing.
func newHandler(origins []string) (*echo.Echo, error) {
	c, err := newCORS(origins)
	if err != nil {
		return nil, err
	}
	e := echo.New()
	e.Pre(echo.WrapMiddleware(c.Handler)) // Pre: before routing, for every request
	e.GET("/items/:id", getItem)
	e.PUT("/items/:id", putItem)
	return e, nil
}

// newCORS is the policy of the example: the app's origins, with credentials, may GET and PUT JSON.
func newCORS(origins []string) (*cors.Cors, error) {
	return cors.New(cors.Options{
		AllowedOrigins:   origins,
		AllowedMethods:   []string{http.MethodGet, http.MethodPut},
		AllowedHeaders:   []string{"Content-Type"},
		AllowCredentials: true,
		MaxAge:           2 * time.Hour,
	})
}

func getItem(ctx *echo.Context) error {
	// Keep the "Vary: Origin" the middleware set, on the same line: caches such as nginx up to 1.22
	// read only the last Vary line. (Set alone would drop Origin; Add would start a second line.)
	h := ctx.Response().Header()
	h.Set("Vary", strings.Join(append(h.Values("Vary"), "Accept-Encoding"), ", "))
	return ctx.JSON(http.StatusOK, map[string]any{"id": ctx.Param("id")})
}

func putItem(ctx *echo.Context) error {
	return ctx.JSON(http.StatusOK, map[string]any{"id": ctx.Param("id"), "updated": true})
}
