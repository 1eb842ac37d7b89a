module example.com/consumer

go 1.26.0

// permcat is a tool of this module: `go tool permcat …` runs it, and
// `go run github.com/permcat/permcat/cmd/permcat …` resolves it here too.
tool github.com/permcat/permcat/cmd/permcat

require (
	github.com/dave/jennifer v1.7.1 // indirect
	github.com/permcat/permcat v0.0.0 // indirect
	github.com/santhosh-tekuri/jsonschema/v5 v5.3.1 // indirect
	github.com/spf13/pflag v1.1.0 // indirect
	go.yaml.in/yaml/v3 v3.0.6 // indirect
)

replace github.com/permcat/permcat => ../..
