package monitor

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
)

// DataDirEnv names the environment variable that overrides the data
// directory.
const DataDirEnv = "NEWSWATCH_DATA"

// DataDir returns the data directory: flag if given, else $NEWSWATCH_DATA,
// else $XDG_DATA_HOME/newswatch (~/.local/share/newswatch) on Linux and
// the BSDs, else the system's per-user application data folder.
func DataDir(flag string) (string, error) {
	if flag != "" {
		return filepath.Abs(flag)
	}
	if env := os.Getenv(DataDirEnv); env != "" {
		return filepath.Abs(env)
	}
	switch runtime.GOOS {
	case "windows", "darwin", "ios", "android":
		dir, err := os.UserConfigDir()
		if err != nil {
			return "", fmt.Errorf("cannot find a data directory: %w; use --data DIR or NEWSWATCH_DATA", err)
		}
		return filepath.Join(dir, "Newswatch"), nil
	}
	if xdg := os.Getenv("XDG_DATA_HOME"); filepath.IsAbs(xdg) {
		return filepath.Join(xdg, "newswatch"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil || home == "" {
		return "", errors.New("cannot find a data directory: $HOME is not set; use --data DIR or NEWSWATCH_DATA")
	}
	return filepath.Join(home, ".local", "share", "newswatch"), nil
}
