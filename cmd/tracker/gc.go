package main

import (
	"os"
	"runtime/debug"
)

// serverGCPercent is the collector's target for `tracker serve` when GOGC is not set.
// A server's live heap is small (20-40 MB) and every page allocates its rows and HTML
// afresh, so with Go's default (100) a fifth of the CPU under load went to collecting;
// 400 lets the heap grow to about five times the live data before a collection
// (peak RSS about 100 MB on the bench, against its 200 MB limit).
const serverGCPercent = 400

// serverMemoryLimit makes the collector work harder before the process grows past
// this, whatever GOGC allows, when GOMEMLIMIT is not set.
const serverMemoryLimit = 512 << 20

// tuneGC sets the server's collector targets unless the operator set them.
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(serverGCPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(serverMemoryLimit)
	}
}
