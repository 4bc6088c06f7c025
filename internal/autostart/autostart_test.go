//go:build linux || freebsd || openbsd || netbsd || dragonfly

package autostart

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// isolate points the user's and the system's config directories at
// temporary ones.
func isolate(t *testing.T) (user, system string) {
	t.Helper()
	user, system = t.TempDir(), t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", user)
	t.Setenv("XDG_CONFIG_DIRS", system)
	return user, system
}

func mustEnabled(t *testing.T, want bool) {
	t.Helper()
	on, err := Enabled()
	if err != nil {
		t.Fatal(err)
	}
	if on != want {
		t.Fatalf("Enabled() = %v, want %v", on, want)
	}
}

// exeIn makes an executable file at dir/name.
func exeIn(t *testing.T, dir, name string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func readEntry(t *testing.T) map[string]string {
	t.Helper()
	p, err := Path()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	keys, ok := desktopEntry(data)
	if !ok {
		t.Fatalf("%s has no [Desktop Entry] group:\n%s", p, data)
	}
	return keys
}

func TestEnableDisable(t *testing.T) {
	for _, name := range []string{
		"bin/newswatch",
		"My Programs/news watch",
		"Ünïcödé/Nachrichten-Überwachung",
		`odd/"quoted" $HOME ` + "`cmd`" + ` back\slash 100% it's;&|<>~*?#()`,
		"equals=sign/plus+comma,colon:at@",
	} {
		t.Run(name, func(t *testing.T) {
			user, _ := isolate(t)
			exe := exeIn(t, t.TempDir(), name)
			mustEnabled(t, false)
			data := filepath.Join(filepath.Dir(exe), "my data")
			if err := Enable(exe, "--data", data); err != nil {
				t.Fatal(err)
			}
			mustEnabled(t, true)
			p, _ := Path()
			if want := filepath.Join(user, "autostart", "org.codeberg.newswatch.desktop"); p != want {
				t.Errorf("Path() = %s, want %s", p, want)
			}
			keys := readEntry(t)
			args, err := parseExec(keys["Exec"])
			if err != nil {
				t.Fatalf("Exec=%s: %v", keys["Exec"], err)
			}
			if want := []string{exe, "--minimized", "--data", data}; strings.Join(args, "\x00") != strings.Join(want, "\x00") {
				t.Errorf("Exec=%s runs %q, want %q", keys["Exec"], args, want)
			}
			if got := unescapeString(keys["TryExec"]); got != exe {
				t.Errorf("TryExec=%s is %q, want %q", keys["TryExec"], got, exe)
			}
			for k, want := range map[string]string{"Type": "Application", "Name": "Newswatch", "Icon": ID,
				"X-GNOME-Autostart-enabled": "true", "Hidden": "false", "NoDisplay": "false", "Terminal": "false"} {
				if keys[k] != want {
					t.Errorf("%s=%q, want %q", k, keys[k], want)
				}
			}
			validate(t, p)
			if err := Disable(); err != nil {
				t.Fatal(err)
			}
			mustEnabled(t, false)
			if _, err := os.Stat(p); !os.IsNotExist(err) {
				t.Errorf("entry still there after Disable: %v", err)
			}
		})
	}
}

func TestEnableTwiceAndDisableWhenAbsent(t *testing.T) {
	user, _ := isolate(t)
	if err := Disable(); err != nil { // nothing there: no error, nothing made
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(user, "autostart")); !os.IsNotExist(err) {
		t.Errorf("Disable made the autostart directory: %v", err)
	}
	a := exeIn(t, t.TempDir(), "a/newswatch")
	b := exeIn(t, t.TempDir(), "b/newswatch")
	for _, exe := range []string{a, a, b} {
		if err := Enable(exe); err != nil {
			t.Fatal(err)
		}
		mustEnabled(t, true)
		if args, _ := parseExec(readEntry(t)["Exec"]); len(args) == 0 || args[0] != exe {
			t.Errorf("after Enable(%s): Exec runs %q", exe, args)
		}
	}
	ents, err := os.ReadDir(filepath.Join(user, "autostart"))
	if err != nil {
		t.Fatal(err)
	}
	if len(ents) != 1 {
		t.Errorf("autostart directory holds %d files, want 1 (no temporary files left)", len(ents))
	}
	fi, err := os.Stat(filepath.Join(user, "autostart", ents[0].Name()))
	if err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("entry mode %v, %v; want 0644", fi.Mode(), err)
	}
	for range 2 {
		if err := Disable(); err != nil {
			t.Fatal(err)
		}
		mustEnabled(t, false)
	}
}

