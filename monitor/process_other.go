//go:build !linux

package monitor

// processStart says when the process pid started; this system does not
// say, so marks of other processes are judged by their age.
func processStart(pid int) string { return "" }
