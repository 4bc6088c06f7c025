package export

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
)

// FuzzWriteCSV: any text round-trips through encoding/csv, and no cell a
// spreadsheet would run as a formula gets through.
func FuzzWriteCSV(f *testing.F) {
	for _, s := range []string{"=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", " =1", "＝1", "Ukraine-Krieg",
		"a,b\"c\nd", "", "=HYPERLINK(\"http://x\",\"y\")", "-2+3+cmd|' /C calc'!A0"} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, title, summary string) {
		var buf bytes.Buffer
		m := Row{Topic: title, Title: title, Summary: summary, Feed: summary}
		if err := WriteCSV(&buf, []Row{m}, false); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(&buf).ReadAll()
		if err != nil {
			t.Fatalf("our CSV does not read back: %v", err)
		}
		if len(rows) != 2 {
			t.Fatalf("%d rows", len(rows))
		}
		for _, cell := range rows[1] {
			tr := strings.TrimLeft(cell, " \u00a0")
			if tr == "" || strings.HasPrefix(cell, "'") {
				continue
			}
			if strings.ContainsAny(tr[:1], "=+-@\t\r\n") || strings.HasPrefix(tr, "＝") || strings.HasPrefix(tr, "＋") ||
				strings.HasPrefix(tr, "－") || strings.HasPrefix(tr, "＠") {
				t.Fatalf("a formula got through: %q", cell)
			}
		}
		// The text comes back (encoding/csv turns \r\n into \n).
		want := strings.ReplaceAll(Neutralize(title), "\r\n", "\n")
		if got := rows[1][5]; got != strings.ReplaceAll(want, "\r", "") && got != want {
			t.Fatalf("title %q came back as %q", title, got)
		}
	})
}
