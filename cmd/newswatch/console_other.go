//go:build !windows

package main

import "codeberg.org/newswatch/newswatch/cli"

// useConsole has nothing to do where programs have standard output (see
// console_windows.go).
func useConsole(*cli.Command, error) {}
