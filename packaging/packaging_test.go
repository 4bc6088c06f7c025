//go:build linux || freebsd || openbsd || netbsd || dragonfly

package packaging

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"codeberg.org/newswatch/newswatch/internal/autostart"
)

const (
	appID   = "org.codeberg.newswatch"
	desktop = appID + ".desktop"
)

var iconSizes = []int{16, 22, 24, 32, 48, 64, 128, 256, 512}

// entryKeys reads the [Desktop Entry] group of a desktop file.
func entryKeys(t *testing.T, data []byte) map[string]string {
	t.Helper()
	keys := map[string]string{}
	in := false
	for _, line := range strings.Split(string(data), "\n") {
		switch {
		case strings.HasPrefix(line, "["):
			in = line == "[Desktop Entry]"
		case in && strings.Contains(line, "="):
			k, v, _ := strings.Cut(line, "=")
			if _, dup := keys[k]; dup {
				t.Errorf("key %s twice", k)
			}
			keys[k] = v
		}
	}
	return keys
}

// fyneApp reads the keys of FyneApp.toml this needs, by section.
func fyneApp(t *testing.T) map[string]string {
	t.Helper()
	data, err := os.ReadFile("../FyneApp.toml")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	section := ""
	kv := regexp.MustCompile(`^\s*(\w+)\s*=\s*(.*?)\s*$`)
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "[") {
			section = strings.Trim(line, "[]") + "."
		} else if m := kv.FindStringSubmatch(line); m != nil {
			out[section+m[1]] = m[2]
		}
	}
	return out
}

// tomlList turns ["a", "b"] into "a;b;", as Fyne writes desktop lists.
func tomlList(v string) string {
	var out string
	for _, m := range regexp.MustCompile(`"([^"]*)"`).FindAllStringSubmatch(v, -1) {
		out += m[1] + ";"
	}
	return out
}

// The desktop entry says what FyneApp.toml says.
func TestDesktopEntryAgreesWithFyneApp(t *testing.T) {
	data, err := os.ReadFile(desktop)
	if err != nil {
		t.Fatal(err)
	}
	keys, meta := entryKeys(t, data), fyneApp(t)
	unquote := func(s string) string { return strings.Trim(s, `"`) }
	for _, c := range []struct{ key, want string }{
		{"Name", unquote(meta["Details.Name"])},
		{"Icon", unquote(meta["Details.ID"])},
		{"GenericName", unquote(meta["LinuxAndBSD.GenericName"])},
		{"Comment", unquote(meta["LinuxAndBSD.Comment"])},
		{"Categories", tomlList(meta["LinuxAndBSD.Categories"])},
		{"Keywords", tomlList(meta["LinuxAndBSD.Keywords"])},
		{"Icon", appID},
		{"Exec", "newswatch"},
		{"Type", "Application"},
		{"Terminal", "false"},
		// GLFW names the X11 window class after the window's title when
		// the window is made ("Newswatch"; the demo's is another), and
		// Fyne sets no class of its own.
		{"StartupWMClass", "Newswatch"},
	} {
		if keys[c.key] != c.want || c.want == "" {
			t.Errorf("%s=%q in %s, want %q", c.key, keys[c.key], desktop, c.want)
		}
	}
	if icon := unquote(meta["Details.Icon"]); icon != "assets/icon.png" {
		t.Errorf("FyneApp.toml Icon = %q", icon)
	}
}

func TestDesktopEntryValidates(t *testing.T) {
	validate(t, desktop)
}

func validate(t *testing.T, path string) {
	t.Helper()
	tool, err := exec.LookPath("desktop-file-validate")
	if err != nil {
		t.Skip("desktop-file-validate not installed (Debian package desktop-file-utils)")
	}
	if out, err := exec.Command(tool, path).CombinedOutput(); err != nil || len(out) > 0 {
		t.Errorf("desktop-file-validate %s: %v\n%s", path, err, out)
	}
}

// desktop-entry.sh quotes the program as internal/autostart does.
func TestExecLineAgreesWithAutostart(t *testing.T) {
	entry, err := os.ReadFile(desktop)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{
		"/usr/local/bin/newswatch",
		"/home/John Smith/.local/bin/newswatch",
		"/home/jürgen/.local/bin/newswatch",
		`/odd/"quoted" $HOME ` + "`cmd`" + ` back\slash 100% it's;&|<>~*?#()[]{}!^`,
		"/opt/a=b/c+d,e:f@g/new-swatch_1.2",
	} {
		cmd := exec.Command("sh", "desktop-entry.sh", p)
		cmd.Stdin = bytes.NewReader(entry)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("desktop-entry.sh %q: %v", p, err)
		}
		keys := entryKeys(t, out)
		want, err := autostart.ExecLine(p)
		if err != nil {
			t.Fatal(err)
		}
		if keys["Exec"] != want {
			t.Errorf("desktop-entry.sh %q: Exec=%s, autostart.ExecLine: %s", p, keys["Exec"], want)
		}
		// Only the Exec line changes.
		if got, orig := strings.Count(string(out), "\n"), strings.Count(string(entry), "\n"); got != orig {
			t.Errorf("desktop-entry.sh %q: %d lines, want %d", p, got, orig)
		}
		f := filepath.Join(t.TempDir(), desktop)
		os.WriteFile(f, out, 0o644)
		validate(t, f)
	}
	for _, bad := range []string{"/a\nb", "/a\tb", ""} {
		cmd := exec.Command("sh", "desktop-entry.sh", bad)
		cmd.Stdin = bytes.NewReader(entry)
		if err := cmd.Run(); err == nil {
			t.Errorf("desktop-entry.sh %q succeeded", bad)
		}
	}
}

