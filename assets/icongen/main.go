// Command icongen draws Newswatch's icons as PNG files in assets/: the app
// icon and the two tray icons the binary embeds, and the app icon in the
// sizes of the freedesktop hicolor theme for installing
// (assets/icons/hicolor/<n>x<n>/apps/org.codeberg.newswatch.png). Run it
// from the repository root with `go run ./assets/icongen` after changing
// the design; the PNGs are committed so a build needs no drawing step.
//
// From 48 px up the icons are the 512 px design scaled. Below that it
// would blur, so 16, 22, 24 and 32 px have their own designs in whole
// pixels: the same page and magnifying glass with fewer, sharper lines.
package main

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"log"
	"math"
	"os"
	"path/filepath"
)

type rgba struct{ r, g, b, a float64 }

var (
	navy   = rgba{0.09, 0.26, 0.45, 1}
	white  = rgba{1, 1, 1, 1}
	paper  = rgba{0.86, 0.91, 0.97, 1}
	orange = rgba{0.96, 0.42, 0.10, 1}
)

// shape reports whether the point (in a 0..1 square) is inside.
type shape func(x, y float64) bool

func roundedRect(x0, y0, x1, y1, r float64) shape {
	return func(x, y float64) bool {
		cx := math.Max(x0+r, math.Min(x, x1-r))
		cy := math.Max(y0+r, math.Min(y, y1-r))
		return x >= x0 && x <= x1 && y >= y0 && y <= y1 && math.Hypot(x-cx, y-cy) <= r
	}
}

func ring(cx, cy, r, w float64) shape {
	return func(x, y float64) bool {
		d := math.Hypot(x-cx, y-cy)
		return d <= r && d >= r-w
	}
}

func disc(cx, cy, r float64) shape {
	return func(x, y float64) bool { return math.Hypot(x-cx, y-cy) <= r }
}

func capsule(ax, ay, bx, by, r float64) shape {
	return func(x, y float64) bool {
		dx, dy := bx-ax, by-ay
		t := math.Max(0, math.Min(1, ((x-ax)*dx+(y-ay)*dy)/(dx*dx+dy*dy)))
		return math.Hypot(x-(ax+t*dx), y-(ay+t*dy)) <= r
	}
}

type layer struct {
	s shape
	c rgba
}

func draw(size int, layers []layer) *image.NRGBA {
	return drawSS(size, layers, 4)
}

// drawSS draws with ss×ss samples per pixel.
func drawSS(size int, layers []layer, ss int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	for py := 0; py < size; py++ {
		for px := 0; px < size; px++ {
			var acc rgba
			for sy := 0; sy < ss; sy++ {
				for sx := 0; sx < ss; sx++ {
					x := (float64(px) + (float64(sx)+0.5)/float64(ss)) / float64(size)
					y := (float64(py) + (float64(sy)+0.5)/float64(ss)) / float64(size)
					c := rgba{}
					for _, l := range layers {
						if l.s(x, y) {
							c = l.c
						}
					}
					acc.r += c.r * c.a
					acc.g += c.g * c.a
					acc.b += c.b * c.a
					acc.a += c.a
				}
			}
			n := float64(ss * ss)
			if acc.a == 0 {
				continue
			}
			img.SetNRGBA(px, py, color.NRGBA{
				R: uint8(acc.r / acc.a * 255), G: uint8(acc.g / acc.a * 255), B: uint8(acc.b / acc.a * 255),
				A: uint8(acc.a / n * 255),
			})
		}
	}
	return img
}

func icon(alert bool, tray bool) []layer {
	ls := []layer{}
	if !tray {
		ls = append(ls, layer{roundedRect(0.04, 0.04, 0.96, 0.96, 0.2), navy})
	} else {
		ls = append(ls, layer{disc(0.5, 0.5, 0.48), navy})
	}
	// A page of news under a magnifying glass.
	ls = append(ls,
		layer{roundedRect(0.22, 0.2, 0.66, 0.74, 0.05), paper},
		layer{capsule(0.3, 0.32, 0.58, 0.32, 0.025), navy},
		layer{capsule(0.3, 0.42, 0.52, 0.42, 0.02), navy},
		layer{capsule(0.3, 0.5, 0.48, 0.5, 0.02), navy},
		layer{disc(0.58, 0.58, 0.15), rgba{0.09, 0.26, 0.45, 0.55}},
		layer{ring(0.58, 0.58, 0.17, 0.055), white},
		layer{capsule(0.7, 0.7, 0.8, 0.8, 0.045), white},
	)
	if alert {
		ls = append(ls, layer{disc(0.8, 0.2, 0.2), white}, layer{disc(0.8, 0.2, 0.16), orange})
	}
	return ls
}

