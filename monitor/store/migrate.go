package store

import (
	"context"
	"database/sql"
	"fmt"

	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// migration brings the schema one version forward: SQL, then optionally
// Go code for what SQL cannot do (such as folding text).
type migration struct {
	sql string
	fn  func(ctx context.Context, tx *sql.Tx) error
}

// migrations[i] brings the schema from version i to i+1. Append only: a
// released migration never changes.
var migrations = []migration{
	// 1: feeds, topics, articles, matches, alerts, settings.
	{sql: `
CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
CREATE TABLE feeds (
	id            INTEGER PRIMARY KEY,
	url           TEXT NOT NULL UNIQUE,
	name          TEXT NOT NULL DEFAULT '',
	title         TEXT NOT NULL DEFAULT '',
	site_url      TEXT NOT NULL DEFAULT '',
	schedule      TEXT NOT NULL DEFAULT '',
	enabled       INTEGER NOT NULL DEFAULT 1,
	added         INTEGER NOT NULL,
	etag          TEXT NOT NULL DEFAULT '',
	last_modified TEXT NOT NULL DEFAULT '',
	last_fetch    INTEGER NOT NULL DEFAULT 0,
	last_success  INTEGER NOT NULL DEFAULT 0,
	last_error    TEXT NOT NULL DEFAULT '',
	failures      INTEGER NOT NULL DEFAULT 0,
	retry_at      INTEGER NOT NULL DEFAULT 0,
	gone          INTEGER NOT NULL DEFAULT 0,
	item_count    INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE topics (
	id      INTEGER PRIMARY KEY,
	name    TEXT NOT NULL UNIQUE COLLATE NOCASE,
	query   TEXT NOT NULL,
	enabled INTEGER NOT NULL DEFAULT 1,
	notify  INTEGER NOT NULL DEFAULT 1,
	color   TEXT NOT NULL DEFAULT '',
	created INTEGER NOT NULL
);
CREATE TABLE articles (
	id              INTEGER PRIMARY KEY,
	feed_id         INTEGER REFERENCES feeds(id) ON DELETE SET NULL,
	feed_name       TEXT NOT NULL,
	key             TEXT NOT NULL,
	link            TEXT NOT NULL DEFAULT '',
	title           TEXT NOT NULL,
	summary         TEXT NOT NULL,
	content         TEXT NOT NULL,
	author          TEXT NOT NULL,
	categories      TEXT NOT NULL,
	published       INTEGER NOT NULL,
	published_known INTEGER NOT NULL,
	first_seen      INTEGER NOT NULL,
	last_listed     INTEGER NOT NULL
);
CREATE UNIQUE INDEX articles_feed_key ON articles(feed_id, key);
CREATE INDEX articles_link ON articles(link) WHERE link <> '';
CREATE INDEX articles_published ON articles(published);
CREATE INDEX articles_first_seen ON articles(first_seen);
CREATE TABLE alerts (
	id      INTEGER PRIMARY KEY,
	at      INTEGER NOT NULL,
	silent  INTEGER NOT NULL DEFAULT 0,
	matches INTEGER NOT NULL
);
CREATE TABLE matches (
	id         INTEGER PRIMARY KEY,
	article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
	topic_id   INTEGER NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
	topic_name TEXT NOT NULL,
	hits       TEXT NOT NULL,
	matched_at INTEGER NOT NULL,
	read       INTEGER NOT NULL DEFAULT 0,
	starred    INTEGER NOT NULL DEFAULT 0,
	backlog    INTEGER NOT NULL DEFAULT 0,
	alert_id   INTEGER REFERENCES alerts(id),
	UNIQUE (article_id, topic_id)
);
CREATE INDEX matches_pending ON matches(id) WHERE alert_id IS NULL;
CREATE INDEX matches_topic ON matches(topic_id);
`},
	// 2: full-text index of the articles' folded text, for topic
	// backtests and the timeline's search box.
	{sql: `
CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, extra,
	content='', contentless_delete=1, detail=none, tokenize='unicode61 remove_diacritics 0');
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
	DELETE FROM articles_fts WHERE rowid = old.id;
END;
CREATE VIRTUAL TABLE articles_fts_words USING fts5vocab(articles_fts, 'row');
`, fn: backfillFTS},
	// 3: the timeline and its counts read one covering index: each match
	// carries its story's date.
	{sql: `
ALTER TABLE matches ADD COLUMN published INTEGER NOT NULL DEFAULT 0;
UPDATE matches SET published = (SELECT a.published FROM articles a WHERE a.id = matches.article_id);
CREATE INDEX matches_timeline ON matches(published, article_id, read, starred, topic_id);
DROP INDEX matches_topic;
`},
	// 4: a feed's last error also as a translatable message (last_error
	// keeps the English, for older versions and the command line).
	{sql: `
ALTER TABLE feeds ADD COLUMN last_error_msg TEXT NOT NULL DEFAULT '';
`},
	// 5: when a feed's last body was fetched; its items stay listed while
	// the feed answers 304 (see Prune).
	{sql: `
ALTER TABLE feeds ADD COLUMN listed_at INTEGER NOT NULL DEFAULT 0;
`},
	// 6: an article's date by its ID, from an index: the row holds the
	// date after its content, so reading it from the row reads the whole
	// story (backtests look up tens of thousands of candidates).
	{sql: `
CREATE INDEX articles_id_published ON articles(id, published);
`},
	// 7: the index's vocabulary, kept for *infix backtests: reading it
	// from fts5vocab walks the whole index (seconds at a million stories).
	{sql: `
CREATE TABLE fts_vocab (word TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE fts_vocab_state (id INTEGER PRIMARY KEY CHECK (id = 1), watermark INTEGER NOT NULL);
`},
	// 8: which process is reading which feed's body right now, so a
	// process that dies while reading one is noticed at the next start
	// (see monitor's crash marks).
	{sql: `
CREATE TABLE reading (
	feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
	owner   TEXT NOT NULL,
	since   INTEGER NOT NULL,
	PRIMARY KEY (feed_id, owner)
) WITHOUT ROWID;
`},
	// 9: stories. Every article is a report of one story (reports: the
	// article's story and source, apart from the wide articles rows, so
	// that giving a million stored articles their stories writes narrow
	// rows only); stories keep their lead report, dates, counts, read
	// state and escalation; story_feats keeps the story keys of recent
	// articles by date, from which each process holds the candidate index
	// of the window in memory (see storyWindow); each match carries its
	// story and the story's newest date, for the timeline of stories;
	// topics get their escalation setting. The stored articles are
	// assigned to stories once, here (upgradeStories).
	{sql: `
CREATE TABLE stories (
	id                 INTEGER PRIMARY KEY,
	lead               INTEGER NOT NULL,
	title              TEXT NOT NULL,
	first_seen         INTEGER NOT NULL,
	last_seen          INTEGER NOT NULL,
	reports            INTEGER NOT NULL,
	sources            INTEGER NOT NULL,
	read_sources       INTEGER NOT NULL DEFAULT 0,
	developing_at      INTEGER NOT NULL DEFAULT 0,
	developing_topic   INTEGER NOT NULL DEFAULT 0,
	developing_sources INTEGER NOT NULL DEFAULT 0,
	developing_span    INTEGER NOT NULL DEFAULT 0,
	developing_alert   INTEGER REFERENCES alerts(id)
);
CREATE INDEX stories_developing ON stories(id) WHERE developing_at > 0 AND developing_alert IS NULL;
CREATE TABLE reports (
	article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
	story_id   INTEGER NOT NULL,
	source     TEXT NOT NULL,
	published  INTEGER NOT NULL
);
CREATE TABLE story_feats (
	article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
	story_id   INTEGER NOT NULL,
	at         INTEGER NOT NULL,
	info       INTEGER NOT NULL,
	keys       BLOB NOT NULL
);
CREATE INDEX story_feats_at ON story_feats(at);
ALTER TABLE matches ADD COLUMN story_id INTEGER NOT NULL DEFAULT 0;
DROP INDEX matches_timeline;
ALTER TABLE topics ADD COLUMN escalate INTEGER NOT NULL DEFAULT 1;
ALTER TABLE topics ADD COLUMN escalate_sources INTEGER NOT NULL DEFAULT 0;
ALTER TABLE topics ADD COLUMN escalate_minutes INTEGER NOT NULL DEFAULT 0;
`, fn: upgradeStories},
	// 10: full text. An article keeps the text of its web page
	// (full_text, after everything the timeline reads); pages is the
	// queue of pages to read and what reading each gave (state 0 waiting,
	// 1 being read by owner, 2 read, 3 missed, with why in note); a feed
	// keeps its "Fetch full articles" setting ('' automatic, 'on',
	// 'off'), what automatic found (teasers) and the note on its last
	// pages. See monitor/pages.go.
	{sql: `
ALTER TABLE articles ADD COLUMN full_text TEXT NOT NULL DEFAULT '';
ALTER TABLE feeds ADD COLUMN full_text TEXT NOT NULL DEFAULT '';
ALTER TABLE feeds ADD COLUMN teasers INTEGER NOT NULL DEFAULT 0;
ALTER TABLE feeds ADD COLUMN pages_note TEXT NOT NULL DEFAULT '';
CREATE TABLE pages (
	article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
	feed_id    INTEGER NOT NULL,
	state      INTEGER NOT NULL DEFAULT 0,
	backlog    INTEGER NOT NULL DEFAULT 0,
	owner      TEXT NOT NULL DEFAULT '',
	at         INTEGER NOT NULL,
	note       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX pages_waiting ON pages(article_id) WHERE state = 0;
CREATE INDEX pages_reading ON pages(article_id) WHERE state = 1;
`},
	// 11: alerts an analyst can act on and tune (monitor/alert): each
	// topic's alert policy; each feed's coverage (alerts on or off, since
	// when it fails, its state); the alert history of every decision
	// (pending ones are the batches and digests waiting for their
	// summary); what the alerts remember of each topic; each topic's
	// stories by the time they arrived (its volume, for charts and
	// spikes; filled from the stored matches); a feed's stories by date,
	// for its rhythm, and its newest story's date.
	{sql: `
ALTER TABLE topics ADD COLUMN priority TEXT NOT NULL DEFAULT '';
ALTER TABLE topics ADD COLUMN delivery TEXT NOT NULL DEFAULT '';
ALTER TABLE topics ADD COLUMN spikes INTEGER NOT NULL DEFAULT 1;
ALTER TABLE feeds ADD COLUMN coverage_alerts INTEGER NOT NULL DEFAULT 1;
ALTER TABLE feeds ADD COLUMN failing_since INTEGER NOT NULL DEFAULT 0;
ALTER TABLE feeds ADD COLUMN coverage TEXT NOT NULL DEFAULT '';
ALTER TABLE feeds ADD COLUMN coverage_since INTEGER NOT NULL DEFAULT 0;
ALTER TABLE feeds ADD COLUMN newest INTEGER NOT NULL DEFAULT 0;
UPDATE feeds SET failing_since = last_fetch WHERE failures > 0;
CREATE TABLE alert_history (
	id         INTEGER PRIMARY KEY,
	at         INTEGER NOT NULL,
	kind       TEXT NOT NULL,
	topic_id   INTEGER NOT NULL DEFAULT 0,
	topic_name TEXT NOT NULL DEFAULT '',
	feed_id    INTEGER NOT NULL DEFAULT 0,
	feed_name  TEXT NOT NULL DEFAULT '',
	coverage   TEXT NOT NULL DEFAULT '',
	priority   TEXT NOT NULL DEFAULT '',
	title      TEXT NOT NULL,
	body       TEXT NOT NULL,
	stories    TEXT NOT NULL DEFAULT '[]',
	urgency    INTEGER NOT NULL DEFAULT 1,
	sound      TEXT NOT NULL DEFAULT '',
	status     TEXT NOT NULL,
	reason     TEXT NOT NULL DEFAULT '',
	due        INTEGER NOT NULL DEFAULT 0,
	summary_id INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX alert_history_at ON alert_history(at);
CREATE INDEX alert_history_pending ON alert_history(due) WHERE status = 'pending';
CREATE TABLE topic_alerts (
	topic_id    INTEGER PRIMARY KEY REFERENCES topics(id) ON DELETE CASCADE,
	last_shown  INTEGER NOT NULL DEFAULT 0,
	spike_at    INTEGER NOT NULL DEFAULT 0,
	significant INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE topic_volume (
	topic_id INTEGER NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
	story_id INTEGER NOT NULL,
	at       INTEGER NOT NULL,
	quiet    INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (topic_id, story_id)
) WITHOUT ROWID;
CREATE INDEX topic_volume_at ON topic_volume(topic_id, at, quiet);
INSERT INTO topic_volume (topic_id, story_id, at, quiet)
	SELECT m.topic_id, CASE WHEN m.story_id <> 0 THEN m.story_id ELSE m.article_id END,
		min(min(a.published, m.matched_at)),
		min(m.backlog OR coalesce((SELECT al.silent FROM alerts al WHERE al.id = m.alert_id), 0))
	FROM matches m JOIN articles a ON a.id = m.article_id
	GROUP BY 1, 2;
CREATE INDEX articles_feed_published ON articles(feed_id, published);
UPDATE feeds SET newest = coalesce((SELECT max(published) FROM articles WHERE feed_id = feeds.id), 0);
`},
}

// SchemaVersion is the schema this build writes.
var SchemaVersion = len(migrations)

// migrate brings the schema up to SchemaVersion, one version per write
// transaction. The version is read inside each transaction: two processes
// opening a new (or older) database at once take turns, and the second
// finds the work done instead of doing it again.
func (s *Store) migrate(ctx context.Context) error {
	var v int
	if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return dbError(s.path, fmt.Errorf("read database %s: %w", s.path, err))
	}
	if v > SchemaVersion {
		return s.newerError(v)
	}
	for v < SchemaVersion {
		err := s.write(ctx, func(tx *sql.Tx) error {
			if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
				return fmt.Errorf("read database %s: %w", s.path, err)
			}
			if v >= SchemaVersion {
				return nil // another process did it meanwhile
			}
			m := migrations[v]
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return fmt.Errorf("migrate database %s to schema %d: %w", s.path, v+1, err)
			}
			if m.fn != nil {
				if err := m.fn(ctx, tx); err != nil {
					return fmt.Errorf("migrate database %s to schema %d: %w", s.path, v+1, err)
				}
			}
			v++
			_, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v))
			return err
		})
		if err != nil {
			return dbError(s.path, err)
		}
	}
	if v > SchemaVersion {
		return s.newerError(v)
	}
	return nil
}

func (s *Store) newerError(v int) error {
	return msg.Errorf(nil, msg.T("The database {{.Path}} was written by a newer Newswatch (schema {{.Schema}}; this version knows up to {{.Known}}); it was left untouched — please update Newswatch."),
		"Path", s.path, "Schema", v, "Known", SchemaVersion)
}
