// Command gin serves a small JSON API with github.com/gin-gonic/gin, letting the browser app on
// http://localhost:3000 call it with credentials.
//
//	go run ./gin -addr :8080 -origins http://localhost:3000
//
// gin's engine.Use middleware runs for every request, including the 404 and 405 chains, so CORS is an ordinary
// gin middleware built on Apply. After a preflight the chain must be aborted, or gin goes on to run whatever
// handler the route has for OPTIONS (r.Any, r.OPTIONS, a NoRoute handler) after the preflight was answered.
package main

import (
	"flag"
	"log"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/crossorigin/cors"
)

func main() {
	addr := flag.String("addr", ":8080", "address to listen on")
	origins := flag.String("origins", "http://localhost:3000", "comma-separated origins allowed to call the API")
	flag.Parse()

	h, err := newHandler(strings.Split(*origins, ","))
	if err != nil {
		log.Fatal(err)
	}
	srv := &http.Server{Addr: *addr, Handler: h, ReadHeaderTimeout: 10 * time.Second}
	log.Printf("API on %s, allowing %s", *addr, *origins)
	log.Fatal(srv.ListenAndServe())
}

// corsMiddleware adapts the CORS middleware to gin: Apply sets the headers, and answers a preflight completely.
func corsMiddleware(c *cors.Cors) gin.HandlerFunc {
	return func(ctx *gin.Context) {
		if c.Apply(ctx.Writer, ctx.Request) {
			ctx.Abort() // preflight answered: run nothing else
			return
		}
		ctx.Next()
	}
}

// newHandler returns the gin engine with the CORS middleware installed.
func newHandler(origins []string) (*gin.Engine, error) {
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

	r := gin.New()
	r.HandleMethodNotAllowed = true // 405, not 404, for POST /items/1
	r.Use(corsMiddleware(c), gin.Recovery())
	r.GET("/items/:id", getItem)
	r.PUT("/items/:id", putItem)
	return r, nil
}

func getItem(ctx *gin.Context) {
	// Keep the "Vary: Origin" the middleware set, on the same line: caches such as nginx up to 1.22
	// read only the last Vary line. (Set alone would drop Origin; Add would start a second line.)
	h := ctx.Writer.Header()
	h.Set("Vary", strings.Join(append(h.Values("Vary"), "Accept-Encoding"), ", "))
	ctx.JSON(http.StatusOK, gin.H{"id": ctx.Param("id")})
}

func putItem(ctx *gin.Context) {
	ctx.JSON(http.StatusOK, gin.H{"id": ctx.Param("id"), "updated": true})
}
