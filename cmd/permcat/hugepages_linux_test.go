package main

import (
	"syscall"
	"testing"
)

// The huge-page reservation must be skipped under any limit on address
// space: the runtime ends the process, rather than return an error, when
// it cannot map what it asked for. (A run under `ulimit -v 1500000`
// died at startup before.) The limit set here, 64GB, is finite but far
// above what the test needs.
func TestNoReservationUnderAnAddressSpaceLimit(t *testing.T) {
	var old syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_AS, &old); err != nil {
		t.Skip("no RLIMIT_AS here:", err)
	}
	if old.Cur == ^uint64(0) && !roomToReserve() {
		t.Skip("this machine has no room to reserve anyway (overcommit off)")
	}
	lim := old
	lim.Cur = 64 << 30
	if lim.Max < lim.Cur {
		t.Skip("the hard limit is below 64GB")
	}
	if err := syscall.Setrlimit(syscall.RLIMIT_AS, &lim); err != nil {
		t.Skip("cannot set RLIMIT_AS:", err)
	}
	defer syscall.Setrlimit(syscall.RLIMIT_AS, &old)
	if roomToReserve() {
		t.Error("a reservation would be made under a limit on address space")
	}
}
