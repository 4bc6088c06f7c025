// Package notifier sends desktop notifications that an analyst can act on:
// a click on one (its default action) or a button on it ("Mark read") is
// reported back, so the app can show what the notification named. On
// Linux and the BSDs it talks to org.freedesktop.Notifications over the
// session bus (github.com/esiqveland/notify on godbus, which Fyne uses too)
// and asks the daemon what it can do first; elsewhere it is absent and
// the app falls back to Fyne's plain notifications.
package notifier

import "errors"

// Urgency is how pressing a notification is.
type Urgency int

// The urgencies of the Desktop Notifications specification.
const (
	Low Urgency = iota
	Normal
	Critical // stays on screen until dismissed
)

// DefaultAction is the key of the action a click on the notification
// invokes.
const DefaultAction = "default"

// Action is a button (or, for DefaultAction, the click) on a notification.
type Action struct {
	Key, Label string
}

// Note is one notification.
type Note struct {
	Summary string // plain text
	Body    string // escaped for markup already where the daemon reads it (see monitor/inert)
	Urgency Urgency
	// Sound names a sound of the freedesktop sound theme
	// ("message-new-instant"); "" for none.
	Sound   string
	Actions []Action
}

// Caps is what the notification daemon can do.
type Caps struct {
	Actions bool // buttons, and the click as an action
	Sound   bool
	Markup  bool // the body is read as markup
}

// Handler learns of what the user did with a notification: the action
// invoked (DefaultAction for a click).
type Handler func(id uint32, action string)

// ErrAbsent says there is no notification daemon this package can talk to
// (another system, no session bus, no daemon): use plain notifications.
var ErrAbsent = errors.New("no desktop notification service with actions")

// Sender sends notifications.
type Sender interface {
	// Send shows a note and returns its id, which the handler is given
	// when the user acts on it. Actions the daemon cannot show are left
	// out.
	Send(n Note) (uint32, error)
	// Caps says what the daemon can do.
	Caps() Caps
	// Close stops listening for the user's actions.
	Close() error
}
