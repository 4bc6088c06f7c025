package main

import (
	"bytes"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"codeberg.org/newswatch/newswatch/monitor"
)

// TestMain lets the test binary act as newswatch itself, so the tests can
// run it as a user would.
func TestMain(m *testing.M) {
	if os.Getenv("NEWSWATCH_TEST_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

func runSelf(t *testing.T, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(append(os.Environ(), "NEWSWATCH_TEST_MAIN=1", "NEWSWATCH_DATA="+t.TempDir(), "LANGUAGE="), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String(), code
}

// A headless command prints nothing on stderr, also under the C.UTF-8
// locale that makes Fyne log a locale error while it initializes.
func TestQuietUnderCLocale(t *testing.T) {
	for _, lang := range []string{"C.UTF-8", "C", "de_DE.UTF-8", "POSIX.utf8"} {
		out, errOut, code := runSelf(t, []string{"LANG=" + lang, "LC_ALL=", "LC_MESSAGES="}, "version")
		if code != 0 || errOut != "" || !strings.Contains(out, monitor.Version) {
			t.Errorf("LANG=%s: exit %d, stdout %q, stderr %q", lang, code, out, errOut)
		}
	}
}

func TestUsageErrorExitCode(t *testing.T) {
	_, errOut, code := runSelf(t, nil, "frobnicate")
	if code != 2 || !strings.Contains(errOut, `unknown command "frobnicate"`) {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
}

// FyneApp.toml and the engine name the same version and app ID.
func TestMetadataAgrees(t *testing.T) {
	toml, err := os.ReadFile("../../FyneApp.toml")
	if err != nil {
		t.Fatal(err)
	}
	if m := regexp.MustCompile(`(?m)^\s*Version\s*=\s*"([^"]+)"`).FindSubmatch(toml); m == nil || string(m[1]) != monitor.Version {
		t.Errorf("FyneApp.toml version %q, monitor.Version %q", m, monitor.Version)
	}
	if m := regexp.MustCompile(`(?m)^\s*ID\s*=\s*"([^"]+)"`).FindSubmatch(toml); m == nil || string(m[1]) != AppID {
		t.Errorf("FyneApp.toml ID %q, AppID %q", m, AppID)
	}
}
