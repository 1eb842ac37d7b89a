package perms

// Regenerate with `go generate ./...` after editing ../catalog/permcat.yaml.
// With the tool directive in go.mod, `go tool permcat generate …` works too.

//go:generate go run github.com/permcat/permcat/cmd/permcat generate ../catalog --go . --go-package perms
