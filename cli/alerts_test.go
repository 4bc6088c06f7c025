package cli

import (
	"encoding/csv"
	"strings"
	"testing"
)

// Topic policies and the alert switches on the command line: a critical
// topic notifies while alerts are paused, a normal one is held back, and
// both decisions are in the alert history (table and CSV, safe in a
// spreadsheet), which can be deleted from.
func TestAlertsOnTheCommandLine(t *testing.T) {
	dir := t.TempDir()
	news := newNewsServer(t, "Wetter: Sturm")
	mustRun(t, dir, "feeds", "add", news.srv.URL+"/rss")
	mustRun(t, dir, "topics", "add", "Ukraine")
	mustRun(t, dir, "topics", "add", "Nordkorea")
	out := mustRun(t, dir, "topics", "set", "nordkorea", "--priority", "critical", "--delivery", "now", "--spikes", "off")
	if !strings.Contains(out, `Topic "Nordkorea": on; critical priority, at once, no spike alerts.`) {
		t.Errorf("topics set:\n%s", out)
	}
	out = mustRun(t, dir, "topics", "set", "Ukraine", "--delivery", "digest:16:00,08:00")
	if !strings.Contains(out, "normal priority, a digest at 08:00, 16:00, spike alerts") {
		t.Errorf("topics set --delivery:\n%s", out)
	}
	mustRun(t, dir, "topics", "set", "Ukraine", "--delivery", "now")
	if out = mustRun(t, dir, "topics", "list"); !strings.Contains(out, "ALERTS") || !strings.Contains(out, "critical priority, at once, no spike alerts") {
		t.Errorf("topics list:\n%s", out)
	}
	mustRun(t, dir, "check")

	mustRun(t, dir, "settings", "pause", "on")
	news.publish(`=HYPERLINK("http://evil.example") Ukraine` + "\x1b[2J")
	news.publish("Nordkorea testet Rakete")
	out = mustRun(t, dir, "check")
	for _, want := range []string{"Alert (shown): Nordkorea — 1 new story: Nordkorea testet Rakete — Morgenpost",
		"Alert (held back: alerts are paused): Ukraine — 1 new story"} {
		if !strings.Contains(out, want) {
			t.Errorf("check while paused lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "\x1b") {
		t.Errorf("an escape reached the terminal:\n%q", out)
	}

	out = mustRun(t, dir, "alerts")
	if !strings.Contains(out, "OUTCOME") || strings.Count(out, "\n") != 3 || !strings.Contains(out, "held back: alerts are paused") ||
		!strings.Contains(out, "new stories  Nordkorea   shown") {
		t.Errorf("alerts:\n%s", out)
	}
	out = mustRun(t, dir, "alerts", "--csv", "--kind", "stories")
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(rows) != 3 || strings.Join(rows[0], ",") != "id,at,kind,topic,feed,priority,status,reason,outcome,title,body,stories,due,summary_id" {
		t.Fatalf("alerts --csv: %v\n%s", err, out)
	}
	ukr := rows[1]
	if ukr[3] == "Nordkorea" {
		ukr = rows[2]
	}
	if ukr[3] != "Ukraine" || ukr[6] != "held" || ukr[7] != "paused" || !strings.HasPrefix(ukr[10], `'=HYPERLINK`) ||
		strings.ContainsRune(ukr[10], 0x1b) || ukr[11] == "" {
		t.Errorf("the held row: %q", ukr)
	}
	if out := mustRun(t, dir, "alerts", "--csv", "--bom", "--kind", "spike"); !strings.HasPrefix(out, "\ufeffid,at,kind") {
		t.Errorf("BOM: %q", out)
	}

	out = mustRun(t, dir, "alerts", "delete", rows[1][0])
	if !strings.Contains(out, "Deleted 1 alert") {
		t.Errorf("delete:\n%s", out)
	}
	out = mustRun(t, dir, "alerts", "delete", "--before", "2099-01-01")
	if !strings.Contains(out, "Deleted 1 alert") {
		t.Errorf("delete --before:\n%s", out)
	}
	if out = mustRun(t, dir, "alerts", "--since", "all"); !strings.Contains(out, "No alerts") {
		t.Errorf("after deleting:\n%s", out)
	}
}

func TestAlertSettingsAndMistakes(t *testing.T) {
	dir := t.TempDir()
	news := newNewsServer(t, "Wetter: Sturm")
	mustRun(t, dir, "feeds", "add", news.srv.URL+"/rss")
	mustRun(t, dir, "topics", "add", "Ukraine")
	for _, args := range [][]string{{"settings", "quiet", "22:00-06:30"}, {"settings", "notifications", "off"},
		{"settings", "pause", "on"}, {"settings", "dead-after", "90m"}} {
		mustRun(t, dir, args...)
	}
	out := mustRun(t, dir, "settings")
	for _, want := range []string{"notifications  off", "paused         yes", "quiet hours    on (22:00–06:30)", "dead after     90m"} {
		if !strings.Contains(out, want) {
			t.Errorf("settings lack %q:\n%s", want, out)
		}
	}
	mustRun(t, dir, "settings", "quiet", "off")
	if out = mustRun(t, dir, "settings"); !strings.Contains(out, "quiet hours    off (22:00–06:30)") {
		t.Errorf("quiet off:\n%s", out)
	}
	out = mustRun(t, dir, "feeds", "set", news.srv.URL+"/rss", "--coverage-alerts", "off")
	if !strings.Contains(out, "Coverage alerts are off") {
		t.Errorf("feeds set:\n%s", out)
	}
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"topics", "set", "Ukraine", "--priority", "urgent"}, 2, "is not a priority; use normal, high or critical"},
		{[]string{"topics", "set", "Ukraine", "--delivery", "every:1m"}, 2, "at most every 5 minutes to 24 hours"},
		{[]string{"topics", "set", "Ukraine", "--delivery", "digest:8"}, 2, "a digest needs times of day"},
		{[]string{"topics", "set", "Ukraine"}, 2, "say what to change"},
		{[]string{"topics", "set", "Nix", "--priority", "high"}, 1, "There is no topic named"},
		{[]string{"topics", "set", "Ukraine", "--spikes", "maybe"}, 2, `--spikes "maybe": use on or off`},
		{[]string{"feeds", "set", news.srv.URL + "/rss", "--coverage-alerts", "x"}, 2, "use on or off"},
		{[]string{"settings", "quiet", "22-7"}, 2, "use FROM-TO like 22:00-07:00"},
		{[]string{"settings", "dead-after", "1m"}, 1, "15 minutes to 7 days"},
		{[]string{"settings", "pause", "soon"}, 2, "use on or off"},
		{[]string{"alerts", "--kind", "news"}, 2, "use stories, backlog, developing, spike or coverage"},
		{[]string{"alerts", "--since", "yesterday"}, 2, "use a duration like 24h"},
		{[]string{"alerts", "-o", "x.csv"}, 2, "go with --csv"},
		{[]string{"alerts", "delete"}, 2, "needs alert IDs"},
		{[]string{"alerts", "delete", "abc"}, 2, `"abc" is not an alert ID`},
	} {
		r := runCLI(t, dir, tt.args...)
		if r.code != tt.code || !strings.Contains(r.err, tt.want) {
			t.Errorf("%s: exit %d, %q; want %d with %q", strings.Join(tt.args, " "), r.code, r.err, tt.code, tt.want)
		}
	}
}
