//go:build cgo || ci

// Command fynefloor is the desktop benchmark's floor: the smallest Fyne
// app, one window of Newswatch's size with one label, whose idle CPU and
// memory under the same Xvfb show what Fyne, GLFW and software OpenGL
// cost before Newswatch adds anything. `make bench` builds and runs it.
package main

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"
)

func main() {
	a := app.NewWithID("org.codeberg.newswatch.fynefloor")
	w := a.NewWindow("Fyne floor")
	w.SetContent(widget.NewLabel("An idle Fyne window"))
	w.Resize(fyne.NewSize(1200, 760))
	w.ShowAndRun()
}
