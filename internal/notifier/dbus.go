//go:build linux || freebsd || openbsd || netbsd || dragonfly

package notifier

import (
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/esiqveland/notify"
	"github.com/godbus/dbus/v5"
)

// appName is how notifications name their sender.
const appName = "Newswatch"

type dbusSender struct {
	n    notify.Notifier
	caps Caps
}

// New connects to the notification daemon on the session bus and reports
// the user's actions to h (on a goroutine of its own). Without a session
// bus or a daemon it returns ErrAbsent and starts nothing.
func New(h Handler) (Sender, error) {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		return nil, ErrAbsent
	}
	conn, err := dbus.SessionBus() // shared with Fyne; never closed here
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrAbsent, err)
	}
	caps, err := notify.GetCapabilities(conn)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrAbsent, err)
	}
	s := &dbusSender{caps: Caps{
		Actions: slices.Contains(caps, "actions"),
		Sound:   slices.Contains(caps, "sound"),
		Markup:  slices.Contains(caps, "body-markup"),
	}}
	s.n, err = notify.New(conn,
		notify.WithOnAction(func(a *notify.ActionInvokedSignal) {
			if h != nil {
				h(a.ID, a.ActionKey)
			}
		}),
		notify.WithOnClosed(func(*notify.NotificationClosedSignal) {}),
		notify.WithLogger(quiet{}))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrAbsent, err)
	}
	return s, nil
}

func (s *dbusSender) Caps() Caps { return s.caps }

func (s *dbusSender) Send(n Note) (uint32, error) {
	note := notify.Notification{AppName: appName, AppIcon: "org.codeberg.newswatch", Summary: n.Summary, Body: n.Body,
		ExpireTimeout: notify.ExpireTimeoutSetByNotificationServer}
	switch n.Urgency {
	case Low:
		note.SetUrgency(notify.UrgencyLow)
	case Critical:
		note.SetUrgency(notify.UrgencyCritical)
		note.ExpireTimeout = notify.ExpireTimeoutNever
	default:
		note.SetUrgency(notify.UrgencyNormal)
	}
	if n.Sound != "" {
		note.AddHint(notify.HintSoundWithName(n.Sound))
	}
	if s.caps.Actions {
		for _, a := range n.Actions {
			note.Actions = append(note.Actions, notify.Action{Key: a.Key, Label: a.Label})
		}
	}
	// The desktop entry names the app for daemons that group by it.
	if note.Hints == nil {
		note.Hints = map[string]dbus.Variant{}
	}
	note.Hints["desktop-entry"] = dbus.MakeVariant("org.codeberg.newswatch")
	id, err := s.n.SendNotification(note)
	if err != nil {
		return 0, fmt.Errorf("send the notification: %w", err)
	}
	return id, nil
}

func (s *dbusSender) Close() error {
	done := make(chan error, 1)
	go func() { done <- s.n.Close() }()
	select {
	case err := <-done:
		return err
	case <-time.After(2 * time.Second): // a daemon gone mid-call
		return nil
	}
}

// quiet drops the library's log lines (signals for other programs'
// notifications are no news).
type quiet struct{}

func (quiet) Printf(string, ...interface{}) {}
