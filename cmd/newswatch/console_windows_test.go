package main

import (
	"strings"
	"testing"

	"golang.org/x/sys/windows"
)

func TestWindowsDesktopStart(t *testing.T) {
	for args, want := range map[string]bool{
		"":                                true,
		"--minimized":                     true,
		"--demo":                          true,
		"-minimized --data C:\\Daten":     true,
		"--data=C:\\Daten -demo":          true,
		"-data=C:\\Daten":                 true,
		"--data":                          false,
		"check":                           false,
		"data":                            false,
		"version":                         false,
		"--version":                       false,
		"--help":                          false,
		"--data C:\\Daten export":         false,
		"--minimized check":               false,
		"--data C:\\Daten --unknown-flag": false,
	} {
		if got := desktopStart(strings.Fields(args)); got != want {
			t.Errorf("desktopStart(%q) = %v, want %v", args, got, want)
		}
	}
}

// Under go test the standard handles are pipes or a console, so nothing
// is attached or replaced.
func TestWindowsStandardHandlesKept(t *testing.T) {
	for _, id := range []uint32{windows.STD_OUTPUT_HANDLE, windows.STD_ERROR_HANDLE} {
		if !validHandle(id) {
			t.Errorf("standard handle %d is not valid under go test", int32(id))
		}
	}
}
