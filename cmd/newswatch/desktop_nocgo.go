//go:build !cgo && !ci

package main

import (
	"errors"

	"codeberg.org/newswatch/newswatch/cli"
	"codeberg.org/newswatch/newswatch/monitor"
)

// desktop is absent from a build without cgo: Fyne's desktop driver (GLFW,
// OpenGL) needs it. Such a build is the command line alone; `make build`
// and `make windows` build with cgo.
func desktop(*monitor.Service, string, *cli.Command) error {
	return errNoDesktop
}

var errNoDesktop = errors.New("this newswatch was built without cgo, so it has no desktop app; use a subcommand (newswatch help), or build it with CGO_ENABLED=1")

// teamStartError: a build without the desktop app has only the error
// main prints.
func teamStartError(error, string) {}
