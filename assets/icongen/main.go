// Command icongen draws Newswatch's icons (the app icon and the two tray
// icons) as PNG files in assets/. Run it from the repository root with
// `go run ./assets/icongen` after changing the design; the PNGs are
// committed so a build needs no drawing step.
package main

import (
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
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	const ss = 4 // supersampling per axis
	for py := 0; py < size; py++ {
		for px := 0; px < size; px++ {
			var acc rgba
			for sy := 0; sy < ss; sy++ {
				for sx := 0; sx < ss; sx++ {
					x := (float64(px) + (float64(sx)+0.5)/ss) / float64(size)
					y := (float64(py) + (float64(sy)+0.5)/ss) / float64(size)
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

func write(path string, img image.Image) {
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
}
