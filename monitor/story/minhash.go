package story

import (
	"encoding/binary"
	"math"
)

// FNV-1a, 64 bits (as hash/fnv), over strings without converting them.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func fnvString(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * fnvPrime
	}
	return h
}

func fnvBytes(h uint64, b []byte) uint64 {
	for _, c := range b {
		h = (h ^ uint64(c)) * fnvPrime
	}
	return h
}

// MinHash: Bands × Rows hash functions over the text's three-word
// shingles; each band's rows hash to one key. Two texts agree in a band
// with probability J^Rows (J their Jaccard resemblance): at J = 0.85 about
// 6 of 10 bands agree, at J = 0.5 about one. NearDupBands agreeing bands
// make a near-duplicate.
const (
	Bands        = 10
	Rows         = 3
	NearDupBands = 4
	shingle      = 3
	minShingles  = 8
)

// The hash functions are h·a+b (mod 2^64) with fixed odd multipliers.
var mhA, mhB = func() (a, b [Bands * Rows]uint64) {
	x := uint64(0x9e3779b97f4a7c15)
	next := func() uint64 { // splitmix64
		x += 0x9e3779b97f4a7c15
		z := x
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
		z = (z ^ (z >> 27)) * 0x94d049bb133111eb
		return z ^ (z >> 31)
	}
	for i := range a {
		a[i] = next() | 1
		b[i] = next()
	}
	return
}()

// minhashBands returns the band keys of the tokens' shingles; none when
// there are fewer than minShingles.
func minhashBands(toks []token) []uint64 {
	if len(toks) < shingle+minShingles-1 {
		return nil
	}
	var mins [Bands * Rows]uint64
	for i := range mins {
		mins[i] = math.MaxUint64
	}
	for i := 0; i+shingle <= len(toks); i++ {
		// FNV-1a of the words, each followed by a 0 byte.
		s := uint64(fnvOffset)
		for _, t := range toks[i : i+shingle] {
			s = fnvString(s, t.folded)
			s = (s ^ 0) * fnvPrime
		}
		for j := range mins {
			if v := s*mhA[j] + mhB[j]; v < mins[j] {
				mins[j] = v
			}
		}
	}
	out := make([]uint64, Bands)
	var buf [8 + 8*Rows]byte
	for b := range Bands {
		binary.LittleEndian.PutUint64(buf[:8], uint64(b)+0x6d68) // "mh" and the band
		for r := range Rows {
			binary.LittleEndian.PutUint64(buf[8+8*r:], mins[b*Rows+r])
		}
		out[b] = fnvBytes(fnvOffset, buf[:]) | 1
	}
	return out
}
