package pgstore

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// Probe is what Check found at a team database's address.
type Probe struct {
	// Server is the PostgreSQL version ("15.10").
	Server string
	// Schema is the Newswatch schema version the database holds (0: none
	// yet; Open creates it).
	Schema int
	// Users is how many analysts have used it.
	Users int
}

// Check connects to the database at rawURL and says what is there,
// changing nothing (Open creates and upgrades the schema): the "Test
// connection" of the desktop app's Team database setting. user is
// checked as a user name.
func Check(ctx context.Context, rawURL, user string) (Probe, error) {
	var p Probe
	if user != "" {
		if err := validUser(user); err != nil {
			return p, err
		}
	}
	cfg, err := pgx.ParseConfig(rawURL)
	if err != nil {
		return p, msg.Errorf(err, msg.T("The team database address is not valid ({{.Reason}})."), "Reason", err.Error())
	}
	if cfg.ConnectTimeout == 0 || cfg.ConnectTimeout > 10*time.Second {
		cfg.ConnectTimeout = 10 * time.Second
	}
	s := &Store{where: describe(rawURL)}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return p, s.explain(err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if err := conn.QueryRow(ctx, `SELECT current_setting('server_version')`).Scan(&p.Server); err != nil {
		return p, s.explain(err)
	}
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT to_regclass('newswatch_schema') IS NOT NULL AND to_regclass('users') IS NOT NULL`).Scan(&exists); err != nil {
		return p, s.explain(err)
	}
	if !exists {
		return p, nil
	}
	err = conn.QueryRow(ctx, `SELECT (SELECT coalesce(max(version), 0) FROM newswatch_schema), (SELECT count(*) FROM users)`).Scan(&p.Schema, &p.Users)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return p, s.explain(err)
	}
	return p, nil
}
