package app

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/url"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// actions are what the app does for any screen: check now, pause alerts,
// open a link, copy, say something in the status bar, show an error. The
// screens get them instead of reaching into each other; the state they
// change (checking, paused) is told to whoever listens.
type actions struct {
	app         fyne.App
	win         fyne.Window
	eng         checker
	alerts      alertSwitches // where the alert switches are
	sw          switchState   // the alert switches as the engine has them
	prefs       prefs
	run         *runner
	ctx         context.Context
	now         func() time.Time
	log         *slog.Logger
	notice      func(text string) // a short message in the status bar
	setLanguage func(code string) // the app speaks another language

	mu         sync.Mutex
	isChecking bool
	progress   string

	checkingChanged changed // a check started or ended, or made progress
	pauseChanged    changed // the alert switches changed (paused, notifications, quiet hours)
}

// checking reports whether a check the user asked for is running.
func (a *actions) checking() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.isChecking
}

// checkProgress is what the running check has done ("Checking 3 of 40
// feeds…"), or "".
func (a *actions) checkProgress() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.progress
}

func (a *actions) setProgress(checking bool, text string) {
	a.mu.Lock()
	a.isChecking, a.progress = checking, text
	a.mu.Unlock()
	a.checkingChanged.emit()
}

// checkNow runs a check cycle, with its progress in the status bar.
func (a *actions) checkNow() {
	if a.checking() {
		return
	}
	a.setProgress(true, lang.L("Checking feeds…"))
	var err error
	a.run.bg(func() {
		_, err = a.eng.Check(a.ctx, monitor.CheckOptions{Progress: func(done, total int) {
			if a.run.sync {
				return
			}
			fyne.Do(func() {
				if a.checking() {
					a.setProgress(true, tf("Checking {{.Done}} of {{.Total}} feeds…", "Done", done, "Total", total))
				}
			})
		}})
	}, func() {
		a.setProgress(false, "")
		if err != nil {
			a.showError(err)
		}
	})
}

// paused reports whether alerts are paused.
func (a *actions) paused() bool { return a.sw.paused }

// setPaused pauses or resumes alerts.
func (a *actions) setPaused(p bool) {
	sw := a.sw
	sw.paused = p
	a.setSwitches(sw)
}

// openLink opens a link in the browser: http and https only.
func (a *actions) openLink(link string) {
	target, err := url.Parse(link)
	if err != nil || (target.Scheme != "http" && target.Scheme != "https") || target.Host == "" {
		a.showError(msg.Errorf(nil, msg.T("“{{.Link}}” is not a web address; Newswatch opens only http and https links."), "Link", link))
		return
	}
	if err := a.app.OpenURL(target); err != nil {
		a.showError(msg.Errorf(err, msg.T("The browser could not be opened ({{.Reason}})."), "Reason", err.Error()))
	}
}

// copyText puts text on the clipboard.
func (a *actions) copyText(text string) { a.app.Clipboard().SetContent(text) }

// save writes what write produces (off the UI goroutine) to a file the
// user chose in a save dialog, closes it, and calls done with write's
// count; a failure is shown as an error naming the file.
func (a *actions) save(w fyne.URIWriteCloser, write func(io.Writer) (int, error), done func(n int)) {
	var buf bytes.Buffer
	var n int
	var err error
	a.run.bg(func() {
		n, err = write(&buf)
	}, func() {
		if err == nil {
			_, err = w.Write(buf.Bytes())
		}
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			a.showError(msg.Errorf(err, msg.T("{{.File}} could not be written ({{.Reason}})."), "File", w.URI().Name(), "Reason", msg.Of(err)))
			return
		}
		done(n)
	})
}

// showError shows an error as one sentence in a dialog, unless the app is
// quitting.
func (a *actions) showError(err error) {
	if err == nil || a.ctx.Err() != nil {
		return
	}
	a.log.Warn("error shown", slog.Any("err", err))
	showErrorDialog(a.win, err)
}
