// Command fiberv3 serves a small JSON API with github.com/gofiber/fiber/v3, letting the browser app on
// http://localhost:3000 call it with credentials.
//
//	go run ./fiberv3 -addr :8080 -origins http://localhost:3000
//
// fiber runs on fasthttp, not net/http, so the net/http middleware goes through fiber's own adaptor
// (adaptor.HTTPMiddleware): it converts the request, runs c.Handler, copies the headers it set onto the fasthttp
// response, and calls the next fiber handler only if c.Handler called next — so a preflight stops there.
// app.Use must come before the routes: fiber runs handlers in registration order, and a route handler that
// answers does not call the ones registered after it.
//
// Differences from fiber v2 that matter here: handlers take the fiber.Ctx interface (not *fiber.Ctx),
// Listen and Listener take a fiber.ListenConfig (the startup message is switched off there), and the adaptor
// lives at github.com/gofiber/fiber/v3/middleware/adaptor.
package main

import (
	"flag"
	"log"
	"net/http"
	"strings"
	"time"

	"github.com/gofiber/fiber/v3"
	"github.com/gofiber/fiber/v3/middleware/adaptor"

	"github.com/crossorigin/cors"
)

func main() {
	addr := flag.String("addr", ":8080", "address to listen on")
	origins := flag.String("origins", "http://localhost:3000", "comma-separated origins allowed to call the API")
	flag.Parse()

	app, err := newApp(strings.Split(*origins, ","))
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("API on %s, allowing %s", *addr, *origins)
	log.Fatal(app.Listen(*addr, fiber.ListenConfig{DisableStartupMessage: true}))
}

// newApp returns the fiber app with the CORS middleware installed before every route.
func newApp(origins []string) (*fiber.App, error) {
	c, err := newCORS(origins)
	if err != nil {
		return nil, err
	}
	app := fiber.New(fiber.Config{ReadTimeout: 10 * time.Second})
	app.Use(adaptor.HTTPMiddleware(c.Handler)) // first, before any route
	app.Get("/items/:id", getItem)
	app.Put("/items/:id", putItem)
	return app, nil
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

func getItem(ctx fiber.Ctx) error {
	// ctx.Vary appends; ctx.Set("Vary", …) would drop the "Vary: Origin" the middleware added.
	ctx.Vary("Accept-Encoding")
	return ctx.JSON(fiber.Map{"id": ctx.Params("id")})
}

func putItem(ctx fiber.Ctx) error {
	return ctx.JSON(fiber.Map{"id": ctx.Params("id"), "updated": true})
}