// files lists the regular files under dir, relative to it.
func files(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, rel)
		}
		return nil
	})
	sort.Strings(out)
	return out
}

// The archive's Makefile installs exactly the program, the desktop entry
// and the icons, for the system, for the user and into a DESTDIR, and
// uninstalls exactly those, leaving other files alone.
func TestArchiveMakefile(t *testing.T) {
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("no make")
	}
	// An unpacked archive, with a stand-in for the program.
	archive := t.TempDir()
	put := func(rel string, data []byte, mode os.FileMode) {
		p := filepath.Join(archive, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, mode); err != nil {
			t.Fatal(err)
		}
	}
	copyIn := func(rel, from string, mode os.FileMode) {
		data, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		put(rel, data, mode)
	}
	copyIn("Makefile", "archive.mk", 0o644)
	copyIn("desktop-entry.sh", "desktop-entry.sh", 0o755)
	copyIn("usr/local/share/applications/"+desktop, desktop, 0o644)
	put("usr/local/bin/newswatch", []byte("#!/bin/sh\necho newswatch 0.1.0\n"), 0o755)
	var want []string
	for _, n := range iconSizes {
		rel := fmt.Sprintf("share/icons/hicolor/%dx%d/apps/%s.png", n, n, appID)
		copyIn("usr/local/"+rel, "../assets/icons/"+strings.TrimPrefix(rel, "share/icons/"), 0o644)
		want = append(want, rel)
	}
	want = append(want, "bin/newswatch", "share/applications/"+desktop)
	sort.Strings(want)

	mk := func(env []string, args ...string) string {
		t.Helper()
		cmd := exec.Command("make", append([]string{"--no-print-directory"}, args...)...)
		cmd.Dir = archive
		cmd.Env = append(os.Environ(), env...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("make %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	// check looks at an install into PREFIX prefix, staged in root.
	check := func(root, prefix string, want []string) {
		t.Helper()
		got := files(t, filepath.Join(root, prefix))
		if !slices.Equal(got, want) {
			t.Errorf("installed into %s%s:\n%s\nwant:\n%s", root, prefix, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		entry, err := os.ReadFile(filepath.Join(root, prefix, "share/applications", desktop))
		if err != nil {
			t.Fatal(err)
		}
		wantExec, _ := autostart.ExecLine(filepath.Join(prefix, "bin/newswatch"))
		if got := entryKeys(t, entry)["Exec"]; got != wantExec {
			t.Errorf("Exec=%s, want %s (the installed program, without DESTDIR)", got, wantExec)
		}
		validate(t, filepath.Join(root, prefix, "share/applications", desktop))
		for _, f := range want {
			if strings.Contains(f, "other") {
				continue
			}
			fi, err := os.Stat(filepath.Join(root, prefix, f))
			if err != nil {
				t.Fatal(err)
			}
			mode := os.FileMode(0o644)
			if f == "bin/newswatch" {
				mode = 0o755
			}
			if fi.Mode().Perm() != mode {
				t.Errorf("%s: mode %v, want %v", f, fi.Mode().Perm(), mode)
			}
		}
	}

	t.Run("DESTDIR", func(t *testing.T) {
		dest := t.TempDir()
		mk(nil, "install", "DESTDIR="+dest)
		check(dest, "/usr/local", want)
		mk(nil, "uninstall", "DESTDIR="+dest)
		if got := files(t, dest); len(got) != 0 {
			t.Errorf("left after uninstall: %q", got)
		}
	})
	t.Run("user install, PREFIX with a space", func(t *testing.T) {
		home := filepath.Join(t.TempDir(), "John Smith")
		other := filepath.Join(home, ".local/share/icons/hicolor/48x48/apps/other.png")
		os.MkdirAll(filepath.Dir(other), 0o755)
		os.WriteFile(other, nil, 0o644)
		os.MkdirAll(filepath.Join(home, ".local/bin"), 0o755)
		os.WriteFile(filepath.Join(home, ".local/bin/other"), nil, 0o755)
		env := []string{"HOME=" + home}
		mk(env, "user-install")
		withOthers := append([]string{"bin/other", "share/icons/hicolor/48x48/apps/other.png"}, want...)
		sort.Strings(withOthers)
		check("", filepath.Join(home, ".local"), withOthers)
		mk(env, "user-uninstall")
		if got := files(t, home); !slices.Equal(got, []string{".local/bin/other", ".local/share/icons/hicolor/48x48/apps/other.png"}) {
			t.Errorf("after uninstall: %q; want only the other files", got)
		}
	})
	if out := mk(nil); !strings.Contains(out, "make user-install") {
		t.Errorf("make without a target says:\n%s", out)
	}
}
