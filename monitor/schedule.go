package monitor

import (
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"codeberg.org/newswatch/newswatch/monitor/msg"
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
		return nil, msg.Errorf(nil, msg.T("The schedule is empty; use for example “@every 10m” or “*/15 * * * *”."))
	}
	rest := spec
	if strings.HasPrefix(spec, "CRON_TZ=") || strings.HasPrefix(spec, "TZ=") {
		tz, after, ok := strings.Cut(spec, " ")
		zone := tz[strings.IndexByte(tz, '=')+1:]
		if zone == "" {
			return nil, msg.Errorf(nil, msg.T("In the schedule “{{.Spec}}”, CRON_TZ= needs a time zone name such as Europe/Berlin."), "Spec", spec)
		}
		if !ok || strings.TrimSpace(after) == "" {
			return nil, msg.Errorf(nil, msg.T("In the schedule “{{.Spec}}”, the time zone must be followed by the schedule itself, e.g. “{{.Example}}”."), "Spec", spec, "Example", tz+" 0 7 * * *")
		}
		if _, err := time.LoadLocation(zone); err != nil {
			return nil, msg.Errorf(nil, msg.T("The schedule “{{.Spec}}” names an unknown time zone, “{{.Zone}}”."), "Spec", spec, "Zone", zone)
		}
		rest = after
	}
	if strings.HasPrefix(rest, "@every") {
		d, err := time.ParseDuration(strings.TrimSpace(strings.TrimPrefix(rest, "@every")))
		if err != nil {
			return nil, msg.Errorf(nil, msg.T("In the schedule “{{.Spec}}”, @every needs a duration such as 10m or 1h30m."), "Spec", spec)
		}
		if d < MinInterval {
			return nil, msg.Errorf(nil, msg.T("The schedule “{{.Spec}}” checks more often than once a minute, which is not allowed."), "Spec", spec)
		}
	}
	if !strings.HasPrefix(rest, "@") {
		if n := len(strings.Fields(rest)); n != 5 {
			return nil, msg.Errorf(nil, msg.T("The schedule “{{.Spec}}” has {{.Fields}} fields; a cron schedule has 5: minute hour day-of-month month day-of-week."), "Spec", spec, "Fields", n)
		}
	}
	defer func() {
		if r := recover(); r != nil {
			sched, err = nil, msg.Errorf(nil, msg.T("The schedule “{{.Spec}}” is not valid."), "Spec", spec)
		}
	}()
	sched, err = cronParser.Parse(spec)
	if err != nil {
		return nil, msg.Errorf(err, msg.T("The schedule “{{.Spec}}” is not valid ({{.Reason}})."), "Spec", spec, "Reason", err.Error())
	}
	// A spec that can never fire (30 February) is as useless as a wrong one.
	now := time.Now()
	if sched.Next(now).IsZero() {
		return nil, msg.Errorf(nil, msg.T("The schedule “{{.Spec}}” never runs."), "Spec", spec)
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
