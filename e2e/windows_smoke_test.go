//go:build winsmoke

package e2e

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"
)

// TestWindowsSmoke runs newswatch.exe ($NEWSWATCH_EXE, else built here)
// under Wine: the command line on a loopback feed and a local feed file
// with German umlauts, then the desktop app, then the Windows unit tests.
// make windows-smoke runs it under xvfb-run.
func TestWindowsSmoke(t *testing.T) {
	w := newWine(t)
	exe := installExe(t, w)
	version := fyneAppVersion(t)

	t.Run("version", func(t *testing.T) {
		if out := w.newswatch(t, exe, "version"); out != "newswatch "+version+"\n" {
			t.Errorf("newswatch.exe version printed %q, want %q", out, "newswatch "+version+"\n")
		}
	})

	// The default data directory is %APPDATA%\Newswatch.
	t.Run("default data directory", func(t *testing.T) {
		w.newswatch(t, exe, "topics", "add", "Nordkorea")
		dbs, _ := filepath.Glob(filepath.Join(w.prefix, "drive_c", "users", "*", "AppData", "Roaming", "Newswatch", "newswatch.db"))
		if len(dbs) != 1 {
			t.Errorf("no database in %%APPDATA%%\\Newswatch: %v", dbs)
		}
	})

	// The feed server stays up for the desktop app's check at start.
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/lagebild.xml" {
			http.NotFound(rw, r)
			return
		}
		rw.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		fmt.Fprintf(rw, lagebild, srv.URL)
	}))
	defer srv.Close()
	dataDir := `C:\Jürgen Weiß\Newswatch`
	t.Run("command line", func(t *testing.T) {
		commandLine(t, w, exe, dataDir, srv.URL)
	})
	t.Run("console", func(t *testing.T) {
		console(t, w, exe, dataDir)
	})
	t.Run("desktop", func(t *testing.T) {
		desktopApp(t, w, exe, dataDir)
	})
	t.Run("unit tests", func(t *testing.T) {
		windowsUnitTests(t, w)
	})
}

// installExe puts newswatch.exe where an installation would, under
// C:\Program Files (a path with a space).
func installExe(t *testing.T, w *wine) string {
	t.Helper()
	src := os.Getenv("NEWSWATCH_EXE")
	if src == "" {
		src = filepath.Join(t.TempDir(), "newswatch.exe")
		t.Logf("building %s with MinGW-w64 (set NEWSWATCH_EXE to use a built one; make windows builds it with its icon)", src)
		cmd := exec.Command("go", "build", "-ldflags=-H=windowsgui", "-o", src, "../cmd/newswatch")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=1", "GOOS=windows", "GOARCH=amd64", "CC=x86_64-w64-mingw32-gcc")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build ../cmd/newswatch for Windows: %v\n%s", err, out)
		}
	}
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatalf("NEWSWATCH_EXE: %v", err)
	}
	exe := `C:\Program Files\Newswatch\newswatch.exe`
	if err := os.MkdirAll(filepath.Dir(w.unixPath(exe)), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(w.unixPath(exe), data, 0o755); err != nil {
		t.Fatal(err)
	}
	return exe
}

func fyneAppVersion(t *testing.T) string {
	t.Helper()
	toml, err := os.ReadFile("../FyneApp.toml")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^\s*Version\s*=\s*"([^"]+)"`).FindSubmatch(toml)
	if m == nil {
		t.Fatal("FyneApp.toml has no Version")
	}
	return string(m[1])
}

