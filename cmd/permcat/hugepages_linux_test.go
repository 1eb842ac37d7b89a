package main

import (
	"os/exec"
	"path/filepath"
	"testing"
)

// The huge-page reservation must never cost a run that cannot reserve:
// under a limit on address space the runtime would end the process
// rather than return an error.
func TestACommandRunsUnderAnAddressSpaceLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command")
	}
	bin := filepath.Join(t.TempDir(), "permcat")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	// 1GB of address space: enough for a small run, not for the reservation.
	cmd := exec.Command("sh", "-c", "ulimit -v 1000000 && exec \"$0\" validate ../../examples/cutdry", bin)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("validate under ulimit -v: %v\n%s", err, out)
	}
}
