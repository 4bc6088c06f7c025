//go:build !linux

// Command bench measures Newswatch's performance on Linux; see main.go. It
// reads CPU time and memory through /proc and getrusage, drops pages from
// the file cache with fadvise, and times the desktop app under Xvfb, so on
// other systems it only says so.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "bench: the benchmarks measure through Linux's /proc and getrusage and run on Linux only")
	os.Exit(2)
}