func TestEnableRefusesRelativeAndControlCharacters(t *testing.T) {
	isolate(t)
	for _, exe := range []string{"newswatch", "bin/newswatch", "/tmp/new\nswatch", "/tmp/\xffnewswatch"} {
		if err := Enable(exe); err == nil {
			t.Errorf("Enable(%q) succeeded", exe)
		}
	}
	mustEnabled(t, false)
}

// After `make install` replaced the running binary, Linux names it
// "/path (deleted)"; the entry starts the new one.
func TestEnableReplacedBinary(t *testing.T) {
	isolate(t)
	exe := exeIn(t, t.TempDir(), "newswatch")
	if err := Enable(exe + " (deleted)"); err != nil {
		t.Fatal(err)
	}
	if args, _ := parseExec(readEntry(t)["Exec"]); len(args) == 0 || args[0] != exe {
		t.Errorf("Exec runs %q, want %s", args, exe)
	}
}

func TestUserSwitchedItOff(t *testing.T) {
	for _, off := range []string{"Hidden=true", "X-GNOME-Autostart-enabled=false"} {
		t.Run(off, func(t *testing.T) {
			isolate(t)
			if err := Enable(exeIn(t, t.TempDir(), "newswatch")); err != nil {
				t.Fatal(err)
			}
			p, _ := Path()
			data, _ := os.ReadFile(p)
			k, _, _ := strings.Cut(off, "=")
			data = []byte(strings.Replace(string(data), k+"=", "X-Was-"+k+"=", 1) + off + "\n")
			if err := os.WriteFile(p, data, 0o644); err != nil {
				t.Fatal(err)
			}
			mustEnabled(t, false)
		})
	}
}

