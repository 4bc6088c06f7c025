package app

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/query"
)

// storyView shows one story: title, source and times, its topics, the
// summary (and full text) with the matched terms highlighted, and what can
// be done with it. Feed text is shown as plain text only: never as HTML.
type storyView struct {
	u       *UI
	content fyne.CanvasObject
	story   *monitor.Story

	title   *widget.Label
	meta    *widget.Label
	chips   *fyne.Container
	body    *markedText
	full    *markedText
	fullBox *fyne.Container
	link    *widget.Label

	openBtn, readBtn, starBtn, copyBtn, deleteBtn *widget.Button
	placeholder                                   *widget.Label
	page                                          *fyne.Container
}

func newStoryView(u *UI) *storyView {
	v := &storyView{u: u}
	v.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.title.Wrapping = fyne.TextWrapWord
	v.title.SizeName = theme.SizeNameSubHeadingText
	v.meta = widget.NewLabel("")
	v.meta.Importance = widget.LowImportance
	v.meta.Wrapping = fyne.TextWrapWord
	v.chips = container.NewHBox()
	v.body = newMarkedText()
	v.full = newMarkedText()
	v.fullBox = container.NewVBox(widget.NewSeparator(), widget.NewLabelWithStyle(lang.L("Full text"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), v.full)
	v.link = widget.NewLabel("")
	v.link.Importance = widget.LowImportance
	v.link.Truncation = fyne.TextTruncateEllipsis

	v.openBtn = widget.NewButtonWithIcon(lang.L("Open in browser"), theme.ComputerIcon(), func() {
		if v.story != nil {
			u.openLink(v.story.Article.Link)
		}
	})
	v.openBtn.Importance = widget.HighImportance
	v.readBtn = widget.NewButtonWithIcon(lang.L("Mark unread"), theme.VisibilityOffIcon(), func() {
		if v.story != nil {
			u.timeline.setRead(v.story, !v.story.Read)
		}
	})
	v.starBtn = widget.NewButtonWithIcon(lang.L("Star"), theme.ConfirmIcon(), func() {
		if v.story != nil {
			u.timeline.setStarred(v.story, !v.story.Starred)
			v.syncState(v.story)
		}
	})
	v.copyBtn = widget.NewButtonWithIcon(lang.L("Copy link"), theme.ContentCopyIcon(), func() {
		if v.story != nil && v.story.Article.Link != "" {
			u.app.Clipboard().SetContent(v.story.Article.Link)
			u.progress.SetText(lang.L("Link copied."))
		}
	})
	v.deleteBtn = widget.NewButtonWithIcon(lang.L("Delete"), theme.DeleteIcon(), func() {
		if v.story == nil {
			return
		}
		s := v.story
		dialog.ShowConfirm(lang.L("Delete this story?"),
			lang.L("It leaves the timeline and its topics. The feed will not bring it back."),
			func(ok bool) {
				if ok {
					u.timeline.deleteStory(s)
				}
			}, u.win)
	})
	// The buttons wrap to the width the story pane has (German labels are
	// long): they never make the pane wider than the timeline leaves it.
	actions := container.New(layout.NewRowWrapLayout(), v.openBtn, v.readBtn, v.starBtn, v.copyBtn, v.deleteBtn)
	v.page = container.NewVBox(v.title, v.meta, v.chips, actions, widget.NewSeparator(), v.body, v.fullBox, v.link)
	v.placeholder = widget.NewLabel(lang.L("Select a story to read it here."))
	v.placeholder.Alignment = fyne.TextAlignCenter
	v.placeholder.Importance = widget.LowImportance
	v.content = container.NewStack(container.NewVScroll(container.NewPadded(v.page)), container.NewCenter(v.placeholder))
	v.clear()
	return v
}

// clear shows the placeholder.
func (v *storyView) clear() {
	v.story = nil
	v.page.Hide()
	v.placeholder.Show()
}

// show displays a story.
func (v *storyView) show(s *monitor.Story) {
	v.story = s
	a := &s.Article
	v.title.SetText(a.Title)
	parts := []string{a.FeedName, tf("published {{.When}}", "When", dateTime(a.Published))}
	if !a.PublishedKnown {
		parts[1] = lang.L("no date given")
	}
	seen := dateTime(a.FirstSeen)
	if a.PublishedKnown && sameDay(a.FirstSeen.Local(), a.Published.Local()) {
		seen = clock(a.FirstSeen) // the same day: the time says it
	}
	parts = append(parts, tf("first seen {{.When}}", "When", seen))
	if a.Author != "" {
		parts = append(parts, a.Author)
	}
	v.meta.SetText(strings.Join(parts, "  ·  "))
	v.chips.RemoveAll()
	for _, t := range s.Topics {
		v.chips.Add(newChip(t.Name, paletteColor(t.Color, t.ID)))
	}
	v.title.SetText(a.Title)
	summary := a.Summary
	if summary == "" {
		summary = lang.L("(no summary)")
	}
	v.body.set(summary, monitor.HitSpans(a.Summary, s.Hits, query.Summary))
	if a.Content != "" {
		v.full.set(a.Content, monitor.HitSpans(a.Content, s.Hits, query.Content))
		v.fullBox.Show()
	} else {
		v.fullBox.Hide()
	}
	if a.Link != "" {
		v.link.SetText(a.Link)
		v.openBtn.Enable()
		v.copyBtn.Enable()
	} else {
		v.link.SetText(lang.L("This story has no web link."))
		v.openBtn.Disable()
		v.copyBtn.Disable()
	}
	v.syncState(s)
	v.placeholder.Hide()
	v.page.Show()
}

// syncState shows whether the story is read and starred on its buttons.
func (v *storyView) syncState(s *monitor.Story) {
	if v.story == nil || v.story.Article.ID != s.Article.ID {
		return
	}
	v.story.Read, v.story.Starred = s.Read, s.Starred
	if s.Read {
		v.readBtn.SetText(lang.L("Mark unread"))
		v.readBtn.SetIcon(theme.VisibilityOffIcon())
	} else {
		v.readBtn.SetText(lang.L("Mark read"))
		v.readBtn.SetIcon(theme.VisibilityIcon())
	}
	if s.Starred {
		v.starBtn.SetText(lang.L("Unstar"))
	} else {
		v.starBtn.SetText(lang.L("Star"))
	}
}
