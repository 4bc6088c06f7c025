package cli

import (
	"os"
	"strings"
	"testing"

	"codeberg.org/newswatch/newswatch/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// An analyst's database moves to the team database with migrate; there
// the analyst finds their stories and topics, a colleague the same
// stories unread, and personal topics are their owner's alone.
func TestMigrateAndTeam(t *testing.T) {
	url := pgtest.URL(t)
	dir := t.TempDir()
	news := newNewsServer(t, "Ukraine: Waffenruhe gebrochen", "Wetter: Sturm an der Küste", "Außenminister in Kiew")
	mustRun(t, dir, "feeds", "add", news.srv.URL+"/rss")
	mustRun(t, dir, "topics", "add", "Ukraine", "Ukraine OR Kiew")
	mustRun(t, dir, "check")
	out := mustRun(t, dir, "migrate", "--from", "sqlite:"+dir, "--to", url, "--user", "alice")
	if !strings.Contains(out, "1 feed, 1 topic, 3 articles (0 already in the team database)") {
		t.Errorf("migrate said:\n%s", out)
	}
	// Again: idempotent, everything is found in the team database.
	out = mustRun(t, dir, "migrate", "--from", "sqlite:"+dir, "--to", url, "--user", "alice")
	if !strings.Contains(out, "0 feeds, 0 topics, 0 articles (3 already in the team database), 0 stories, 0 matches, 0 alerts") {
		t.Errorf("the second migrate said:\n%s", out)
	}
	other := t.TempDir()
	// A poller on the team database checks; the story it finds is the
	// team's.
	news.publish("Kiew: Botschaft öffnet wieder")
	if out := mustRun(t, other, "--store", url, "--user", "alice", "check"); !strings.Contains(out, "1 new article") {
		t.Errorf("check on the team database said:\n%s", out)
	}
	stories := mustRun(t, other, "--store", url, "--user", "alice", "stories")
	if !strings.Contains(stories, "Waffenruhe gebrochen") || !strings.Contains(stories, "Außenminister in Kiew") {
		t.Errorf("alice's stories in the team database:\n%s", stories)
	}
	if stories := mustRun(t, other, "--store", url, "--user", "bob", "stories"); !strings.Contains(stories, "Botschaft öffnet wieder") {
		t.Errorf("bob's stories in the team database:\n%s", stories)
	}
	// A personal topic: alice's alone.
	mustRun(t, other, "--store", url, "--user", "alice", "topics", "add", "Sturm", "--personal")
	if out := mustRun(t, other, "--store", url, "--user", "bob", "topics", "list"); strings.Contains(out, "Sturm") {
		t.Errorf("bob sees alice's personal topic:\n%s", out)
	}
	if out := mustRun(t, other, "--store", url, "--user", "alice", "topics", "list"); !strings.Contains(out, "Sturm    alice") {
		t.Errorf("alice's topics:\n%s", out)
	}
	if r := runCLI(t, other, "topics", "add", "Mine", "--personal"); r.code != 1 || !strings.Contains(r.err, "team database") {
		t.Errorf("a personal topic without a team database: %d %s", r.code, r.err)
	}
	// The data directory's team setting, and NEWSWATCH_STORE.
	mustRun(t, other, "team", "set", url, "--user", "bob")
	if out := mustRun(t, other, "team"); !strings.Contains(out, "User: bob") {
		t.Errorf("team shows:\n%s", out)
	}
	if out := mustRun(t, other, "feeds", "list"); !strings.Contains(out, news.srv.URL) {
		t.Errorf("bob's feeds through the team setting:\n%s", out)
	}
	mustRun(t, other, "team", "off")
	if out := mustRun(t, other, "feeds", "list"); strings.Contains(out, news.srv.URL) {
		t.Errorf("after team off the feeds are still the team's:\n%s", out)
	}
	t.Setenv("NEWSWATCH_STORE", url)
	if out := mustRun(t, other, "feeds", "list"); !strings.Contains(out, news.srv.URL) {
		t.Errorf("NEWSWATCH_STORE is not used:\n%s", out)
	}
	os.Unsetenv("NEWSWATCH_STORE")
	for _, args := range [][]string{
		{"migrate", "--to", url},
		{"migrate", "--from", dir, "--to", url},
		{"--store", "mysql://x", "feeds", "list"},
	} {
		if r := runCLI(t, other, args...); r.code == 0 {
			t.Errorf("newswatch %s succeeded", strings.Join(args, " "))
		}
	}
	if r := runCLI(t, other, "migrate", "--from", "sqlite:"+other+"/nothing", "--to", url); r.code != 1 || !strings.Contains(r.err, "no Newswatch database") {
		t.Errorf("migrate from nowhere: %d %s", r.code, r.err)
	}
	garbage := other + "/garbage.db"
	if err := os.WriteFile(garbage, []byte("not a database, just text\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := runCLI(t, other, "migrate", "--from", "sqlite:"+garbage, "--to", url); r.code != 1 || !strings.Contains(r.err, "is damaged") ||
		strings.Count(strings.TrimSpace(r.err), "\n") != 0 {
		t.Errorf("migrate from a file that is no database: %d %q", r.code, r.err)
	}
	if r := runCLI(t, other, "migrate", "--from", "sqlite:"+dir, "--to", "postgres://%zz"); r.code != 1 || !strings.Contains(r.err, "is not a team database") {
		t.Errorf("migrate to a bad address: %d %q", r.code, r.err)
	}
}
