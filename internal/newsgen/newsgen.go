// Package newsgen writes synthetic news stories in German and English for
// benchmarks, tests and the demo: realistic in length, vocabulary, names,
// compounds, umlauts and HTML, but our own text. The output depends only
// on the seed.
package newsgen

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// Story is one generated news story.
type Story struct {
	ID         int
	Lang       string
	Title      string
	Summary    string // may hold HTML
	Content    string // HTML paragraphs
	Categories []string
	Author     string
	Published  time.Time
}

// Gen generates stories.
type Gen struct {
	r *rand.Rand
	n int
}

// New returns a generator for the seed.
func New(seed uint64) *Gen {
	return &Gen{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

var (
	deSubjects = []string{"Die Bundesregierung", "Der Außenminister", "Die nordkoreanische Außenministerin",
		"Kanzler Merz", "Die EU-Kommission", "Der ukrainische Präsident", "Sergej Lawrow", "Die Opposition",
		"Das Verteidigungsministerium", "Die Vereinten Nationen", "Der Bundestag", "Die Nato",
		"Der Kreml", "Die Grünen", "Die Ministerpräsidentin", "Das Gericht in Karlsruhe", "Die Polizei",
		"Der Weltsicherheitsrat", "Die chinesische Führung", "Der französische Präsident", "Die Gewerkschaft",
		"Die Deutsche Bahn", "Der Bürgermeister von Köln", "Die Zentralbank", "Israels Regierung"}
	deVerbs = []string{"kündigt an", "warnt vor", "fordert", "kritisiert", "verhandelt über", "bestätigt",
		"lehnt ab", "berät über", "beschließt", "dementiert", "unterstützt", "prüft", "verschiebt",
		"begrüßt", "verurteilt"}
	deObjects = []string{"neue Sanktionen gegen Russland", "Waffenlieferungen an die Ukraine",
		"Gespräche mit Pjöngjang", "eine Reform der Rente", "höhere Verteidigungsausgaben",
		"den Ausbau der Windkraft", "Hilfen für die Westukraine", "ein Treffen in Genf",
		"schärfere Regeln für Migration", "den Haushalt für 2027", "Streiks im Nahverkehr",
		"Raketentests in Nordkorea", "die Lage im Gazastreifen", "Zölle auf chinesische Autos",
		"ein Abkommen mit Weißrussland", "die Energiepreise", "den Klimaschutz", "die Schuldenbremse",
		"Munition für Kiew", "einen Waffenstillstand", "Grenzkontrollen", "die Krankenhausreform",
		"Wahlen in Frankreich", "den Ölpreis", "Fußball-Übertragungsrechte"}
	deFiller = []string{"Nach Angaben von Regierungskreisen", "Wie ein Sprecher am Mittwoch mitteilte",
		"Beobachter sehen darin", "Zuvor hatte es", "In Berlin hieß es", "Kritiker bemängeln",
		"Die Entscheidung gilt als", "Laut einem Bericht der Nachrichtenagentur", "Am Rande des Gipfels",
		"Experten rechnen damit", "Bereits im Frühjahr", "Im Gespräch mit Journalisten",
		"Wie aus einem internen Papier hervorgeht", "Die Außenministerin betonte", "Zugleich"}
	deTail = []string{"dass die Verhandlungen schwierig bleiben.", "ein wichtiges Signal an die Partner.",
		"Proteste in mehreren Städten gegeben.", "die Lage weiter angespannt sei.",
		"mit einer Einigung bis zum Jahresende.", "das Vorhaben sei überfällig.",
		"die Kosten würden deutlich steigen.", "eine Einigung sei noch nicht in Sicht.",
		"man werde die Entwicklung genau beobachten.", "die Zusammenarbeit müsse gestärkt werden."}
	enSubjects = []string{"The White House", "Ukraine's president", "North Korea's foreign ministry",
		"The European Union", "Russian officials", "The United Nations", "China's leadership",
		"Israeli forces", "The Pentagon", "British ministers", "Protesters in Tbilisi", "The IMF",
		"Japan's prime minister", "NATO allies", "The Kremlin", "Investors", "French unions"}
	enVerbs = []string{"warns of", "announces", "rejects", "calls for", "discusses", "confirms",
		"condemns", "prepares", "delays", "backs", "questions"}
	enObjects = []string{"new sanctions on Moscow", "arms deliveries to Kyiv", "talks with Pyongyang",
		"a ceasefire in Gaza", "missile tests near the Korean peninsula", "higher tariffs",
		"a peace summit in Geneva", "an energy deal", "border controls", "a new climate target",
		"ukrainian grain exports", "troop deployments", "interest rate cuts", "a drone attack on Kharkiv"}
	enFiller = []string{"According to officials familiar with the matter,", "In a statement on Tuesday,",
		"Analysts said", "Earlier this week", "Speaking to reporters,", "Critics argue that",
		"Diplomats in Brussels said", "The decision comes as", "Local media reported that"}
	enTail = []string{"the talks would continue next month.", "the situation remained tense.",
		"the measures were long overdue.", "no agreement had been reached.",
		"the costs could rise sharply.", "more details would follow.", "allies were consulted."}
	categories = []string{"Ausland", "Inland", "Wirtschaft", "Politik", "Europa", "Asien", "World",
		"Europe", "Business", "Sport", "Kultur", "Wissen"}
	authors = []string{"Anna Schmidt", "Jörg Müller", "Claire Dubois", "Tom Baker", "Svenja Groß",
		"Mehmet Öztürk", "Laura Weiß"}
)

func (g *Gen) pick(list []string) string { return list[g.r.IntN(len(list))] }

// Story returns the next story; German about two times in three.
func (g *Gen) Story(published time.Time) Story {
	g.n++
	s := Story{ID: g.n, Published: published, Author: g.pick(authors)}
	de := g.r.IntN(3) < 2
	subj, verb, obj, fill, tail := deSubjects, deVerbs, deObjects, deFiller, deTail
	s.Lang = "de"
	if !de {
		subj, verb, obj, fill, tail = enSubjects, enVerbs, enObjects, enFiller, enTail
		s.Lang = "en"
	}
	s.Title = fmt.Sprintf("%s %s %s", g.pick(subj), g.pick(verb), g.pick(obj))
	s.Summary = fmt.Sprintf("<p>%s %s %s. %s %s</p>", g.pick(subj), g.pick(verb), g.pick(obj), g.pick(fill), g.pick(tail))
	var b strings.Builder
	paras := 3 + g.r.IntN(6)
	for i := 0; i < paras; i++ {
		b.WriteString("<p>")
		sentences := 2 + g.r.IntN(4)
		for j := 0; j < sentences; j++ {
			if j > 0 {
				b.WriteByte(' ')
			}
			switch g.r.IntN(3) {
			case 0:
				fmt.Fprintf(&b, "%s %s %s.", g.pick(subj), g.pick(verb), g.pick(obj))
			case 1:
				fmt.Fprintf(&b, "%s %s", g.pick(fill), g.pick(tail))
			default:
				fmt.Fprintf(&b, "%s <b>%s</b> %s &ndash; %s", g.pick(fill), g.pick(subj), g.pick(verb), g.pick(tail))
			}
		}
		b.WriteString("</p>\n")
	}
	s.Content = b.String()
	s.Categories = []string{g.pick(categories)}
	if g.r.IntN(2) == 0 {
		s.Categories = append(s.Categories, g.pick(categories))
	}
	return s
}

// Topics returns n realistic topic queries (names and queries), cycling
// through a list of the kinds analysts write.
func Topics(n int) [][2]string {
	base := [][2]string{
		{"Ukraine", "Ukraine"}, {"Nordkorea", `Nordkorea OR Pjöngjang OR "North Korea" OR Pyongyang`},
		{"Lawrow", `"Sergej Lawrow" OR Lavrov`}, {"Sanktionen", "Sanktionen Russland"},
		{"EU", "EU -Fußball"}, {"Gaza", "Gaza* OR Gazastreifen"}, {"Westukraine", "*ukraine"},
		{"Waffen", "Ukraine (Waffen OR Munition OR arms) -Fußball"}, {"Kreml", "Kreml OR Kremlin"},
		{"China", "China OR chinesisch*"}, {"Genf", "title:Genf OR title:Geneva"},
		{"Nato", "Nato OR NATO"}, {"Rente", "Rente* Reform"}, {"Weißrussland", "Weißrussland OR Belarus"},
		{"Iran", "Iran"}, {"Israel", "Israel*"}, {"Zölle", "Zölle OR tariffs"}, {"Energie", "Energiepreise OR energy"},
		{"Migration", "Migration OR Grenzkontrollen"}, {"Klimaschutz", `Klimaschutz OR "climate target"`},
	}
	places := []string{"Kiew", "Charkiw", "Odessa", "Moskau", "Peking", "Tokio", "Seoul", "Washington",
		"Brüssel", "Paris", "London", "Warschau", "Ankara", "Teheran", "Damaskus", "Kairo", "Riad",
		"Taipeh", "Manila", "Hanoi", "Tiflis", "Minsk", "Vilnius", "Riga", "Tallinn", "Helsinki",
		"Stockholm", "Oslo", "Kopenhagen", "Wien", "Bern", "Rom", "Madrid", "Lissabon", "Athen",
		"Belgrad", "Sarajevo", "Budapest", "Prag", "Bratislava", "Bukarest", "Sofia", "Chisinau",
		"Baku", "Eriwan", "Astana", "Taschkent", "Kabul", "Islamabad", "Neu-Delhi", "Dhaka", "Jakarta",
		"Canberra", "Ottawa", "Mexiko-Stadt", "Havanna", "Caracas", "Bogota", "Lima", "Brasilia",
		"Buenos Aires", "Santiago", "Pretoria", "Nairobi", "Addis Abeba", "Khartum", "Tripolis",
		"Tunis", "Algier", "Rabat", "Dakar", "Abuja", "Kinshasa", "Luanda", "Harare", "Beirut", "Amman",
		"Bagdad", "Sanaa", "Maskat"}
	out := make([][2]string, 0, n)
	for i := 0; len(out) < n; i++ {
		if i < len(base) {
			out = append(out, base[i])
			continue
		}
		p := places[(i-len(base))%len(places)]
		q := p
		if (i-len(base))/len(places) > 0 {
			q = fmt.Sprintf("%s (Regierung OR government)", p)
		}
		out = append(out, [2]string{fmt.Sprintf("%s %d", p, i), q})
	}
	return out
}
