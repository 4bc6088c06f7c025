package msg

import (
	"testing"
	"time"
)

func TestWhen(t *testing.T) {
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.Local)
	tests := []struct {
		t    time.Time
		want string
	}{
		{time.Time{}, "never"},
		{now.Add(-10 * time.Second), "just now"},
		{now.Add(10 * time.Second), "in a moment"},
		{now.Add(-12 * time.Minute), "12 min ago"},
		{now.Add(7 * time.Minute), "in 7 min"},
		{now.Add(-3 * time.Hour), "at 09:00"},
		{now.Add(-20 * time.Hour), "yesterday 16:00"},
		{now.Add(20 * time.Hour), "tomorrow 08:00"},
		{time.Date(2026, 3, 3, 9, 12, 0, 0, time.Local), "3 Mar 09:12"},
		{time.Date(2024, 11, 3, 9, 12, 0, 0, time.Local), "3 Nov 2024"},
	}
	for _, tt := range tests {
		if got := When(tt.t, now).String(); got != tt.want {
			t.Errorf("When(%v) = %q, want %q", tt.t, got, tt.want)
		}
	}
	for at, want := range map[time.Time]string{
		now.Add(-3 * time.Hour):                         "09:00",
		now.Add(-20 * time.Hour):                        "yesterday 16:00",
		time.Date(2026, 3, 3, 9, 12, 0, 0, time.Local):  "3 Mar 09:12",
		time.Date(2024, 11, 3, 9, 12, 0, 0, time.Local): "3 Nov 2024",
	} {
		if got := Moment(at, now).String(); got != want {
			t.Errorf("Moment(%v) = %q, want %q", at, got, want)
		}
	}
	if got := Day(now, now).String(); got != "Today — Monday, 30 November" {
		t.Errorf("Day(today) = %q", got)
	}
	if got := Day(now.AddDate(0, 0, -1), now).String(); got != "Yesterday — Sunday, 29 November" {
		t.Errorf("Day(yesterday) = %q", got)
	}
	if got := Day(time.Date(2025, 5, 1, 8, 0, 0, 0, time.Local), now).String(); got != "Thursday, 1 May 2025" {
		t.Errorf("Day(last year) = %q", got)
	}
	if got := DateTime(time.Date(2025, 11, 2, 14, 5, 0, 0, time.Local)).String(); got != "2 Nov 2025, 14:05" {
		t.Errorf("DateTime = %q", got)
	}
}
