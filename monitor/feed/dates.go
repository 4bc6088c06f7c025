package feed

import (
	"strings"
	"time"
)

// monthNames maps month names and abbreviations in the languages of the
// feeds we read (de, fr, it, pt, es, nl) to English abbreviations.
var monthNames = map[string]string{
	"januar": "Jan", "jänner": "Jan", "janvier": "Jan", "gennaio": "Jan", "janeiro": "Jan", "enero": "Jan", "januari": "Jan", "gen": "Jan", "ene": "Jan", "janv": "Jan",
	"februar": "Feb", "février": "Feb", "fevrier": "Feb", "febbraio": "Feb", "fevereiro": "Feb", "febrero": "Feb", "februari": "Feb", "fev": "Feb", "fév": "Feb", "févr": "Feb",
	"märz": "Mar", "mär": "Mar", "mrz": "Mar", "mars": "Mar", "marzo": "Mar", "março": "Mar", "maart": "Mar",
	"april": "Apr", "avril": "Apr", "aprile": "Apr", "abril": "Apr", "avr": "Apr", "abr": "Apr",
	"mai": "May", "mai.": "May", "maggio": "May", "maio": "May", "mayo": "May", "mei": "May", "mag": "May",
	"juni": "Jun", "juin": "Jun", "giugno": "Jun", "junho": "Jun", "junio": "Jun", "giu": "Jun",
	"juli": "Jul", "juillet": "Jul", "luglio": "Jul", "julho": "Jul", "julio": "Jul", "juil": "Jul", "lug": "Jul",
	"august": "Aug", "août": "Aug", "aout": "Aug", "agosto": "Aug", "augustus": "Aug", "ago": "Aug",
	"september": "Sep", "septembre": "Sep", "settembre": "Sep", "setembro": "Sep", "septiembre": "Sep", "set": "Sep", "sept": "Sep",
	"oktober": "Oct", "octobre": "Oct", "ottobre": "Oct", "outubro": "Oct", "octubre": "Oct", "okt": "Oct", "ott": "Oct", "out": "Oct",
	"november": "Nov", "novembre": "Nov", "novembro": "Nov", "noviembre": "Nov",
	"dezember": "Dec", "décembre": "Dec", "decembre": "Dec", "dicembre": "Dec", "dezembro": "Dec", "diciembre": "Dec", "december": "Dec", "dez": "Dec", "dic": "Dec", "déc": "Dec",
}

var looseLayouts = []string{
	"2 Jan 2006 15:04:05 -0700",
	"2 Jan 2006 15:04:05 MST",
	"2 Jan 2006 15:04:05",
	"2 Jan 2006 15:04 -0700",
	"2 Jan 2006",
	"Jan 2 2006 15:04:05 -0700",
	"Jan 2 2006 03:04 PM",
	"Jan 2 2006",
	"2.1.2006 15:04:05",
	"2.1.2006 15:04",
	"2.1.2006",
	"2006/1/2 15:04:05",
	"2006/1/2 15:04",
	"2006/1/2",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"2006-01-02",
}

// parseLooseDate reads the dates gofeed gives up on: localized day and
// month names ("mer, 16 nov 2022", "Sex, 03 Jan 2025"), dotted European
// dates ("22.11.2022 12:16:00") and slashed ones ("2020/1/10 14:33:00").
// Times without a zone are taken as UTC.
func parseLooseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	// Drop a leading weekday ("mer,", "Sex,", "Friday,").
	if i := strings.IndexByte(s, ','); i > 0 && i < 12 && isLetters(s[:i]) {
		s = strings.TrimSpace(s[i+1:])
	}
	fields := strings.Fields(strings.NewReplacer(",", " ").Replace(s))
	for i, f := range fields {
		if en, ok := monthNames[strings.TrimSuffix(strings.ToLower(f), ".")]; ok {
			fields[i] = en
		} else if n := len(f); n > 1 && n <= 3 && f[n-1] == '.' && f[0] >= '0' && f[0] <= '9' {
			fields[i] = f[:n-1] // German "3. März"
		}
	}
	s = strings.Join(fields, " ")
	for _, layout := range looseLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

func isLetters(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 0x7f) {
			return false
		}
	}
	return s != ""
}
