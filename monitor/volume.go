package monitor

import (
	"context"
	"time"
)

// Volume is a topic's stories over time, for its charts: each story once
// per topic, at the time it arrived (its date, never later than when it
// was found), the backlog of new feeds and stories added by applying the
// topic to the past included. Buckets follow the local clock.
type Volume struct {
	// Hours are the stories of the last 48 hours, an hour each, oldest
	// first: Hours[i] counts [HoursFrom+i h, HoursFrom+(i+1) h); the last
	// is the hour running now.
	Hours     []int
	HoursFrom time.Time
	// Days are the stories of the last 30 local days, oldest first; the
	// last is today. DayStarts[i] is the local midnight that starts
	// Days[i] (a day is 23 or 25 hours when the clocks change).
	Days      []int
	DayStarts []time.Time
}

// Volume's extent.
const (
	VolumeHours = 48
	VolumeDays  = 30
)

// TopicVolume returns a topic's volume: stories per hour over the last
// 48 hours and per day over the last 30 days.
func (s *Service) TopicVolume(ctx context.Context, topicID int64) (Volume, error) {
	return s.topicVolume(ctx, topicID, s.now(), s.loc)
}

func (s *Service) topicVolume(ctx context.Context, topicID int64, now time.Time, loc *time.Location) (Volume, error) {
	v := Volume{Hours: make([]int, VolumeHours), Days: make([]int, VolumeDays), DayStarts: make([]time.Time, VolumeDays+1)}
	ln := now.In(loc)
	y, m, d := ln.Date()
	hourStart := time.Date(y, m, d, ln.Hour(), 0, 0, 0, loc)
	if hourStart.After(now) { // the hour the clocks went back to
		hourStart = hourStart.Add(-time.Hour)
	}
	v.HoursFrom = hourStart.Add(-(VolumeHours - 1) * time.Hour)
	for i := range v.DayStarts {
		v.DayStarts[i] = time.Date(y, m, d-(VolumeDays-1)+i, 0, 0, 0, 0, loc)
	}
	arrivals, err := s.store.Arrivals(ctx, topicID, v.DayStarts[0].Add(-time.Nanosecond))
	if err != nil {
		return v, err
	}
	day := 0
	for _, a := range arrivals {
		if a.At.After(now) {
			continue
		}
		if !a.At.Before(v.HoursFrom) {
			if i := int(a.At.Sub(v.HoursFrom) / time.Hour); i < VolumeHours {
				v.Hours[i]++
			}
		}
		for day < VolumeDays-1 && !a.At.Before(v.DayStarts[day+1]) {
			day++
		}
		v.Days[day]++
	}
	v.DayStarts = v.DayStarts[:VolumeDays]
	return v, nil
}
