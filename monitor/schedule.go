package monitor

import (
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
	_ "time/tzdata" // CRON_TZ= needs zone data on every system
)

// DefaultSchedule is how often feeds are checked unless the user says
// otherwise.
const DefaultSchedule = "@every 10m"

// MinInterval is the shortest time between two checks of a feed that a
// schedule may ask for; anything faster is impolite to the servers.
const MinInterval = time.Minute

var cronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// ParseSchedule reads a schedule: a standard five-field cron spec
// ("*/15 6-22 * * 1-5"), a descriptor ("@hourly", "@every 5m"), either
// optionally after "CRON_TZ=Europe/Berlin ". An invalid spec is refused
// with a message that names the problem; the parser never panics.
func ParseSchedule(spec string) (sched cron.Schedule, err error) {
	spec = strings.Join(strings.Fields(spec), " ")
	if spec == "" {
		return nil, fmt.Errorf("the schedule is empty; use for example %q or \"*/15 * * * *\"", DefaultSchedule)
	}
	rest := spec
	if strings.HasPrefix(spec, "CRON_TZ=") || strings.HasPrefix(spec, "TZ=") {
		tz, after, ok := strings.Cut(spec, " ")
		zone := tz[strings.IndexByte(tz, '=')+1:]
		if zone == "" {
			return nil, fmt.Errorf("schedule %q: CRON_TZ= needs a time zone name such as Europe/Berlin", spec)
		}
		if !ok || strings.TrimSpace(after) == "" {
			return nil, fmt.Errorf("schedule %q: the time zone must be followed by the schedule itself, e.g. %q", spec, tz+" 0 7 * * *")
		}
		if _, err := time.LoadLocation(zone); err != nil {
			return nil, fmt.Errorf("schedule %q: unknown time zone %q", spec, zone)
		}
		rest = after
	}
	if strings.HasPrefix(rest, "@every") {
		d, err := time.ParseDuration(strings.TrimSpace(strings.TrimPrefix(rest, "@every")))
		if err != nil {
			return nil, fmt.Errorf("schedule %q: @every needs a duration such as 10m or 1h30m", spec)
		}
		if d < MinInterval {
			return nil, fmt.Errorf("schedule %q: checking more often than every %s is not allowed", spec, MinInterval)
		}
	}
	if !strings.HasPrefix(rest, "@") {
		if n := len(strings.Fields(rest)); n != 5 {
			return nil, fmt.Errorf("schedule %q has %d fields; a cron schedule has 5: minute hour day-of-month month day-of-week", spec, n)
		}
	}
	defer func() {
		if r := recover(); r != nil {
			sched, err = nil, fmt.Errorf("schedule %q is not valid", spec)
		}
	}()
	sched, err = cronParser.Parse(spec)
	if err != nil {
		return nil, fmt.Errorf("schedule %q is not valid: %v", spec, err)
	}
	// A spec that can never fire (30 February) is as useless as a wrong one.
	now := time.Now()
	if sched.Next(now).IsZero() {
		return nil, fmt.Errorf("schedule %q never runs", spec)
	}
	return sched, nil
}

// ValidateSchedule checks spec; the empty spec (use the global schedule)
// is valid here.
func ValidateSchedule(spec string) error {
	if strings.TrimSpace(spec) == "" {
		return nil
	}
	_, err := ParseSchedule(spec)
	return err
}
