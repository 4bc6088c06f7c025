package story

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// TestMemIndexLookup checks the index against a plain list of postings:
// articles added in any order of their dates, one by one and in bulk,
// with some forgotten, give the same counts and postings (newest first)
// as counting them one by one.
func TestMemIndexLookup(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	base := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	type art struct {
		keys []uint64
		at   time.Time
	}
	arts := make([]art, 3000)
	for i := range arts {
		n := 1 + r.IntN(8)
		a := art{at: base.Add(time.Duration(r.IntN(200)) * time.Hour)}
		for range n {
			// Key 1 is in most articles; the others rarer and rarer.
			a.keys = append(a.keys, uint64(1+int(r.ExpFloat64()*30)))
		}
		slices.Sort(a.keys)
		a.keys = slices.Compact(a.keys)
		arts[i] = a
	}
	one, bulk, drafted := NewMemIndex(), NewMemIndex(), NewMemIndex()
	for i, a := range arts {
		one.Add(a.keys, int64(i+1), int64(i/3+1), a.at, Info{Size: uint8(len(a.keys))})
	}
	// Drafted ten at a time, then added through the drafts' slots.
	for start := 0; start < len(arts); start += 10 {
		var ds []Draft
		for _, a := range arts[start:min(start+10, len(arts))] {
			f := &Features{}
			for _, k := range a.keys {
				f.Terms = append(f.Terms, Term{Key: k})
			}
			ds = append(ds, drafted.Draft(f, a.at, "x.example"))
		}
		for k := range ds {
			i := start + k
			drafted.AddDrafted(&ds[k], int64(i+1), int64(i/3+1), arts[i].at, Info{Size: uint8(len(arts[i].keys))})
		}
	}
	bulk.Bulk(func(add func([]uint64, int64, int64, time.Time, Info)) {
		for i, a := range arts {
			add(a.keys, int64(i+1), int64(i/3+1), a.at, Info{Size: uint8(len(a.keys))})
		}
	})
	forget := base.Add(50 * time.Hour)
	check := func(name string, idx *MemIndex, forgotten bool) {
		t.Helper()
		for q := range 200 {
			keys := []uint64{1, uint64(1 + q%40), uint64(2 + q%90), 999}
			at := base.Add(time.Duration(q) * time.Hour)
			from, to := at.Add(-Window), at.Add(Window)
			counts, ps, _ := idx.Lookup(keys, from, to, Limit)
			var want []Posting
			for n, k := range keys {
				var mine []Posting
				for i := len(arts) - 1; i >= 0; i-- {
					a := arts[i]
					if a.at.Before(from) || a.at.After(to) || !slices.Contains(a.keys, k) || forgotten && a.at.Before(forget) {
						continue
					}
					mine = append(mine, Posting{Key: k, Article: int64(i + 1), Story: int64(i/3 + 1), At: a.at.UnixMilli(), Info: Info{Size: uint8(len(a.keys))}})
				}
				slices.SortStableFunc(mine, func(x, y Posting) int { return cmp.Compare(y.At, x.At) })
				if c := min(len(mine), Limit); counts[n] != c {
					t.Fatalf("%s: query %d, key %d: count %d, want %d", name, q, k, counts[n], c)
				}
				if len(mine) < Limit {
					want = append(want, mine...)
				}
			}
			if !slices.Equal(ps, want) {
				t.Fatalf("%s: query %d: postings differ:\n got %v\nwant %v", name, q, ps, want)
			}
		}
	}
	check("one by one", one, false)
	check("in bulk", bulk, false)
	check("drafted", drafted, false)
	one.Forget(forget)
	check("after forgetting", one, true)
}

