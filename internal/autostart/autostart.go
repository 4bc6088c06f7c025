//go:build linux || freebsd || openbsd || netbsd || dragonfly

// On Linux and the BSDs Newswatch starts at login through an XDG autostart
// entry: $XDG_CONFIG_HOME/autostart/org.codeberg.newswatch.desktop
// (usually ~/.config/autostart), which GNOME, KDE Plasma, Xfce, Cinnamon,
// MATE, LXQt and other desktops that follow the Desktop Application
// Autostart Specification run at login.
//
// The entry starts the executable with --minimized, so the app comes up in
// the tray. It has a TryExec key: when the executable is gone (Newswatch was
// uninstalled or moved), desktops skip the entry instead of failing to run
// it at every login.
//
// The state lives on disk only, so the app shows what the desktop will do:
// an entry of the same name in a system directory ($XDG_CONFIG_DIRS, usually
// /etc/xdg) counts too, and Disable masks such an entry with a Hidden one
// in the user's directory instead of removing it, as the specification says.
// An entry the user disabled in their desktop's settings (Hidden=true, or
// X-GNOME-Autostart-enabled=false) is disabled here too.

package autostart

import (
	"bufio"
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"unicode/utf8"

	"codeberg.org/newswatch/newswatch/monitor/msg"
)

const fileName = ID + ".desktop"

// Dir is the user's autostart directory: $XDG_CONFIG_HOME/autostart, or
// ~/.config/autostart when XDG_CONFIG_HOME is unset or not absolute.
func Dir() (string, error) {
	if d := os.Getenv("XDG_CONFIG_HOME"); filepath.IsAbs(d) {
		return filepath.Join(d, "autostart"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", msg.Errorf(err, msg.T("The autostart folder could not be found ({{.Reason}})."), "Reason", err.Error())
	}
	return filepath.Join(home, ".config", "autostart"), nil
}

// Path is the user's autostart entry for Newswatch, whether or not it exists.
func Path() (string, error) {
	dir, err := Dir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, fileName), nil
}

// systemPaths are the entries of the same name in $XDG_CONFIG_DIRS (default
// /etc/xdg), most important first.
func systemPaths() []string {
	dirs := os.Getenv("XDG_CONFIG_DIRS")
	if dirs == "" {
		dirs = "/etc/xdg"
	}
	var out []string
	for _, d := range filepath.SplitList(dirs) {
		if filepath.IsAbs(d) {
			out = append(out, filepath.Join(d, "autostart", fileName))
		}
	}
	return out
}

// Enabled reports whether Newswatch starts at login: the user's entry if
// there is one, else the first system-wide one, exists and is not hidden
// or switched off.
func Enabled() (bool, error) {
	p, err := Path()
	if err != nil {
		return false, err
	}
	on, found, err := entryEnabled(p)
	if found || err != nil {
		return on, err
	}
	on, _, err = systemEnabled()
	return on, err
}

// systemEnabled reads the first system-wide entry of our name.
func systemEnabled() (on, found bool, err error) {
	for _, p := range systemPaths() {
		if on, found, err = entryEnabled(p); found || err != nil {
			return on, found, err
		}
	}
	return false, false, nil
}

// entryEnabled reads one entry: found reports whether the file exists; it
// is on unless it says Hidden=true or X-GNOME-Autostart-enabled=false. A
// file without a [Desktop Entry] group is not an entry desktops would run.
func entryEnabled(path string) (on, found bool, err error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		return false, false, nil
	}
	if err != nil {
		return false, true, pathError(msg.T("The autostart entry {{.Path}} could not be read ({{.Reason}})."), path, err)
	}
	keys, ok := desktopEntry(data)
	if !ok {
		return false, true, nil
	}
	if strings.EqualFold(keys["Hidden"], "true") || strings.EqualFold(keys["X-GNOME-Autostart-enabled"], "false") {
		return false, true, nil
	}
	return true, true, nil
}

// desktopEntry returns the keys of a desktop file's [Desktop Entry] group
// (without localized variants), and whether the group is there.
func desktopEntry(data []byte) (map[string]string, bool) {
	keys := map[string]string{}
	in, found := false, false
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "["):
			in = line == "[Desktop Entry]"
			found = found || in
		case in:
			if k, v, ok := strings.Cut(line, "="); ok {
				keys[strings.TrimSpace(k)] = strings.TrimSpace(v)
			}
		}
	}
	return keys, found
}

// Enable writes the user's autostart entry to start exe (an absolute path,
// usually os.Executable()) minimized to the tray, with the further
// arguments after --minimized (the app passes "--data", its data
// directory, so it starts at login on the directory it was set up from).
// Enabling again rewrites the entry, also for another executable.
func Enable(exe string, args ...string) error {
	exe = liveExecutable(exe)
	if !filepath.IsAbs(exe) {
		return msg.Errorf(nil, msg.T("Newswatch cannot start “{{.Program}}” at login: the program needs an absolute path."), "Program", exe)
	}
	execLine, err := ExecLine(exe, append([]string{MinimizedFlag}, args...)...)
	if err != nil {
		return err
	}
	tryExec, err := escapeString(exe)
	if err != nil {
		return err
	}
	return write(entry(execLine, tryExec))
}

