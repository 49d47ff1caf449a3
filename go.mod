module github.com/crossorigin/cors

go 1.24

require golang.org/x/net v0.50.0
