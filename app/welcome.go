package app

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// starterTopics are offered on first run.
var starterTopics = []monitor.Topic{
	{Name: "Ukraine", Query: "Ukraine OR Kiew OR Kyiv OR Selenskyj"},
	{Name: "Nordkorea", Query: `Nordkorea OR Pjöngjang OR "North Korea" OR Pyongyang`},
}

// starterFeeds are public news feeds offered on first run.
var starterFeeds = []struct{ name, url string }{
	{"tagesschau.de", "https://www.tagesschau.de/xml/rss2/"},
	{"Deutsche Welle (deutsch)", "https://rss.dw.com/xml/rss-de-all"},
	{"ZEIT ONLINE", "https://newsfeed.zeit.de/index"},
	{"DER SPIEGEL", "https://www.spiegel.de/schlagzeilen/index.rss"},
	{"news.ORF.at", "https://rss.orf.at/news.xml"},
	{"NZZ International", "https://www.nzz.ch/international.rss"},
	{"BBC News World", "https://feeds.bbci.co.uk/news/world/rss.xml"},
	{"The Guardian World", "https://www.theguardian.com/world/rss"},
	{"Deutsche Welle (English)", "https://rss.dw.com/rdf/rss-en-all"},
	{"Le Monde International", "https://www.lemonde.fr/international/rss_full.xml"},
}

// showWelcome explains topics and feeds on first run and offers starters.
func (u *UI) showWelcome() {
	intro := widget.NewLabel(lang.L("Newswatch checks news feeds for the topics you care about and tells you about every new story " +
		"that matches — once, with a notification and in the tray. Everything it finds stays in the timeline.\n\n" +
		"A topic is a name and a query: \"Ukraine\" finds Ukraine-Krieg and ukrainische too; " +
		"\"Nordkorea OR Pjöngjang\" finds either. A feed is a news source's RSS or Atom address. " +
		"Pick a few to start with; you can change everything later."))
	intro.Wrapping = fyne.TextWrapWord
	var topicChecks []*widget.Check
	topics := container.NewVBox(widget.NewLabelWithStyle(lang.L("Topics"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	for _, t := range starterTopics {
		c := widget.NewCheck(t.Name+"   ("+t.Query+")", nil)
		c.SetChecked(true)
		topicChecks = append(topicChecks, c)
		topics.Add(c)
	}
	var feedChecks []*widget.Check
	feeds := container.NewVBox(widget.NewLabelWithStyle(lang.L("Feeds"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	for i, f := range starterFeeds {
		c := widget.NewCheck(f.name, nil)
		c.SetChecked(i < 3 || f.name == "BBC News World")
		feedChecks = append(feedChecks, c)
		feeds.Add(c)
	}
	content := container.NewVBox(intro, container.NewGridWithColumns(2, topics, feeds))
	d := dialog.NewCustomConfirm(lang.L("Welcome to Newswatch"), lang.L("Start with these"), lang.L("Skip"),
		container.NewVScroll(content), func(ok bool) {
			u.prefs.setWelcomed(true)
			if ok {
				u.addStarters(topicChecks, feedChecks)
			}
		}, u.win)
	d.Resize(fyne.NewSize(720, 560))
	d.Show()
}

// welcomeIfEmpty shows the welcome when there is nothing yet: no feeds,
// no topics.
func (u *UI) welcomeIfEmpty() {
	var empty bool
	u.run.bg(func() {
		feeds, err1 := u.eng.Feeds(u.ctx)
		topics, err2 := u.eng.Topics(u.ctx)
		empty = err1 == nil && err2 == nil && len(feeds) == 0 && len(topics) == 0
	}, func() {
		if empty {
			u.showWelcome()
		}
	})
}

// addStarters adds the starters chosen, then checks the feeds; the
// screens learn of them from the engine's events.
func (u *UI) addStarters(topicChecks, feedChecks []*widget.Check) {
	var topics []monitor.Topic
	for i, c := range topicChecks {
		if c.Checked {
			t := starterTopics[i]
			t.Enabled, t.Notify = true, true
			t.Color = topicPalette[i%len(topicPalette)]
			topics = append(topics, t)
		}
	}
	var feeds []int
	for i, c := range feedChecks {
		if c.Checked {
			feeds = append(feeds, i)
		}
	}
	var problems []msg.Message
	u.run.bg(func() {
		for _, t := range topics {
			if _, err := u.eng.AddTopic(u.ctx, t); err != nil {
				problems = append(problems, msg.Of(err))
			}
		}
		for _, i := range feeds {
			f := starterFeeds[i]
			if _, err := u.eng.AddFeed(u.ctx, f.url, monitor.AddFeedOptions{Name: f.name}); err != nil &&
				!errors.Is(err, monitor.ErrExists) {
				problems = append(problems, msg.Of(err))
			}
		}
	}, func() {
		if len(problems) > 0 {
			texts := make([]string, len(problems))
			for i, p := range problems {
				texts[i] = trMsg(p)
			}
			u.acts.showError(msg.Errorf(nil, msg.T("Some starters could not be added: {{.Problems}}"), "Problems", strings.Join(texts, "; ")))
		}
		u.acts.checkNow()
	})
}
