package monitor

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// On Windows the data directory is %APPDATA%\Newswatch; --data and
// NEWSWATCH_DATA override it.
func TestWindowsDataDir(t *testing.T) {
	appData := `C:\Users\Jürgen Weiß\AppData\Roaming`
	t.Setenv("APPDATA", appData)
	t.Setenv(DataDirEnv, "")
	if got, err := DataDir(""); err != nil || got != appData+`\Newswatch` {
		t.Errorf("DataDir() = %q, %v; want %s", got, err, appData+`\Newswatch`)
	}
	t.Setenv(DataDirEnv, `D:\Nachrichten Daten`)
	if got, err := DataDir(""); err != nil || got != `D:\Nachrichten Daten` {
		t.Errorf("with NEWSWATCH_DATA: %q, %v", got, err)
	}
	if got, err := DataDir(`E:\Überwachung`); err != nil || got != `E:\Überwachung` {
		t.Errorf("with --data: %q, %v", got, err)
	}
	wd, _ := os.Getwd()
	if got, err := DataDir("daten"); err != nil || got != filepath.Join(wd, "daten") {
		t.Errorf("with a relative --data: %q, %v", got, err)
	}
	t.Setenv(DataDirEnv, "")
	t.Setenv("APPDATA", "")
	if got, err := DataDir(""); err == nil || !strings.Contains(err.Error(), "use --data DIR or NEWSWATCH_DATA") {
		t.Errorf("without APPDATA: %q, %v; want an error that names --data", got, err)
	}
}
