package msg

import "time"

// Times and dates in words, as messages: the desktop app shows them in the
// user's language, the command line in English. Times are local.

var (
	monthNames = [...]string{T("January"), T("February"), T("March"), T("April"), T("May"), T("June"),
		T("July"), T("August"), T("September"), T("October"), T("November"), T("December")}
	monthShort = [...]string{T("Jan"), T("Feb"), T("Mar"), T("Apr"), T("May"), T("Jun"),
		T("Jul"), T("Aug"), T("Sep"), T("Oct"), T("Nov"), T("Dec")}
	weekdays = [...]string{T("Sunday"), T("Monday"), T("Tuesday"), T("Wednesday"), T("Thursday"),
		T("Friday"), T("Saturday")}
)

// Clock is a time of day, 14:05, in every language.
func Clock(t time.Time) string { return t.Local().Format("15:04") }

// When says when t is, seen from now: "just now", "in a moment",
// "12 min ago", "in 7 min", "at 14:05", "yesterday 09:12",
// "tomorrow 07:00", "3 Nov 09:12" or "3 Nov 2024"; "never" for the zero
// time.
func When(t, now time.Time) Message {
	if t.IsZero() {
		return New(T("never"))
	}
	d := t.Sub(now)
	switch {
	case d > -45*time.Second && d < 45*time.Second:
		if d > 0 {
			return New(T("in a moment"))
		}
		return New(T("just now"))
	case d > 0 && d < time.Hour:
		return NewCount(TN("in {{.N}} min"), int(d.Round(time.Minute)/time.Minute))
	case d < 0 && d > -time.Hour:
		return NewCount(TN("{{.N}} min ago"), int((-d).Round(time.Minute)/time.Minute))
	}
	lt, ln := t.Local(), now.Local()
	switch {
	case sameDay(lt, ln):
		return New(T("at {{.Time}}"), "Time", Clock(lt))
	case sameDay(lt, ln.AddDate(0, 0, -1)):
		return New(T("yesterday {{.Time}}"), "Time", Clock(lt))
	case sameDay(lt, ln.AddDate(0, 0, 1)):
		return New(T("tomorrow {{.Time}}"), "Time", Clock(lt))
	case lt.Year() == ln.Year():
		return New(T("{{.Day}} {{.Month}} {{.Time}}"), "Day", lt.Day(), "Month", New(monthShort[lt.Month()-1]), "Time", Clock(lt))
	}
	return Date(lt)
}

// Moment says when t was without counting from now: "14:05" on now's day,
// "yesterday 09:12", "3 Nov 09:12" this year, else "3 Nov 2024" ("since
// 14:05", "first seen yesterday 09:12").
func Moment(t, now time.Time) Message {
	lt, ln := t.Local(), now.Local()
	switch {
	case sameDay(lt, ln):
		return New(T("{{.Time}}"), "Time", Clock(lt))
	case sameDay(lt, ln.AddDate(0, 0, -1)):
		return New(T("yesterday {{.Time}}"), "Time", Clock(lt))
	case lt.Year() == ln.Year():
		return New(T("{{.Day}} {{.Month}} {{.Time}}"), "Day", lt.Day(), "Month", New(monthShort[lt.Month()-1]), "Time", Clock(lt))
	}
	return Date(lt)
}

// Day names a day for a heading: "Today — Monday, 2 November",
// "Yesterday — …", else "Monday, 2 November" (with the year when it is
// not now's).
func Day(t, now time.Time) Message {
	t, now = t.Local(), now.Local()
	var long Message
	if t.Year() == now.Year() {
		long = New(T("{{.Weekday}}, {{.Day}} {{.Month}}"), "Weekday", New(weekdays[t.Weekday()]), "Day", t.Day(),
			"Month", New(monthNames[t.Month()-1]))
	} else {
		long = New(T("{{.Weekday}}, {{.Day}} {{.Month}} {{.Year}}"), "Weekday", New(weekdays[t.Weekday()]), "Day", t.Day(),
			"Month", New(monthNames[t.Month()-1]), "Year", t.Year())
	}
	switch {
	case sameDay(t, now):
		return New(T("Today — {{.Date}}"), "Date", long)
	case sameDay(t, now.AddDate(0, 0, -1)):
		return New(T("Yesterday — {{.Date}}"), "Date", long)
	}
	return long
}

// Date is a short date: "2 Nov 2025".
func Date(t time.Time) Message {
	t = t.Local()
	return New(T("{{.Day}} {{.Month}} {{.Year}}"), "Day", t.Day(), "Month", New(monthShort[t.Month()-1]), "Year", t.Year())
}

// DateTime is a short date and time: "2 Nov 2025, 14:05".
func DateTime(t time.Time) Message {
	return New(T("{{.Date}}, {{.Time}}"), "Date", Date(t), "Time", Clock(t))
}

// SameDay reports whether a and b fall on the same local day.
func SameDay(a, b time.Time) bool { return sameDay(a.Local(), b.Local()) }

func sameDay(a, b time.Time) bool {
	return a.Year() == b.Year() && a.YearDay() == b.YearDay()
}
