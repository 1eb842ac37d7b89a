package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"syscall"
	"unsafe"
)

// hugePageHeap asks Linux to back the first part of the heap with
// transparent huge pages. The Go runtime no longer does (since Go 1.21.1),
// so where THP is in its default "madvise" mode every 4KB of heap costs
// a page fault on first touch. A 100k-permission run touches some 700MB:
// 170,000 faults, which on a virtual machine cost up to 12µs each, a third
// of the run's CPU. With 2MB pages it takes about 35,000, and the run is a
// third faster (BENCHMARKS.md).
//
// The runtime hands out heap memory lowest address first, so one large
// allocation made before anything else, advised and dropped at once,
// covers the addresses the run then allocates from. It is collected at
// once, before anything else is allocated (left to a background cycle, the
// loader's first allocations would race it to fresh 4KB pages), and never
// written: fresh memory from the kernel is known to be zero, so it costs
// address space, not memory, and a few milliseconds of a small run.
// It is kept to two thirds of the memory limit (512MB under permcat's
// own), since freed pages count toward the limit until they are
// returned. PERMCAT_HUGEPAGES=0 turns this off.
func hugePageHeap() {
	if os.Getenv("PERMCAT_HUGEPAGES") == "0" || !roomToReserve() {
		return
	}
	size := int64(512 << 20)
	if limit := debug.SetMemoryLimit(-1); limit/3*2 < size {
		size = limit / 3 * 2
	}
	if size < 64<<20 {
		return
	}
	b := make([]byte, size)
	_ = syscall.Madvise(b, syscall.MADV_HUGEPAGE) // an error (no THP) changes nothing
	b = nil
	runtime.GC()
}

// roomToReserve reports whether reserving address space cannot fail: the
// runtime does not return an error when it cannot map memory, it ends the
// process. So no reservation on a 32-bit platform, under a limit on
// address space (ulimit -v), or where the kernel refuses to overcommit.
func roomToReserve() bool {
	if unsafe.Sizeof(uintptr(0)) < 8 {
		return false
	}
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_AS, &lim); err != nil || lim.Cur != ^uint64(0) {
		return false
	}
	mode, err := os.ReadFile("/proc/sys/vm/overcommit_memory")
	return err == nil && strings.TrimSpace(string(mode)) != "2"
}
