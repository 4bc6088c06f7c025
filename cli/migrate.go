package cli

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/msg"
	"codeberg.org/newswatch/newswatch/monitor/pgstore"
	"codeberg.org/newswatch/newswatch/monitor/store"
)

// migrateCmd copies an analyst's SQLite database into a team database:
// newswatch migrate --from sqlite:PATH --to postgres://HOST/DATABASE.
func migrateCmd(fs *flag.FlagSet) func(*cmdCtx, []string) error {
	from := fs.String("from", "", "the SQLite database: sqlite:DATA-DIRECTORY or sqlite:FILE.db")
	to := fs.String("to", "", "the team database: postgres://HOST/DATABASE")
	return func(c *cmdCtx, args []string) error {
		if len(args) != 0 || *from == "" || *to == "" {
			return usagef("migrate needs --from sqlite:PATH and --to postgres://HOST/DATABASE")
		}
		path, ok := strings.CutPrefix(*from, "sqlite:")
		if !ok || path == "" {
			return usagef("--from names the SQLite database as sqlite:PATH (a data directory or its newswatch.db)")
		}
		if err := monitor.ValidateStoreURL(*to); err != nil {
			return err
		}
		if st, err := os.Stat(path); err == nil && st.IsDir() {
			path = filepath.Join(path, store.FileName)
		}
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			return msg.Errorf(err, msg.T("There is no Newswatch database at {{.Path}}."), "Path", path)
		}
		if f, err := os.Open(path); err != nil {
			return msg.Errorf(err, msg.T("The database {{.Path}} cannot be read ({{.Reason}})."), "Path", path, "Reason", errors.Unwrap(err).Error())
		} else {
			f.Close()
		}
		src, err := store.OpenFile(path)
		if err != nil {
			return err
		}
		defer src.Close()
		// Whose read and starred stories and alert history they are.
		user := cmpOr(c.team.User, cmpOr(os.Getenv(monitor.UserEnv), pgstore.DefaultUser()))
		dst, err := pgstore.Open(c.ctx, *to, pgstore.Options{User: user})
		if err != nil {
			return err
		}
		defer dst.Close()
		fmt.Fprintf(c.out, "Copying %s into %s for %s…\n", path, monitor.RedactURL(*to), user)
		start := time.Now()
		st, err := dst.CopyFromSQLite(c.ctx, src.DB(), func(what string) {
			fmt.Fprintf(c.out, "  %s\n", what)
		})
		if err != nil {
			if errors.Is(err, c.ctx.Err()) {
				return msg.Errorf(err, msg.T("The copy was stopped; the team database is as it was."))
			}
			return err
		}
		fmt.Fprintf(c.out, "Copied in %s: %s, %s, %s (%d already in the team database), %s, %s, %s.\n",
			time.Since(start).Round(time.Millisecond), plural(st.Feeds, "feed", "feeds"), plural(st.Topics, "topic", "topics"),
			plural(st.Articles, "article", "articles"), st.Joined, plural(st.Stories, "story", "stories"),
			plural(st.Matches, "match", "matches"), plural(st.Alerts, "alert", "alerts"))
		return nil
	}
}
