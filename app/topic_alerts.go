package app

import (
	"image/color"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/alert"
	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// topicAlerts is the part of the topic editor that says how the topic
// alerts — its priority, when its new stories are delivered, developing
// stories, spikes — and shows its volume: stories per hour over the last
// 48 hours and per day over 30 days.
type topicAlerts struct {
	priority   *widget.Select
	delivery   *widget.Select
	every      *widget.Entry // minutes
	everyUnit  *widget.Label
	times      *widget.Entry // "08:00, 16:00"
	spikes     *widget.Check
	escalate   *widget.Check // a "developing" alert when a story spreads
	escSources *widget.Entry
	escWithin  *widget.Entry // minutes
	hours      *barChart
	days       *barChart
	volume     *fyne.Container
	items      []*widget.FormItem
}

// The priorities and deliveries, in the order the selects list them.
var (
	priorities = []alert.Priority{alert.Normal, alert.High, alert.Critical}
	deliveries = []alert.DeliveryMode{alert.Now, alert.Every, alert.Digest}
)

func newTopicAlerts() *topicAlerts {
	ta := &topicAlerts{}
	ta.priority = widget.NewSelect([]string{lang.L("Normal"), lang.L("High: with a sound"),
		lang.L("Critical: stays on screen, also in quiet hours and when paused")}, nil)
	ta.every = widget.NewEntry()
	ta.everyUnit = widget.NewLabel(lang.L("minutes"))
	ta.times = widget.NewEntry()
	ta.times.SetPlaceHolder("08:00, 16:00")
	ta.delivery = widget.NewSelect([]string{lang.L("At once"), lang.L("At most every"), lang.L("As a digest at")}, ta.onDelivery)
	ta.spikes = widget.NewCheck(lang.L("Tell me when far more stories than usual come in"), nil)
	ta.escalate = widget.NewCheck(lang.L("Tell me when a story develops: at least"), ta.onEscalate)
	ta.escSources = widget.NewEntry()
	ta.escWithin = widget.NewEntry()
	develops := container.NewHBox(ta.escalate, sized(ta.escSources, 60), widget.NewLabel(lang.L("sources within")),
		sized(ta.escWithin, 70), widget.NewLabel(lang.L("minutes")))
	deliver := container.NewHBox(sized(ta.delivery, selectWidth(ta.delivery.Options)), sized(ta.every, 70), ta.everyUnit,
		sized(ta.times, 200))
	ta.hours, ta.days = newBarChart(), newBarChart()
	ta.volume = container.NewVBox(caption(lang.L("Stories per hour, last 48 hours")), ta.hours,
		caption(lang.L("Stories per day, last 30 days")), ta.days)
	ta.items = []*widget.FormItem{
		widget.NewFormItem(lang.L("Priority"), container.NewHBox(sized(ta.priority, selectWidth(ta.priority.Options)))),
		widget.NewFormItem(lang.L("New stories"), deliver),
		widget.NewFormItem("", develops),
		widget.NewFormItem("", ta.spikes),
		widget.NewFormItem(lang.L("Volume"), ta.volume),
	}
	return ta
}

// caption is a small label over a chart.
func caption(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.SizeName = theme.SizeNameCaptionText
	l.Importance = widget.LowImportance
	return l
}

func (ta *topicAlerts) onDelivery(string) {
	ta.every.Hide()
	ta.everyUnit.Hide()
	ta.times.Hide()
	switch deliveries[max(ta.delivery.SelectedIndex(), 0)] {
	case alert.Every:
		ta.every.Show()
		ta.everyUnit.Show()
	case alert.Digest:
		ta.times.Show()
	}
}

func (ta *topicAlerts) onEscalate(on bool) {
	if on {
		ta.escSources.Enable()
		ta.escWithin.Enable()
	} else {
		ta.escSources.Disable()
		ta.escWithin.Disable()
	}
}

// show fills in a topic's settings (the defaults for a new one).
func (ta *topicAlerts) show(t monitor.Topic) {
	p := t.Policy
	ta.priority.SetSelectedIndex(max(indexOf(priorities, p.Priority), 0))
	ta.delivery.SetSelectedIndex(max(indexOf(deliveries, p.Delivery.Mode), 0))
	every := 30
	if p.Delivery.Every > 0 {
		every = int(p.Delivery.Every / time.Minute)
	}
	ta.every.SetText(strconv.Itoa(every))
	times := make([]string, len(p.Delivery.Times))
	for i, c := range p.Delivery.Times {
		times[i] = c.String()
	}
	ta.times.SetText(strings.Join(times, ", "))
	ta.onDelivery("")
	ta.spikes.SetChecked(!p.SpikesOff)
	e := t.Escalation.Effective()
	ta.escSources.SetText(strconv.Itoa(e.Sources))
	ta.escWithin.SetText(strconv.Itoa(int(e.Within / time.Minute)))
	ta.escalate.SetChecked(!t.Escalation.Off)
	ta.onEscalate(!t.Escalation.Off)
	ta.volume.Hide() // until its volume is read
}

// read puts the settings into t, or says what does not read.
func (ta *topicAlerts) read(t *monitor.Topic) error {
	t.Policy.Priority = priorities[max(ta.priority.SelectedIndex(), 0)]
	t.Policy.SpikesOff = !ta.spikes.Checked
	spec := "now"
	switch deliveries[max(ta.delivery.SelectedIndex(), 0)] {
	case alert.Every:
		spec = "every:" + strings.TrimSpace(ta.every.Text) + "m"
	case alert.Digest:
		spec = "digest:" + strings.ReplaceAll(ta.times.Text, " ", "")
	}
	d, err := alert.ParseDelivery(spec)
	if err != nil {
		return err
	}
	t.Policy.Delivery = d
	e := monitor.Escalation{Off: !ta.escalate.Checked}
	var err1, err2 error
	e.Sources, err1 = strconv.Atoi(strings.TrimSpace(ta.escSources.Text))
	m, err2 := strconv.Atoi(strings.TrimSpace(ta.escWithin.Text))
	if err1 != nil || err2 != nil {
		return msg.Errorf(nil, msg.T("The numbers for a developing story must be whole numbers, such as 3 sources within 120 minutes."))
	}
	e.Within = time.Duration(m) * time.Minute
	if d := monitor.DefaultEscalation; e.Sources == d.Sources && e.Within == d.Within {
		e.Sources, e.Within = 0, 0 // the default, also when the default changes
	}
	t.Escalation = e
	return nil
}

// showVolume draws a topic's volume in its colour.
func (ta *topicAlerts) showVolume(v monitor.Volume, c color.Color, now time.Time) {
	if len(v.Hours) == 0 && len(v.Days) == 0 {
		ta.volume.Hide()
		return
	}
	ta.hours.set(v.Hours, c, trMsg(msg.Moment(v.HoursFrom, now)), lang.L("now"))
	first := ""
	if len(v.DayStarts) > 0 {
		first = trMsg(msg.Date(v.DayStarts[0]))
	}
	ta.days.set(v.Days, c, first, lang.L("today"))
	ta.volume.Show()
}

func indexOf[T comparable](list []T, v T) int {
	for i, x := range list {
		if x == v {
			return i
		}
	}
	return -1
}
