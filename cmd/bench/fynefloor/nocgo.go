//go:build !cgo && !ci

// Command fynefloor needs Fyne's desktop driver, which is built with cgo;
// a build without it only says so (and lets go vet check other systems).
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "fynefloor: built without cgo, so without Fyne's desktop driver; build it with CGO_ENABLED=1")
	os.Exit(1)
}
