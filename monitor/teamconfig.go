package monitor

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// TeamFile is the file in the data directory that points the desktop app
// and the command line at a team database (the "Team database" setting);
// without it they use the data directory's own SQLite database.
const TeamFile = "team.json"

// StoreEnv and UserEnv name the environment variables that choose the
// store (a postgres:// URL) and the user in it.
const (
	StoreEnv = "NEWSWATCH_STORE"
	UserEnv  = "NEWSWATCH_USER"
)

// TeamConfig is the "Team database" setting.
type TeamConfig struct {
	// Store is the team database's URL (postgres://…); "" is none.
	Store string `json:"store"`
	// User is the analyst in it ("": the system's user name).
	User string `json:"user,omitempty"`
	// NoPolling leaves checking the feeds to the team's servers.
	NoPolling bool `json:"no_polling,omitempty"`
	// MineOnly shows only the user's personal topics.
	MineOnly bool `json:"my_topics_only,omitempty"`
}

// LoadTeamConfig reads the data directory's team setting (the zero
// value when there is none).
func LoadTeamConfig(dir string) (TeamConfig, error) {
	var c TeamConfig
	b, err := os.ReadFile(filepath.Join(dir, TeamFile))
	if errors.Is(err, os.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return c, msg.Errorf(err, msg.T("The team database setting {{.Path}} cannot be read ({{.Reason}})."), "Path", filepath.Join(dir, TeamFile), "Reason", err.Error())
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return c, msg.Errorf(err, msg.T("The team database setting {{.Path}} is damaged ({{.Reason}}); set it again."), "Path", filepath.Join(dir, TeamFile), "Reason", err.Error())
	}
	return c, nil
}

// SaveTeamConfig writes the team setting (readable only by the user: the
// URL may hold a password); a setting without Store removes it.
func SaveTeamConfig(dir string, c TeamConfig) error {
	path := filepath.Join(dir, TeamFile)
	if c.Store == "" {
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("remove the team database setting: %w", err)
		}
		return nil
	}
	if err := ValidateStoreURL(c.Store); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create data directory %s: %w", dir, err)
	}
	b, _ := json.MarshalIndent(c, "", "  ")
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("save the team database setting: %w", err)
	}
	return os.Rename(tmp, path)
}

// ValidateStoreURL checks that s names a PostgreSQL database.
func ValidateStoreURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return msg.Errorf(err, msg.T("“{{.Store}}” is not a team database; give its address as postgres://HOST/DATABASE."), "Store", RedactURL(s))
	}
	return nil
}

// RedactURL is a database URL with its password hidden, for showing.
func RedactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return strings.Replace(u.String(), "xxxxx", "***", 1)
}