// The feeds: one in UTF-8 over HTTP on loopback, one in ISO-8859-1 as a
// local file given by its Windows path. Three stories match Nordkorea.
const lagebild = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Lagebild Ost – Meldungen</title><link>%[1]s/</link>
<item><guid>lagebild-1</guid><title>Nordkorea testet Rakete über dem Japanischen Meer</title>
<link>%[1]s/meldung/1</link><description>Südkoreas Generalstab meldet den Start; Tokio äußert sich besorgt.</description>
<pubDate>Mon, 23 Nov 2026 06:30:00 +0100</pubDate></item>
<item><guid>lagebild-2</guid><title>Gespräche über Nordkorea in Genf: „Größte Geduld“ gefordert</title>
<link>%[1]s/meldung/2</link><description>Die Delegationen trafen sich zum dritten Mal.</description>
<pubDate>Mon, 23 Nov 2026 08:15:00 +0100</pubDate></item>
<item><guid>lagebild-3</guid><title>Schneefall in München: Flughafen schließt zwei Bahnen</title>
<link>%[1]s/meldung/3</link><description>Räumdienste sind im Einsatz.</description>
<pubDate>Mon, 23 Nov 2026 09:00:00 +0100</pubDate></item>
</channel></rss>`

const notizen = `<?xml version="1.0" encoding="ISO-8859-1"?>
<rss version="2.0"><channel><title>Eigene Notizen</title>
<item><guid>notiz-1</guid><title>Nordkorea: Grenzübergänge bleiben geschlossen</title>
<link>https://example.org/notizen/1</link><description>Laut Behörden in Pjöngjang gilt die Schließung bis auf Weiteres.</description>
<pubDate>Sun, 22 Nov 2026 18:00:00 +0100</pubDate></item>
</channel></rss>`

// commandLine adds the two feeds and a topic, checks and exports.
func commandLine(t *testing.T, w *wine, exe, dataDir, server string) {
	local := `C:\Jürgen Weiß\Feeds\eigene Notizen.xml`
	latin1, err := charmap.ISO8859_1.NewEncoder().String(notizen)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(w.unixPath(local)), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(w.unixPath(local), []byte(latin1), 0o644); err != nil {
		t.Fatal(err)
	}

	nw := func(args ...string) string {
		t.Helper()
		return w.newswatch(t, exe, append([]string{"--data", dataDir}, args...)...)
	}
	for _, feed := range []struct{ address, title string }{{server + "/lagebild.xml", "Lagebild Ost – Meldungen"}, {local, "Eigene Notizen"}} {
		if out := nw("feeds", "add", feed.address); !strings.Contains(out, feed.title) {
			t.Errorf("feeds add %s said %q; want the feed's title %q", feed.address, out, feed.title)
		}
	}
	if out := nw("feeds", "list"); !strings.Contains(out, "file:///C:/J%C3%BCrgen%20Wei%C3%9F/Feeds/eigene%20Notizen.xml") {
		t.Errorf("feeds list does not show the local feed as a file URL:\n%s", out)
	}
	nw("topics", "add", "Nordkorea")
	if _, err := os.Stat(filepath.Join(w.unixPath(dataDir), "newswatch.db")); err != nil {
		t.Errorf("the database is not in %s: %v", dataDir, err)
	}
	out := nw("check")
	for _, title := range []string{"Nordkorea testet Rakete über dem Japanischen Meer", "Gespräche über Nordkorea in Genf: „Größte Geduld“ gefordert", "Nordkorea: Grenzübergänge bleiben geschlossen"} {
		if !strings.Contains(out, title) {
			t.Errorf("check does not print %q:\n%s", title, out)
		}
	}
	if strings.Contains(out, "München") {
		t.Errorf("check printed the story that matches no topic:\n%s", out)
	}
	t.Logf("newswatch.exe check:\n%s", out)

	// The export, to standard output and to a file in a folder with
	// umlauts: the same rows.
	csvOut := nw("export", "--format", "csv")
	exportFile := `C:\Jürgen Weiß\Export\Meldungen.csv`
	os.MkdirAll(filepath.Dir(w.unixPath(exportFile)), 0o755)
	nw("export", "--format", "csv", "-o", exportFile)
	if data, err := os.ReadFile(w.unixPath(exportFile)); err != nil || string(data) != csvOut {
		t.Errorf("export -o %s: %v; the file differs from the standard output:\n%s", exportFile, err, data)
	}
	rows, err := csv.NewReader(strings.NewReader(csvOut)).ReadAll()
	if err != nil {
		t.Fatalf("the export is not CSV: %v\n%s", err, csvOut)
	}
	wantHeader := []string{"published", "first_seen", "topic", "matched_terms", "feed", "title", "link", "summary",
		"story", "story_title", "story_sources", "story_first_seen"}
	if len(rows) == 0 || !slices.Equal(rows[0], wantHeader) {
		t.Fatalf("CSV header %q, want %q", rows[:min(1, len(rows))], wantHeader)
	}
	want := map[string][]string{ // title → published, feed, link, summary
		"Nordkorea testet Rakete über dem Japanischen Meer": {"2026-11-23T05:30:00Z", "Lagebild Ost – Meldungen", server + "/meldung/1",
			"Südkoreas Generalstab meldet den Start; Tokio äußert sich besorgt."},
		"Gespräche über Nordkorea in Genf: „Größte Geduld“ gefordert": {"2026-11-23T07:15:00Z", "Lagebild Ost – Meldungen", server + "/meldung/2",
			"Die Delegationen trafen sich zum dritten Mal."},
		"Nordkorea: Grenzübergänge bleiben geschlossen": {"2026-11-22T17:00:00Z", "Eigene Notizen", "https://example.org/notizen/1",
			"Laut Behörden in Pjöngjang gilt die Schließung bis auf Weiteres."},
	}
	if len(rows) != 1+len(want) {
		t.Errorf("the export has %d rows, want %d:\n%s", len(rows)-1, len(want), csvOut)
	}
	for _, row := range rows[1:] {
		exp, ok := want[row[5]]
		got := []string{row[0], row[4], row[6], row[7]}
		switch {
		case !ok:
			t.Errorf("unexpected row %q", row)
		case row[2] != "Nordkorea" || !strings.Contains(row[3], "Nordkorea") || !slices.Equal(got, exp):
			t.Errorf("row %q; want topic Nordkorea and %q", row, exp)
		}
	}
	t.Logf("newswatch.exe export --format csv:\n%s", csvOut)
}

// windowsUnitTests compiles the tests of every package with a
// _windows_test.go file for Windows and runs their TestWindows* tests
// under Wine (the others need a Unix, or t.TempDir, which Wine cannot
// remove: see internal/wintest).
func windowsUnitTests(t *testing.T, w *wine) {
	files, _ := filepath.Glob("../*/*_windows_test.go")
	deeper, _ := filepath.Glob("../*/*/*_windows_test.go")
	var dirs []string
	for _, f := range append(files, deeper...) {
		dir, _ := filepath.Rel("..", filepath.Dir(f))
		if !slices.Contains(dirs, dir) {
			dirs = append(dirs, dir)
		}
	}
	if len(dirs) == 0 {
		t.Fatal("found no _windows_test.go files")
	}
	bin := t.TempDir()
	for _, dir := range dirs {
		t.Run(dir, func(t *testing.T) {
			exe := filepath.Join(bin, strings.ReplaceAll(dir, "/", "-")+".test.exe")
			// -tags ci: Fyne's headless driver, so no cgo is needed.
			build := exec.Command("go", "test", "-c", "-tags", "ci", "-o", exe, "./"+dir)
			build.Dir = ".."
			build.Env = append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0")
			if out, err := build.CombinedOutput(); err != nil {
				t.Fatalf("go test -c ./%s for Windows: %v\n%s", dir, err, out)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			cmd := w.command(ctx, exe, []string{"-test.run", "^TestWindows", "-test.v", "-test.count=1"})
			cmd.Dir = filepath.Join("..", dir) // as go test does: testdata is found
			out, err := cmd.CombinedOutput()
			if err != nil || !strings.Contains(string(out), "--- PASS: TestWindows") || strings.Contains(string(out), "--- FAIL") {
				t.Fatalf("%s under Wine: %v\n%s", filepath.Base(exe), err, out)
			}
			t.Logf("%s under Wine:\n%s", filepath.Base(exe), out)
		})
	}
}

// console runs newswatch.exe as Command Prompt's start /wait does: with no
// standard handles, so that the subcommand must attach to the console it
// was started from (cmd/newswatch/console_windows.go) to print anything.
// script(1) gives Wine's console a terminal to write to.
func console(t *testing.T, w *wine, exe, dataDir string) {
	if _, err := exec.LookPath("script"); err != nil {
		t.Skip("script (util-linux) is not installed")
	}
	for _, c := range []struct {
		args string
		want []string
	}{
		{"version", []string{"newswatch " + fyneAppVersion(t)}},
		{"feeds list", []string{"Lagebild Ost – Meldungen", "Eigene Notizen"}},
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		cmd := exec.CommandContext(ctx, "script", "-qec", "wine cmd /c start /wait "+filepath.Base(w.unixPath(exe))+" "+c.args, "/dev/null")
		cmd.Dir = filepath.Dir(w.unixPath(exe))
		cmd.Env = append(append([]string{}, w.env...), "NEWSWATCH_DATA="+dataDir)
		out, err := cmd.CombinedOutput()
		cancel()
		for _, want := range c.want {
			if err != nil || !strings.Contains(string(out), want) {
				t.Errorf("start /wait newswatch.exe %s: %v; the console shows %q, want %q", c.args, err, out, want)
			}
		}
	}
}
