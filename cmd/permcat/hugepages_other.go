//go:build !linux

package main

// hugePageHeap is a no-op where transparent huge pages are not Linux's.
func hugePageHeap() {}