// TestDraftConfirm: a draft stands while nothing that could change it is
// added; an article that shares a rare key with it makes Confirm decide
// again, and the decision is Assign's.
func TestDraftConfirm(t *testing.T) {
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	text := "Die Polizei hat am Sonntagmorgen in der Innenstadt von Leipzig einen 34 Jahre alten Mann festgenommen, " +
		"der zuvor mit einem Messer zwei Passanten verletzt haben soll. Die Verletzten wurden in ein Krankenhaus gebracht, " +
		"Lebensgefahr bestehe nicht, teilte eine Sprecherin mit. Die Hintergründe der Tat sind noch unklar."
	idx := NewMemIndex()
	weather := Extract(Article{Title: "Wetter: Sonniger Sonntag im Norden", Summary: "Die Sonne scheint am Sonntag von Flensburg bis Göttingen, bei bis zu 14 Grad."})
	idx.Add(weather.Keys(), 1, 1, at, InfoOf(&weather, "ndr.de"))
	copyText := Extract(Article{Title: "Leipzig: Zwei Passanten mit Messer verletzt", Summary: text})
	d := idx.Draft(&copyText, at.Add(time.Hour), "mdr.de")
	if d.Story != 0 {
		t.Fatalf("the draft joined story %d before the original was there", d.Story)
	}
	// Something unrelated is added: the draft stands.
	other := Extract(Article{Title: "Börse: Dax schließt im Plus", Summary: "Der Deutsche Aktienindex hat am Freitag leicht zugelegt und schloss bei 18.400 Punkten."})
	idx.Add(other.Keys(), 2, 2, at, InfoOf(&other, "boerse.de"))
	if dec, again := idx.Confirm(&d, &copyText, at.Add(time.Hour), "mdr.de"); again || dec.Story != 0 {
		t.Errorf("after an unrelated article: %+v, decided again %v; want the draft as it was", dec, again)
	}
	// The original is added: the draft is decided again and joins it.
	first := Extract(Article{Title: "Messerangriff in Leipzig: Mann festgenommen", Summary: text})
	idx.Add(first.Keys(), 3, 3, at, InfoOf(&first, "lvz.de"))
	dec, again := idx.Confirm(&d, &copyText, at.Add(time.Hour), "mdr.de")
	want, _ := Assign(idx, &copyText, at.Add(time.Hour), "mdr.de")
	if !again || dec != want || dec.Story != 3 {
		t.Errorf("after the original: %+v, decided again %v; want %+v (story 3)", dec, again, want)
	}
	// A draft made against another index (the window loaded anew) is
	// always decided again.
	fresh := NewMemIndex()
	if _, again := fresh.Confirm(&d, &copyText, at.Add(time.Hour), "mdr.de"); !again {
		t.Error("a draft of another index was taken as it was")
	}
}

// TestArtTable: articles by ID in any order, found again; dropping some
// keeps the others.
func TestArtTable(t *testing.T) {
	var tab artTable
	ids := []int64{50, 10, 100, 5, 51, 7, 300}
	for _, id := range ids {
		tab.set(id, memArt{story: id * 2, at: id})
	}
	tab.set(10, memArt{story: 21, at: 10}) // again: replaced, not counted twice
	if tab.n != len(ids) {
		t.Errorf("n = %d, want %d", tab.n, len(ids))
	}
	for _, id := range append(ids, 6, 99, 1000, 1) {
		a, ok := tab.get(id)
		want := slices.Contains(ids, id)
		switch {
		case ok != want:
			t.Errorf("get(%d): found %v", id, ok)
		case ok && id == 10 && a.story != 21, ok && id != 10 && a.story != id*2:
			t.Errorf("get(%d) = story %d", id, a.story)
		}
	}
	tab.keep(func(a memArt) bool { return a.at >= 50 })
	for _, id := range ids {
		if _, ok := tab.get(id); ok != (id >= 50) {
			t.Errorf("after keep, get(%d): found %v", id, ok)
		}
	}
	if tab.n != 4 || tab.base != 50 {
		t.Errorf("after keep: n %d, base %d", tab.n, tab.base)
	}
}
