package monitor

import (
	"context"
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"time"

	"codeberg.org/newswatch/newswatch/monitor/export"
	"codeberg.org/newswatch/newswatch/monitor/inert"
)

// ExportAlerts writes the alert history the filter selects as CSV (the
// analyst's audit trail; bom: a UTF-8 byte-order mark for Excel) and
// returns how many alerts it wrote.
func (s *Service) ExportAlerts(ctx context.Context, w io.Writer, f AlertFilter, bom bool) (int, error) {
	as, err := s.store.AlertHistory(ctx, f)
	if err != nil {
		return 0, err
	}
	return len(as), writeAlertsCSV(w, as, s.now(), bom)
}

// alertsHeader is the alert CSV's header row.
var alertsHeader = []string{"id", "at", "kind", "topic", "feed", "priority", "status", "reason", "outcome",
	"title", "body", "stories", "due", "summary_id"}

// writeAlertsCSV writes alerts as CSV: RFC 4180, times in RFC 3339 UTC,
// every cell stripped of control characters and neutralized against
// formula injection (as exports are).
func writeAlertsCSV(w io.Writer, as []Alert, now time.Time, bom bool) error {
	if bom {
		if _, err := io.WriteString(w, "\ufeff"); err != nil {
			return err
		}
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(alertsHeader); err != nil {
		return err
	}
	for _, a := range as {
		summary := ""
		if a.SummaryID != 0 {
			summary = strconv.FormatInt(a.SummaryID, 10)
		}
		row := []string{strconv.FormatInt(a.ID, 10), timeCell(a.At), string(a.Kind), a.TopicName, a.FeedName,
			a.Priority.String(), string(a.Status), string(a.Reason), a.Outcome(now).String(), a.Title.String(),
			a.Body.String(), joinIDs(a.Stories, ";"), timeCell(a.Due), summary}
		for i := range row {
			row[i] = export.Neutralize(inert.Strip(row[i]))
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func timeCell(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// joinIDs lists IDs with sep between them.
func joinIDs(ids []int64, sep string) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, sep)
}