// liveExecutable undoes what Linux reports as os.Executable() after the
// running binary was replaced (by `make install` or a package update):
// "/path/newswatch (deleted)". The new binary at the path is the one to
// start at the next login.
func liveExecutable(exe string) string {
	const deleted = " (deleted)"
	if base, ok := strings.CutSuffix(exe, deleted); ok {
		if _, err := os.Stat(exe); errors.Is(err, fs.ErrNotExist) {
			if _, err := os.Stat(base); err == nil {
				return base
			}
		}
	}
	return exe
}

func entry(execLine, tryExec string) string {
	return `[Desktop Entry]
Type=Application
Name=Newswatch
GenericName=News monitor
Comment=Watch news feeds for your topics and get alerted to new stories
Icon=` + ID + `
Exec=` + execLine + `
TryExec=` + tryExec + `
Terminal=false
StartupNotify=false
NoDisplay=false
Hidden=false
X-GNOME-Autostart-enabled=true
`
}

// disabledEntry masks a system-wide entry of the same name.
const disabledEntry = `[Desktop Entry]
Type=Application
Name=Newswatch
Exec=newswatch ` + MinimizedFlag + `
Hidden=true
X-GNOME-Autostart-enabled=false
`

// Disable stops Newswatch from starting at login: it removes the user's
// entry, or, when a system-wide entry would then start it, hides that one
// with a user entry. Disabling when it is not enabled does nothing.
func Disable() error {
	p, err := Path()
	if err != nil {
		return err
	}
	sysOn, _, err := systemEnabled()
	if err != nil {
		return err
	}
	if sysOn {
		return write(disabledEntry)
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return pathError(msg.T("The autostart entry {{.Path}} could not be removed ({{.Reason}})."), p, err)
	}
	return nil
}

// write replaces the user's entry atomically: a temporary file in the same
// directory, synced, then renamed over it.
func write(content string) error {
	p, err := Path()
	if err != nil {
		return err
	}
	dir := filepath.Dir(p)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return pathError(msg.T("The autostart folder {{.Path}} could not be created ({{.Reason}})."), dir, err)
	}
	tmp, err := os.CreateTemp(dir, "."+fileName+".*")
	if err != nil {
		return pathError(msg.T("The autostart entry {{.Path}} could not be written ({{.Reason}})."), p, err)
	}
	defer os.Remove(tmp.Name()) // fails harmlessly after the rename
	if _, err := tmp.WriteString(content); err != nil {
		tmp.Close()
		return pathError(msg.T("The autostart entry {{.Path}} could not be written ({{.Reason}})."), p, err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return pathError(msg.T("The autostart entry {{.Path}} could not be written ({{.Reason}})."), p, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return pathError(msg.T("The autostart entry {{.Path}} could not be written ({{.Reason}})."), p, err)
	}
	if err := tmp.Close(); err != nil {
		return pathError(msg.T("The autostart entry {{.Path}} could not be written ({{.Reason}})."), p, err)
	}
	if err := os.Rename(tmp.Name(), p); err != nil {
		return pathError(msg.T("The autostart entry {{.Path}} could not be written ({{.Reason}})."), p, err)
	}
	return nil
}

// pathError says what failed on which file, and why in the system's words.
func pathError(tmpl, path string, err error) error {
	return msg.Errorf(err, tmpl, "Path", path, "Reason", msg.Cause(err).Error())
}

// ExecLine is the value of a desktop entry's Exec key that runs the
// program with the arguments, each quoted as the Desktop Entry
// Specification says when it holds a reserved character: in double
// quotes, with `"`, "`", `$` and `\` escaped by a backslash, then every
// backslash escaped once more (the string escapes apply first), and `%`
// doubled (no field codes). packaging/desktop-entry.sh quotes the same way.
// Arguments with control characters or invalid UTF-8 cannot be written.
func ExecLine(program string, args ...string) (string, error) {
	words := make([]string, 0, 1+len(args))
	for _, a := range append([]string{program}, args...) {
		q, err := quoteArg(a)
		if err != nil {
			return "", err
		}
		words = append(words, q)
	}
	return strings.Join(words, " "), nil
}

// safe are the bytes an argument may hold without quotes. Others may be
// safe too (letters beyond ASCII), but quoting them does no harm, and
// packaging/desktop-entry.sh, in plain sh, draws the line here as well.
func safe(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		strings.IndexByte("_./+,:@=-", c) >= 0
}

func quoteArg(a string) (string, error) {
	if err := checkText(a); err != nil {
		return "", err
	}
	quote := a == ""
	for i := 0; i < len(a); i++ {
		quote = quote || !safe(a[i])
	}
	if !quote {
		return a, nil
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range a {
		switch r {
		case '"', '`', '$':
			b.WriteString(`\\`) // the quoting rule's backslash, string-escaped
			b.WriteRune(r)
		case '\\':
			b.WriteString(`\\\\`)
		case '%':
			b.WriteString("%%")
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String(), nil
}

// escapeString escapes a value of type string (TryExec).
func escapeString(s string) (string, error) {
	if err := checkText(s); err != nil {
		return "", err
	}
	return strings.ReplaceAll(s, `\`, `\\`), nil
}

func checkText(s string) error {
	if !utf8.ValidString(s) {
		return msg.Errorf(nil, msg.T("Newswatch cannot start “{{.Program}}” at login: a desktop entry holds only UTF-8 text."), "Program", s)
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return msg.Errorf(nil, msg.T("Newswatch cannot start “{{.Program}}” at login: the path has a control character."), "Program", s)
		}
	}
	return nil
}
