package cli

import (
	"flag"
	"fmt"
	"strings"
	"time"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/alert"
)

// topicsSet changes a topic's alert policy and notifications.
func topicsSet(fs *flag.FlagSet) func(*cmdCtx, []string) error {
	var priority, delivery, spikes, notify optString
	fs.Var(&priority, "priority", "normal, high (a sound) or critical (stays on screen; passes quiet hours and pause)")
	fs.Var(&delivery, "delivery", "now, every:30m (at most one notification per interval) or digest:08:00,16:00")
	fs.Var(&spikes, "spikes", "alert when the topic has improbably many stories: on or off")
	fs.Var(&notify, "notify", "notifications for the topic: on, or off (silenced: matched and recorded, never shown)")
	return func(c *cmdCtx, args []string) error {
		if len(args) != 1 {
			return usagef("topics set needs exactly one topic NAME")
		}
		if !priority.set && !delivery.set && !spikes.set && !notify.set {
			return usagef("topics set: say what to change (--priority, --delivery, --spikes, --notify)")
		}
		t, err := c.svc.TopicByName(c.ctx, args[0])
		if err != nil {
			return err
		}
		if priority.set {
			if t.Policy.Priority, err = alert.ParsePriority(priority.value); err != nil {
				return usageError{err.Error()}
			}
		}
		if delivery.set {
			if t.Policy.Delivery, err = alert.ParseDelivery(delivery.value); err != nil {
				return usageError{err.Error()}
			}
		}
		if spikes.set {
			on, err := onOff("spikes", spikes.value)
			if err != nil {
				return err
			}
			t.Policy.SpikesOff = !on
		}
		if notify.set {
			if t.Notify, err = onOff("notify", notify.value); err != nil {
				return err
			}
		}
		if err := c.svc.UpdateTopic(c.ctx, t); err != nil {
			return err
		}
		fmt.Fprintf(c.out, "Topic %q: %s; %s.\n", t.Name, t.State(), policyText(t.Policy))
		return nil
	}
}

// policyText says a topic's alert policy in a line: "normal priority, at
// once, spikes on".
func policyText(p alert.Policy) string {
	parts := []string{p.Priority.String() + " priority"}
	switch p.Delivery.Mode {
	case alert.Every:
		parts = append(parts, "at most one notification every "+shortDuration(p.Delivery.Every))
	case alert.Digest:
		times := make([]string, len(p.Delivery.Times))
		for i, c := range p.Delivery.Times {
			times[i] = c.String()
		}
		parts = append(parts, "a digest at "+strings.Join(times, ", "))
	default:
		parts = append(parts, "at once")
	}
	if p.SpikesOff {
		parts = append(parts, "no spike alerts")
	} else {
		parts = append(parts, "spike alerts")
	}
	return strings.Join(parts, ", ")
}

// alertSettings prints the alert switches (settings with no arguments).
func printAlertSettings(c *cmdCtx, st monitor.Settings) {
	onoff := map[bool]string{true: "on", false: "off"}
	quiet := fmt.Sprintf("%s (%s–%s)", onoff[st.QuietHours.On], st.QuietHours.From, st.QuietHours.To)
	fmt.Fprintf(c.out, "notifications  %s\npaused         %s\nquiet hours    %s\ndead after     %s (a failing feed raises a coverage alert)\n",
		onoff[st.Notifications], map[bool]string{true: "yes (only critical topics notify)", false: "no"}[st.Paused], quiet,
		shortDuration(st.DeadAfter))
}

// setAlertSetting changes an alert switch: notifications on|off, pause
// on|off, quiet FROM-TO|on|off, dead-after DURATION. It reports whether
// args named one.
func setAlertSetting(c *cmdCtx, args []string) (bool, error) {
	if len(args) != 2 {
		return false, nil
	}
	st, err := c.svc.Settings(c.ctx)
	if err != nil {
		return true, err
	}
	switch name, v := args[0], args[1]; name {
	case "notifications":
		on, err := onOff("notifications", v)
		if err == nil {
			err = c.svc.SetNotifications(c.ctx, on)
		}
		if err == nil {
			fmt.Fprintf(c.out, "Desktop notifications are %s.\n", map[bool]string{true: "on", false: "off (every alert is recorded, none shown)"}[on])
		}
		return true, err
	case "pause":
		on, err := onOff("pause", v)
		if err == nil {
			err = c.svc.SetPaused(c.ctx, on)
		}
		if err == nil {
			fmt.Fprintf(c.out, "Alerts are %s.\n", map[bool]string{true: "paused: only critical topics notify", false: "no longer paused"}[on])
		}
		return true, err
	case "quiet":
		q := st.QuietHours
		switch v {
		case "on", "off":
			q.On = v == "on"
		default:
			from, to, ok := strings.Cut(v, "-")
			f, err1 := alert.ParseClock(from)
			t, err2 := alert.ParseClock(to)
			if !ok || err1 != nil || err2 != nil {
				return true, usagef("quiet %q: use FROM-TO like 22:00-07:00, or on, or off", v)
			}
			q = alert.Quiet{On: true, From: f, To: t}
		}
		if err := c.svc.SetQuietHours(c.ctx, q); err != nil {
			return true, err
		}
		if q.On {
			fmt.Fprintf(c.out, "Quiet hours from %s to %s: only critical topics notify.\n", q.From, q.To)
		} else {
			fmt.Fprintln(c.out, "Quiet hours are off.")
		}
		return true, nil
	case "dead-after":
		d, err := time.ParseDuration(v)
		if err != nil {
			return true, usagef("dead-after %q: use a duration like 6h or 90m", v)
		}
		if err := c.svc.SetDeadAfter(c.ctx, d); err != nil {
			return true, err
		}
		fmt.Fprintf(c.out, "A feed that fails for %s raises a coverage alert.\n", shortDuration(d))
		return true, nil
	}
	return false, nil
}