// An entry installed system-wide counts, and Disable masks it.
func TestSystemEntry(t *testing.T) {
	user, system := isolate(t)
	t.Setenv("XDG_CONFIG_DIRS", "relative/ignored:"+system+":"+t.TempDir())
	sys := filepath.Join(system, "autostart", "org.codeberg.newswatch.desktop")
	if err := os.MkdirAll(filepath.Dir(sys), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(sys, []byte("[Desktop Entry]\nType=Application\nName=Newswatch\nExec=newswatch --minimized\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	mustEnabled(t, true)
	if err := Disable(); err != nil {
		t.Fatal(err)
	}
	mustEnabled(t, false)
	p := filepath.Join(user, "autostart", "org.codeberg.newswatch.desktop")
	if keys := readEntry(t); keys["Hidden"] != "true" {
		t.Errorf("the user's entry does not hide the system one: %v", keys)
	}
	validate(t, p)
	if err := Enable(exeIn(t, t.TempDir(), "newswatch")); err != nil {
		t.Fatal(err)
	}
	mustEnabled(t, true)
	if _, err := os.Stat(sys); err != nil {
		t.Errorf("the system entry was touched: %v", err)
	}
}

func TestDirDefault(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	for _, v := range []string{"", "relative/config"} {
		t.Setenv("XDG_CONFIG_HOME", v)
		d, err := Dir()
		if err != nil {
			t.Fatal(err)
		}
		if want := filepath.Join(home, ".config", "autostart"); d != want {
			t.Errorf("XDG_CONFIG_HOME=%q: Dir() = %s, want %s", v, d, want)
		}
	}
}

// An autostart directory that cannot be made is an error, and nothing
// changes (a file in its place: this fails for root too).
func TestUnwritable(t *testing.T) {
	user, _ := isolate(t)
	if err := os.WriteFile(filepath.Join(user, "autostart"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	err := Enable(exeIn(t, t.TempDir(), "newswatch"))
	if err == nil {
		t.Fatal("Enable succeeded without an autostart directory")
	}
	t.Log(err)
	mustEnabled(t, false)
}

func TestExecLine(t *testing.T) {
	for _, c := range []struct {
		in   []string
		want string
	}{
		{[]string{"/usr/bin/newswatch", "--minimized"}, "/usr/bin/newswatch --minimized"},
		{[]string{"/home/John Smith/.local/bin/newswatch"}, `"/home/John Smith/.local/bin/newswatch"`},
		{[]string{`/a/b\c`}, `"/a/b\\\\c"`},
		{[]string{`/a/"b"`}, `"/a/\\"b\\""`},
		{[]string{"/a/$b`c`"}, "\"/a/\\\\$b\\\\`c\\\\`\""},
		{[]string{"/a/100%"}, `"/a/100%%"`},
		{[]string{"/a/it's"}, `"/a/it's"`},
		{[]string{"/opt/Nachrichtenüberwachung/newswatch"}, `"/opt/Nachrichtenüberwachung/newswatch"`},
		{[]string{"/a", ""}, `/a ""`},
	} {
		got, err := ExecLine(c.in[0], c.in[1:]...)
		if err != nil || got != c.want {
			t.Errorf("ExecLine(%q) = %s, %v; want %s", c.in, got, err, c.want)
		}
		if args, err := parseExec(got); err != nil || strings.Join(args, "\x00") != strings.Join(c.in, "\x00") {
			t.Errorf("Exec=%s reads back as %q, %v", got, args, err)
		}
	}
}

// validate runs desktop-file-validate on an entry when it is installed
// (Debian package desktop-file-utils).
func validate(t *testing.T, path string) {
	t.Helper()
	tool, err := exec.LookPath("desktop-file-validate")
	if err != nil {
		t.Log("desktop-file-validate not installed (apt-get install desktop-file-utils); not validating")
		return
	}
	out, err := exec.Command(tool, path).CombinedOutput()
	if err != nil || len(out) > 0 {
		data, _ := os.ReadFile(path)
		t.Errorf("desktop-file-validate: %v\n%s\n%s", err, out, data)
	}
}

// unescapeString undoes the string escapes of the Desktop Entry
// Specification: \s \n \t \r \\.
func unescapeString(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			switch s[i] {
			case 's':
				b.WriteByte(' ')
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			case '\\':
				b.WriteByte('\\')
			default:
				b.WriteByte('\\')
				b.WriteByte(s[i])
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// parseExec reads an Exec value as a desktop would: string escapes first,
// then the quoting rules, then %% as %. It refuses field codes and
// reserved characters outside quotes.
func parseExec(v string) ([]string, error) {
	s := unescapeString(v)
	var args []string
	var cur strings.Builder
	inArg, quoted := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quoted && c == '\\':
			if i+1 >= len(s) || !strings.ContainsRune("\"`$\\", rune(s[i+1])) {
				return nil, fmt.Errorf("bad escape at %d", i)
			}
			i++
			cur.WriteByte(s[i])
		case quoted && c == '"':
			quoted = false
		case c == '%':
			if i+1 >= len(s) || s[i+1] != '%' {
				return nil, fmt.Errorf("field code at %d", i)
			}
			i++
			cur.WriteByte('%')
			inArg = true
		case quoted:
			cur.WriteByte(c)
		case c == '"':
			quoted, inArg = true, true
		case c == ' ':
			if inArg {
				args = append(args, cur.String())
				cur.Reset()
				inArg = false
			}
		case strings.IndexByte("\t\n'\\><~|&;$*?#()`", c) >= 0:
			return nil, fmt.Errorf("reserved character %q outside quotes at %d", c, i)
		default:
			cur.WriteByte(c)
			inArg = true
		}
	}
	if quoted {
		return nil, fmt.Errorf("unclosed quote")
	}
	if inArg {
		args = append(args, cur.String())
	}
	return args, nil
}
