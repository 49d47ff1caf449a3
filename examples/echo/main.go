// Command echo serves a small JSON API with github.com/labstack/echo/v4, letting the browser app on
// http://localhost:3000 call it with credentials.
//
//	go run ./echo -addr :8080 -origins http://localhost:3000
//
// Install the middleware with e.Pre, which runs before routing, for every request. Middleware added with e.Use
// runs after the router has chosen a handler, and group middleware (g.Use) only wraps that group's routes: echo
// answers an OPTIONS to a group route itself (204 with an Allow header), so the preflight gets no CORS headers.
package main

import (
	"flag"
	"log"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

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
	e.HideBanner = true
	e.Server.ReadHeaderTimeout = 10 * time.Second
	log.Printf("API on %s, allowing %s", *addr, *origins)
	log.Fatal(e.Start(*addr))
}

// newHandler returns the echo instance with the CORS middleware installed before routing.
func newHandler(origins []string) (*echo.Echo, error) {
	c, err := cors.New(cors.Options{
		AllowedOrigins:   origins,
		AllowedMethods:   []string{http.MethodGet, http.MethodPut},
		AllowedHeaders:   []string{"Content-Type"},
		AllowCredentials: true,
		MaxAge:           2 * time.Hour,
	})
	if err != nil {
		return nil, err
	}

	e := echo.New()
	e.Pre(echo.WrapMiddleware(c.Handler)) // Pre, not Use: before routing
	e.GET("/items/:id", getItem)
	e.PUT("/items/:id", putItem)
	return e, nil
}

func getItem(ctx echo.Context) error {
	// Keep the "Vary: Origin" the middleware set, on the same line: caches such as nginx up to 1.22
	// read only the last Vary line. (Set alone would drop Origin; Add would start a second line.)
	h := ctx.Response().Header()
	h.Set("Vary", strings.Join(append(h.Values("Vary"), "Accept-Encoding"), ", "))
	return ctx.JSON(http.StatusOK, map[string]any{"id": ctx.Param("id")})
}

func putItem(ctx echo.Context) error {
	return ctx.JSON(http.StatusOK, map[string]any{"id": ctx.Param("id"), "updated": true})
}
