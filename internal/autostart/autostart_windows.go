package autostart

import (
	"errors"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"

	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// On Windows Newswatch starts at login through a value named Newswatch in
// the user's Run key, HKEY_CURRENT_USER\Software\Microsoft\Windows\
// CurrentVersion\Run: the command line that starts the executable (its
// path in quotes) with --minimized and the further arguments, quoted as
// CommandLineToArgvW reads them.
//
// Task Manager's Startup tab (and Settings → Apps → Startup) switches such
// an entry off without removing it, by a value of the same name under
// Explorer\StartupApproved\Run whose first byte is odd. Enabled counts
// that as off, and Enable removes it, so the checkbox shows what Windows
// will do.

// The keys below HKEY_CURRENT_USER; the tests use their own.
var (
	runKey      = `Software\Microsoft\Windows\CurrentVersion\Run`
	approvedKey = `Software\Microsoft\Windows\CurrentVersion\Explorer\StartupApproved\Run`
)

// valueName names the entry in both keys.
const valueName = "Newswatch"

// Path is where the entry lives, for messages.
func Path() (string, error) {
	return `HKEY_CURRENT_USER\` + runKey + `\` + valueName, nil
}

// Enabled reports whether Newswatch starts at login: the Run value exists
// and Task Manager has not switched it off.
func Enabled() (bool, error) {
	k, err := registry.OpenKey(registry.CURRENT_USER, runKey, registry.QUERY_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, regError(msg.T("The autostart entry {{.Path}} could not be read ({{.Reason}})."), err)
	}
	defer k.Close()
	if _, _, err := k.GetStringValue(valueName); errors.Is(err, registry.ErrNotExist) {
		return false, nil
	} else if err != nil {
		return false, regError(msg.T("The autostart entry {{.Path}} could not be read ({{.Reason}})."), err)
	}
	return !switchedOff(), nil
}

// switchedOff reports whether Task Manager switched the entry off.
func switchedOff() bool {
	k, err := registry.OpenKey(registry.CURRENT_USER, approvedKey, registry.QUERY_VALUE)
	if err != nil {
		return false
	}
	defer k.Close()
	b, _, err := k.GetBinaryValue(valueName)
	return err == nil && len(b) > 0 && b[0]&1 == 1
}

// Enable writes the Run value to start exe (an absolute path, usually
// os.Executable()) minimized to the tray, with the further arguments
// after --minimized (the app passes "--data", its data directory).
// Enabling again rewrites the value, also for another executable, and
// switches it on again if Task Manager switched it off.
func Enable(exe string, args ...string) error {
	if !filepath.IsAbs(exe) {
		return msg.Errorf(nil, msg.T("Newswatch cannot start “{{.Program}}” at login: the program needs an absolute path."), "Program", exe)
	}
	line, err := CommandLine(exe, append([]string{MinimizedFlag}, args...)...)
	if err != nil {
		return err
	}
	k, _, err := registry.CreateKey(registry.CURRENT_USER, runKey, registry.SET_VALUE)
	if err != nil {
		return regError(msg.T("The autostart entry {{.Path}} could not be written ({{.Reason}})."), err)
	}
	defer k.Close()
	if err := k.SetStringValue(valueName, line); err != nil {
		return regError(msg.T("The autostart entry {{.Path}} could not be written ({{.Reason}})."), err)
	}
	return removeApproval()
}

// Disable removes the Run value (and Task Manager's note on it).
// Disabling when it is not enabled does nothing.
func Disable() error {
	k, err := registry.OpenKey(registry.CURRENT_USER, runKey, registry.SET_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return removeApproval()
	}
	if err != nil {
		return regError(msg.T("The autostart entry {{.Path}} could not be removed ({{.Reason}})."), err)
	}
	defer k.Close()
	if err := k.DeleteValue(valueName); err != nil && !errors.Is(err, registry.ErrNotExist) {
		return regError(msg.T("The autostart entry {{.Path}} could not be removed ({{.Reason}})."), err)
	}
	return removeApproval()
}

// removeApproval removes Task Manager's value for the entry, if any.
func removeApproval() error {
	k, err := registry.OpenKey(registry.CURRENT_USER, approvedKey, registry.SET_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return nil
	}
	if err != nil {
		return regError(msg.T("The autostart entry {{.Path}} could not be written ({{.Reason}})."), err)
	}
	defer k.Close()
	if err := k.DeleteValue(valueName); err != nil && !errors.Is(err, registry.ErrNotExist) {
		return regError(msg.T("The autostart entry {{.Path}} could not be written ({{.Reason}})."), err)
	}
	return nil
}

// CommandLine is the command line that runs the program with the
// arguments: the program's path always in quotes (a path with spaces
// unquoted would start C:\Program.exe if there were one), each argument
// quoted as CommandLineToArgvW and Go's os.Args read it back. A path
// cannot hold a quote; nothing may hold a control character or invalid
// UTF-8.
func CommandLine(program string, args ...string) (string, error) {
	for _, s := range append([]string{program}, args...) {
		if err := checkText(s); err != nil {
			return "", err
		}
	}
	if strings.Contains(program, `"`) {
		return "", msg.Errorf(nil, msg.T("Newswatch cannot start “{{.Program}}” at login: the path has a quotation mark."), "Program", program)
	}
	var b strings.Builder
	b.WriteString(`"` + program + `"`)
	for _, a := range args {
		b.WriteString(" " + windows.EscapeArg(a))
	}
	return b.String(), nil
}

func checkText(s string) error {
	if !utf8.ValidString(s) {
		return msg.Errorf(nil, msg.T("Newswatch cannot start “{{.Program}}” at login: the path is not valid text."), "Program", s)
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return msg.Errorf(nil, msg.T("Newswatch cannot start “{{.Program}}” at login: the path has a control character."), "Program", s)
		}
	}
	return nil
}

// regError says what failed on the entry, and why in the system's words.
func regError(tmpl string, err error) error {
	p, _ := Path()
	return msg.Errorf(err, tmpl, "Path", p, "Reason", msg.Cause(err).Error())
}
