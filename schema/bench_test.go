package schema_test

import (
	"testing"

	"github.com/permcat/permcat/internal/synth"
	"github.com/permcat/permcat/schema"
)

func benchCompile(b *testing.B, n int) {
	dir, err := synth.Write(b.TempDir(), synth.Options{Seed: 1, Permissions: n, Conditions: 4, Roles: 20, Profiles: 4, Scopes: 2, MaxDepth: 3, Presets: true, Formerly: true, Deprecated: true})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, errs := schema.Compile(dir, schema.Options{}); errs.HasErrors() {
			b.Fatal(errs)
		}
	}
}

// Validation (load + schema + resolve) of a 10,000-permission catalog must
// stay well under a second.
func BenchmarkCompile1k(b *testing.B)   { benchCompile(b, 1_000) }
func BenchmarkCompile10k(b *testing.B)  { benchCompile(b, 10_000) }
func BenchmarkCompile100k(b *testing.B) { benchCompile(b, 100_000) }
