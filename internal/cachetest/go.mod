module github.com/crossorigin/cors/internal/cachetest

go 1.24.0

require (
	github.com/crossorigin/cors v0.0.0
	github.com/stretchr/testify v1.12.1
)

require (
	go.yaml.in/yaml/v3 v3.0.5 // indirect
	golang.org/x/net v0.50.0 // indirect
	golang.org/x/text v0.34.0 // indirect
)

replace github.com/crossorigin/cors => ../../
