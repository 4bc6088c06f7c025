//go:build race

package monitor_test

// raceDetector is set when the tests run with -race, which makes the pure-Go
// SQLite some 20 times slower: the largest inputs shrink then, and the full
// sizes run in make test's separate run without -race.
const raceDetector = true
