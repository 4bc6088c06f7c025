//go:build !(linux || freebsd || openbsd || netbsd || dragonfly)

package notifier

// New has no notification daemon to talk to on this system: the app uses
// Fyne's notifications (Windows toasts, the macOS notification centre),
// which carry no actions.
func New(Handler) (Sender, error) { return nil, ErrAbsent }
