module github.com/crossorigin/cors/internal/benchmarks

go 1.25.0

require (
	github.com/crossorigin/cors v0.0.0
	github.com/go-chi/cors v1.2.2
	github.com/gorilla/handlers v1.5.2
	github.com/jub0bs/cors v1.0.1
	github.com/rs/cors v1.11.1
	github.com/stretchr/testify v1.12.1
)

require (
	github.com/felixge/httpsnoop v1.0.3 // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
	golang.org/x/net v0.53.0 // indirect
	golang.org/x/text v0.36.0 // indirect
)

replace github.com/crossorigin/cors => ../..
