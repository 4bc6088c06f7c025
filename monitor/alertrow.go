package monitor

import (
	"encoding/json"
	"time"

	"codeberg.org/newswatch/newswatch/monitor/alert"
	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// AlertColumns are the alert_history columns ScanAlert reads, in its
// order: the stored form of an alert.Alert, the same in both stores.
const AlertColumns = `id, at, kind, topic_id, topic_name, feed_id, feed_name, coverage, priority, title, body,
	stories, urgency, sound, status, reason, due, summary_id`

// ScanAlert reads one row of AlertColumns through scan (a database/sql
// or pgx row's Scan).
func ScanAlert(scan func(dest ...any) error) (alert.Alert, error) {
	var a alert.Alert
	var at, due int64
	var kind, coverage, priority, title, body, stories, status, reason string
	var urgency int
	if err := scan(&a.ID, &at, &kind, &a.TopicID, &a.TopicName, &a.FeedID, &a.FeedName, &coverage, &priority,
		&title, &body, &stories, &urgency, &a.Sound, &status, &reason, &due, &a.SummaryID); err != nil {
		return a, err
	}
	a.At, a.Due = millis(at), millis(due)
	a.Kind, a.Coverage, a.Priority = alert.Kind(kind), alert.Coverage(coverage), alert.Priority(priority)
	a.Title, a.Body = msg.Decode(title), msg.Decode(body)
	_ = json.Unmarshal([]byte(stories), &a.Stories)
	a.Urgency, a.Status, a.Reason = alert.Urgency(urgency), alert.Status(status), alert.Reason(reason)
	return a, nil
}

// millis is a stored Unix time in milliseconds (0: none).
func millis(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}
