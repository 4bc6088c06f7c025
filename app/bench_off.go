//go:build !bench

package app

// The benchmarks (cmd/bench) build the app with -tags bench, which adds
// measuring hooks (bench_on.go); in the product they are nothing.

func traceFirstTimeline(stories int) {}

func startBenchHooks(u *UI) {}