// inPixels turns a shape drawn in pixels of a size×size icon into one in the
// unit square, moved by (dx, dy) pixels.
func inPixels(size, dx, dy float64, s shape) shape {
	return func(x, y float64) bool { return s(x*size-dx, y*size-dy) }
}

func rect(x0, y0, x1, y1 float64) shape {
	return func(x, y float64) bool { return x >= x0 && x < x1 && y >= y0 && y < y1 }
}

// small is the app icon for 16 to 32 px, drawn in pixels on a grid of
// grid×grid pixels (16, 22 or 32) and placed at (off, off) in a
// size×size image: the page's edges and its lines fall on whole pixels,
// and the glass has a dark rim where it lies on the page.
func small(size, grid, off int) []layer {
	type design struct {
		radius                 float64    // of the background's corners
		page                   [4]float64 // x0, y0, x1, y1
		pageRadius             float64
		lines                  [][4]float64
		cx, cy, r, ring, rim   float64 // the glass: centre, outer radius, white ring, dark rim
		hx0, hy0, hx1, hy1, hw float64 // the handle
	}
	d := map[int]design{
		16: {radius: 3, page: [4]float64{2, 2, 10, 13}, pageRadius: 0.8,
			lines: [][4]float64{{4, 4, 9, 5}, {4, 6, 8, 7}, {4, 8, 6, 9}},
			cx:    10.5, cy: 10.5, r: 3.5, ring: 1.5, rim: 1,
			hx0: 13, hy0: 13, hx1: 14.3, hy1: 14.3, hw: 1},
		22: {radius: 4.5, page: [4]float64{3, 3, 14, 18}, pageRadius: 1,
			lines: [][4]float64{{5, 5, 12, 7}, {5, 9, 11, 10}, {5, 11, 9, 12}},
			cx:    13.5, cy: 13.5, r: 5.5, ring: 2, rim: 1,
			hx0: 17.5, hy0: 17.5, hx1: 19.2, hy1: 19.2, hw: 1.4},
		32: {radius: 6.5, page: [4]float64{5, 4, 20, 25}, pageRadius: 1.5,
			lines: [][4]float64{{8, 8, 18, 10}, {8, 12, 16, 14}, {8, 16, 14, 17}},
			cx:    19, cy: 19, r: 7, ring: 2.5, rim: 1,
			hx0: 24, hy0: 24, hx1: 27.5, hy1: 27.5, hw: 2},
	}[grid]
	g := float64(grid)
	p := func(s shape) shape { return inPixels(float64(size), float64(off), float64(off), s) }
	ls := []layer{
		{p(roundedRect(0, 0, g, g, d.radius)), navy},
		{p(roundedRect(d.page[0], d.page[1], d.page[2], d.page[3], d.pageRadius)), paper},
	}
	for _, l := range d.lines {
		ls = append(ls, layer{p(rect(l[0], l[1], l[2], l[3])), navy})
	}
	return append(ls,
		layer{p(disc(d.cx, d.cy, d.r+d.rim)), navy},
		layer{p(capsule(d.hx0, d.hy0, d.hx1, d.hy1, d.hw+d.rim)), navy},
		layer{p(ring(d.cx, d.cy, d.r, d.ring)), white},
		layer{p(capsule(d.hx0, d.hy0, d.hx1, d.hy1, d.hw)), white},
	)
}

// appIcon is the app icon in one size.
func appIcon(size int) *image.NRGBA {
	switch size {
	case 16, 22, 32:
		return drawSS(size, small(size, size, 0), 8)
	case 24:
		return drawSS(size, small(size, 22, 1), 8)
	}
	return draw(size, icon(false, false))
}

// iconSizes are the hicolor sizes installed.
var iconSizes = []int{16, 22, 24, 32, 48, 64, 128, 256, 512}

// appID names the installed icon (as in FyneApp.toml).
const appID = "org.codeberg.newswatch"

func write(path string, img image.Image) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		log.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		log.Fatal(err)
	}
}

func main() {
	dir := "assets"
	write(filepath.Join(dir, "icon.png"), draw(512, icon(false, false)))
	write(filepath.Join(dir, "tray.png"), draw(64, icon(false, true)))
	write(filepath.Join(dir, "tray-alert.png"), draw(64, icon(true, true)))
	for _, n := range iconSizes {
		write(filepath.Join(dir, "icons", "hicolor", fmt.Sprintf("%dx%d", n, n), "apps", appID+".png"), appIcon(n))
	}
}
