package autostart

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"
)

var keys atomic.Int32

// isolate points the Run and StartupApproved keys at keys of the test's
// own, removed when it ends.
func isolate(t *testing.T) {
	t.Helper()
	base := fmt.Sprintf(`Software\Newswatch-test-%d-%d`, os.Getpid(), keys.Add(1))
	oldRun, oldApproved := runKey, approvedKey
	runKey, approvedKey = base+`\Run`, base+`\StartupApproved\Run`
	t.Cleanup(func() {
		runKey, approvedKey = oldRun, oldApproved
		for _, k := range []string{base + `\StartupApproved\Run`, base + `\StartupApproved`, base + `\Run`, base} {
			registry.DeleteKey(registry.CURRENT_USER, k)
		}
	})
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

func runValue(t *testing.T) string {
	t.Helper()
	k, err := registry.OpenKey(registry.CURRENT_USER, runKey, registry.QUERY_VALUE)
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	v, typ, err := k.GetStringValue(valueName)
	if err != nil || typ != registry.SZ {
		t.Fatalf("Run value: %q, type %d, %v", v, typ, err)
	}
	return v
}

func TestWindowsEnableDisable(t *testing.T) {
	for _, c := range []struct{ exe, data string }{
		{`C:\Users\Jürgen Weiß\AppData\Local\Programs\Newswatch\newswatch.exe`, `C:\Users\Jürgen Weiß\AppData\Roaming\Newswatch`},
		{`C:\Newswatch\newswatch.exe`, `D:\Nachrichten\`},
		{`\\server\share\Tools\newswatch.exe`, `D:\odd "quoted" & 100% ^caret; dir\`},
	} {
		t.Run(c.exe, func(t *testing.T) {
			isolate(t)
			mustEnabled(t, false)
			if err := Enable(c.exe, "--data", c.data); err != nil {
				t.Fatal(err)
			}
			mustEnabled(t, true)
			v := runValue(t)
			if !strings.HasPrefix(v, `"`+c.exe+`" `) {
				t.Errorf("the value %s does not start with the quoted program", v)
			}
			args, err := windows.DecomposeCommandLine(v)
			if want := []string{c.exe, MinimizedFlag, "--data", c.data}; err != nil || !slices.Equal(args, want) {
				t.Errorf("the value %s reads back as %q, %v; want %q", v, args, err, want)
			}
			// Again, for another program: rewritten.
			if err := Enable(`C:\Newer\newswatch.exe`); err != nil {
				t.Fatal(err)
			}
			if v := runValue(t); v != `"C:\Newer\newswatch.exe" --minimized` {
				t.Errorf("after enabling again: %s", v)
			}
			if err := Disable(); err != nil {
				t.Fatal(err)
			}
			mustEnabled(t, false)
			if err := Disable(); err != nil {
				t.Errorf("disabling twice: %v", err)
			}
		})
	}
}

// An entry switched off in Task Manager is off; enabling switches it on.
func TestWindowsSwitchedOffInTaskManager(t *testing.T) {
	isolate(t)
	if err := Enable(`C:\Newswatch\newswatch.exe`); err != nil {
		t.Fatal(err)
	}
	k, _, err := registry.CreateKey(registry.CURRENT_USER, approvedKey, registry.SET_VALUE|registry.QUERY_VALUE)
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	for _, c := range []struct {
		first byte
		on    bool
	}{{3, false}, {2, true}, {7, false}, {6, true}} {
		if err := k.SetBinaryValue(valueName, []byte{c.first, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}); err != nil {
			t.Fatal(err)
		}
		mustEnabled(t, c.on)
	}
	k.SetBinaryValue(valueName, []byte{3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})
	mustEnabled(t, false)
	if err := Enable(`C:\Newswatch\newswatch.exe`); err != nil {
		t.Fatal(err)
	}
	mustEnabled(t, true)
	if _, _, err := k.GetBinaryValue(valueName); err != registry.ErrNotExist {
		t.Errorf("Task Manager's value after enabling: %v; want it removed", err)
	}
}

func TestWindowsRefused(t *testing.T) {
	isolate(t)
	for _, c := range []struct {
		exe  string
		args []string
		want string
	}{
		{`newswatch.exe`, nil, "absolute path"},
		{`C:\odd"name\newswatch.exe`, nil, "quotation mark"},
		{`C:\Newswatch\newswatch.exe`, []string{"--data", "C:\\a\nb"}, "control character"},
		{`C:\Newswatch\newswatch.exe`, []string{"--data", "C:\\\xff"}, "not valid text"},
	} {
		err := Enable(c.exe, c.args...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Enable(%q, %q) = %v; want %q", c.exe, c.args, err, c.want)
		}
	}
	mustEnabled(t, false)
}
