// Package newsgen writes synthetic news stories in German and English for
// benchmarks, tests and the demo: realistic in length, vocabulary, names,
// compounds, umlauts and HTML, but our own text. The output depends only
// on the seed.
//
// Every story has a theme, drawn with weights like a general news feed's
// (domestic politics and the economy often, North Korea rarely), and its
// sentences come mostly from that theme, so topic words cluster in the
// stories about them as they do in real feeds: "Ukraine" appears in a few
// percent of the stories, "Pjöngjang" in well under one.
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
	Theme      string
	Title      string
	Summary    string // HTML
	Content    string // HTML paragraphs
	Categories []string
	Author     string
	Published  time.Time
}

// Gen generates stories.
type Gen struct {
	r *rand.Rand
	n int
	// Lean stories have no sentences of ordinary reporting ("Critics were
	// sceptical."): a summary of one sentence of the theme and a short
	// body of them. Stories that share those sentences look alike to
	// story assignment, which is what the benchmarks want (many reports
	// of few events); the demo, whose few dozen stories should read as
	// separate events, wants them lean.
	Lean bool
}

// New returns a generator for the seed.
func New(seed uint64) *Gen {
	return &Gen{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

func (g *Gen) pick(list []string) string { return list[g.r.IntN(len(list))] }

// Story returns the next story; German about two times in three.
func (g *Gen) Story(published time.Time) Story { return g.story(g.theme(), published) }

// StoryAbout returns a story of the named theme ("ukraine", "northkorea",
// "eu", ...; an unknown name picks one by weight).
func (g *Gen) StoryAbout(name string, published time.Time) Story {
	for i := range themes {
		if themes[i].name == name {
			return g.story(&themes[i], published)
		}
	}
	return g.Story(published)
}

func (g *Gen) story(th *theme, published time.Time) Story {
	g.n++
	s := Story{ID: g.n, Published: published, Author: g.pick(authors), Theme: th.name}
	l := th.de
	s.Lang = "de"
	if g.r.IntN(3) == 2 {
		l, s.Lang = th.en, "en"
	}
	gen := genericDE
	if s.Lang == "en" {
		gen = genericEN
	}
	s.Title = g.sentence(l, false)
	if g.Lean {
		s.Summary = "<p>" + g.sentence(l, true) + "</p>"
		s.Content = "<p>" + g.sentence(l, true) + " " + g.sentence(l, true) + "</p>\n"
		s.Categories = []string{th.category}
		return s
	}
	s.Summary = "<p>" + g.sentence(l, true) + " " + g.generic(gen) + "</p>"
	var b strings.Builder
	paras := 3 + g.r.IntN(6)
	for i := 0; i < paras; i++ {
		b.WriteString("<p>")
		n := 2 + g.r.IntN(4)
		for j := 0; j < n; j++ {
			if j > 0 {
				b.WriteByte(' ')
			}
			if g.r.IntN(5) < 2 {
				b.WriteString(g.sentence(l, true))
			} else {
				b.WriteString(g.generic(gen))
			}
		}
		b.WriteString("</p>\n")
	}
	s.Content = b.String()
	s.Categories = []string{th.category}
	if g.r.IntN(3) == 0 {
		s.Categories = append(s.Categories, g.pick(categories))
	}
	return s
}

func (g *Gen) theme() *theme {
	total := 0
	for i := range themes {
		total += themes[i].weight
	}
	n := g.r.IntN(total)
	for i := range themes {
		if n < themes[i].weight {
			return &themes[i]
		}
		n -= themes[i].weight
	}
	return &themes[0]
}

// sentence is subject, verb and object of the theme; full sentences end
// with a full stop and sometimes carry markup.
func (g *Gen) sentence(l lexicon, full bool) string {
	subj := g.pick(l.subjects)
	s := fmt.Sprintf("%s %s %s", subj, g.verb(l, subj), g.pick(l.objects))
	if !full {
		return s
	}
	switch g.r.IntN(4) {
	case 0:
		return "<b>" + s + "</b>."
	case 1:
		return s + " &ndash; " + g.pick(l.tails)
	}
	return s + "."
}

// generic is a sentence of ordinary reporting with no topic in it.
func (g *Gen) generic(l lexicon) string {
	subj := g.pick(l.subjects)
	verb := g.verb(l, subj)
	return fmt.Sprintf("%s %s %s. %s", subj, verb, g.pick(l.objects), g.pick(l.tails))
}

// verb picks a verb that agrees with the subject: verbs are written
// "singular|plural" where the forms differ.
func (g *Gen) verb(l lexicon, subject string) string {
	v := g.pick(l.verbs)
	sing, pl, ok := strings.Cut(v, "|")
	if ok && plurals[subject] {
		return pl
	}
	return sing
}

type lexicon struct {
	subjects, verbs, objects, tails []string
}

// plurals are the subjects that take a plural verb.
var plurals = map[string]bool{
	"Die EU-Staaten": true, "Die Grünen": true, "Klimaforscher": true, "Die Energieversorger": true, "Fachleute": true,
	"Officials in Kyiv": true, "Russian officials": true, "EU member states": true, "Investors": true, "Retailers": true,
	"Climate scientists": true, "Energy companies": true, "Local police": true, "Firefighters": true,
	"Officials": true, "Analysts": true, "Local authorities": true,
}

type theme struct {
	name, category string
	weight         int
	de, en         lexicon
}

var (
	deVerbs = []string{"kündigt an:|kündigen an:", "warnt vor|warnen vor", "fordert|fordern", "kritisiert|kritisieren",
		"verhandelt über|verhandeln über", "bestätigt|bestätigen", "lehnt ab:|lehnen ab:", "berät über|beraten über",
		"beschließt|beschließen", "dementiert Berichte über|dementieren Berichte über", "unterstützt|unterstützen",
		"prüft|prüfen", "verschiebt|verschieben", "begrüßt|begrüßen", "verurteilt|verurteilen", "rechnet mit|rechnen mit",
		"setzt auf|setzen auf"}
	enVerbs = []string{"warns of|warn of", "announces|announce", "rejects|reject", "calls for|call for", "discusses|discuss",
		"confirms|confirm", "condemns|condemn", "prepares|prepare", "delays|delay", "backs|back", "questions|question",
		"expects|expect"}
	deTails = []string{"die Lage bleibt angespannt.", "eine Einigung ist nicht in Sicht.",
		"Kritiker sprechen von einem Fehler.", "die Gespräche sollen fortgesetzt werden.",
		"die Kosten steigen deutlich.", "Beobachter sind skeptisch."}
	enTails = []string{"the situation remains tense.", "no agreement is in sight.",
		"critics call it a mistake.", "talks are to continue.", "costs are rising sharply."}
)

func de(subjects, objects []string) lexicon {
	return lexicon{subjects: subjects, verbs: deVerbs, objects: objects, tails: deTails}
}

func en(subjects, objects []string) lexicon {
	return lexicon{subjects: subjects, verbs: enVerbs, objects: objects, tails: enTails}
}

// themes and their share of stories (weights add up to 100).
var themes = []theme{
	{"ukraine", "Ausland", 5,
		de([]string{"Der ukrainische Präsident", "Die Regierung in Kiew", "Selenskyj", "Die ukrainische Armee", "Der Bürgermeister von Charkiw"},
			[]string{"Waffenlieferungen an die Ukraine", "neue Luftangriffe auf Charkiw", "die Lage an der Front im Donbass",
				"Munition für die ukrainische Armee", "Stromausfälle in der Westukraine", "den Wiederaufbau der Ukraine"}),
		en([]string{"Ukraine's president", "Officials in Kyiv", "Zelensky", "The Ukrainian army"},
			[]string{"arms deliveries to Ukraine", "drone attacks on Kharkiv", "Ukrainian grain exports", "the front line in the Donbas"})},
	{"russia", "Ausland", 4,
		de([]string{"Der Kreml", "Sergej Lawrow", "Russlands Außenminister Lawrow", "Moskau", "Der russische Präsident"},
			[]string{"neue Sanktionen gegen Russland", "ein Treffen mit Weißrussland", "Gespräche über einen Waffenstillstand",
				"die Ausweisung von Diplomaten", "die Kontrolle russischer Tanker"}),
		en([]string{"The Kremlin", "Sergei Lavrov", "Russian officials", "Moscow"},
			[]string{"new sanctions on Russia", "talks with Belarus", "a ceasefire proposal", "the expulsion of diplomats"})},
	{"northkorea", "Asien", 1,
		de([]string{"Nordkoreas Führung", "Pjöngjang", "Kim Jong Un", "Die nordkoreanische Außenministerin"},
			[]string{"neue Raketentests", "Manöver vor der koreanischen Halbinsel", "Gespräche mit Moskau", "die Grenze zu Südkorea"}),
		en([]string{"North Korea's foreign ministry", "Pyongyang", "Kim Jong Un"},
			[]string{"new missile tests", "drills near the Korean peninsula", "talks with Moscow"})},
	{"mideast", "Ausland", 5,
		de([]string{"Israels Regierung", "Die Hamas", "Der UN-Sicherheitsrat", "Irans Außenminister", "Die Regierung in Kairo"},
			[]string{"eine Waffenruhe im Gazastreifen", "Hilfslieferungen nach Gaza", "das Atomprogramm des Iran", "Gespräche in Doha"}),
		en([]string{"Israel's government", "Hamas", "The UN Security Council", "Iran's foreign minister"},
			[]string{"a ceasefire in Gaza", "aid deliveries to Gaza", "Iran's nuclear programme", "talks in Doha"})},
	{"china", "Asien", 4,
		de([]string{"Die chinesische Führung", "Peking", "Taiwans Regierung", "Japans Ministerpräsidentin"},
			[]string{"Zölle auf Elektroautos", "Manöver in der Straße von Taiwan", "den Handel mit Seltenen Erden", "ein Gipfeltreffen in Tokio"}),
		en([]string{"China's leadership", "Beijing", "Taiwan's government", "Japan's prime minister"},
			[]string{"tariffs on electric cars", "drills in the Taiwan Strait", "rare earth exports"})},
	{"eu", "Europa", 8,
		de([]string{"Die EU-Kommission", "Das Europaparlament", "Die EU-Staaten", "Der französische Präsident", "Polens Regierung"},
			[]string{"eine Reform des Asylrechts", "den Haushalt der EU", "strengere Regeln für Plattformen", "Agrarsubventionen", "Grenzkontrollen im Schengenraum"}),
		en([]string{"The European Commission", "EU member states", "The European Parliament", "France's president"},
			[]string{"asylum reform", "the EU budget", "rules for online platforms", "farm subsidies"})},
	{"us", "Ausland", 7,
		de([]string{"Das Weiße Haus", "Der US-Kongress", "Der Oberste Gerichtshof der USA", "Der Gouverneur von Kalifornien"},
			[]string{"höhere Zölle", "den Streit um die Schuldenobergrenze", "neue Regeln für Einwanderung", "Waldbrände in Kalifornien"}),
		en([]string{"The White House", "Congress", "The Supreme Court", "California's governor"},
			[]string{"higher tariffs", "the debt ceiling", "immigration rules", "wildfires in California"})},
	{"domestic", "Inland", 22,
		de([]string{"Die Bundesregierung", "Der Bundestag", "Die Opposition", "Die Grünen", "Die Ministerpräsidentin", "Der Bundesrat",
			"Das Bundesverfassungsgericht", "Die Gesundheitsministerin", "Die Union", "Der Kanzler"},
			[]string{"eine Reform der Rente", "die Schuldenbremse", "die Krankenhausreform", "das Bürgergeld", "den Ausbau der Bahn",
				"höhere Verteidigungsausgaben", "das Heizungsgesetz", "die Pflegeversicherung", "ein neues Wahlrecht", "die Mietpreisbremse"}),
		en([]string{"Germany's government", "The Bundestag", "The opposition", "The chancellor"},
			[]string{"pension reform", "the debt brake", "hospital reform", "defence spending"})},
	{"economy", "Wirtschaft", 16,
		de([]string{"Die Europäische Zentralbank", "Der Autobauer", "Die Gewerkschaft", "Der Chemiekonzern", "Die Deutsche Bahn",
			"Der Mittelstand", "Die Börse in Frankfurt", "Der Einzelhandel"},
			[]string{"eine Senkung der Leitzinsen", "Stellenabbau im Werk", "höhere Löhne", "die Energiepreise", "Streiks im Nahverkehr",
				"einen Rekordgewinn", "die Inflation", "Lieferengpässe bei Chips"}),
		en([]string{"The central bank", "The carmaker", "Investors", "The union", "Retailers"},
			[]string{"interest rate cuts", "job cuts", "higher wages", "energy prices", "record profits", "inflation"})},
	{"climate", "Wissen", 6,
		de([]string{"Der Wetterdienst", "Klimaforscher", "Die Umweltministerin", "Die Energieversorger"},
			[]string{"den Ausbau der Windkraft", "ein neues Klimaziel", "die Hitzewelle im Süden", "Hochwasser an der Elbe"}),
		en([]string{"Climate scientists", "The weather service", "Energy companies"},
			[]string{"a new climate target", "wind power", "the heatwave", "floods"})},
	{"sport", "Sport", 10,
		de([]string{"Der Bundestrainer", "Der FC Bayern", "Borussia Dortmund", "Die Nationalmannschaft", "Der Deutsche Fußball-Bund"},
			[]string{"einen Sieg im Derby", "die Aufstellung für das Länderspiel", "einen Trainerwechsel", "die Fußball-Übertragungsrechte"}),
		en([]string{"The coach", "The national team", "The club"},
			[]string{"a win in the derby", "a new manager", "the World Cup squad"})},
	{"culture", "Kultur", 5,
		de([]string{"Die Berlinale", "Das Goethe-Institut", "Der Schriftsteller", "Die Staatsoper"},
			[]string{"einen Preis für den besten Film", "eine neue Ausstellung", "die Förderung von Theatern"}),
		en([]string{"The festival", "The museum", "The author"},
			[]string{"a prize for best film", "a new exhibition", "arts funding"})},
	{"local", "Regional", 7,
		de([]string{"Die Polizei in Köln", "Der Bürgermeister von Hamburg", "Die Feuerwehr", "Das Landgericht München"},
			[]string{"einen Großbrand in einer Lagerhalle", "Sperrungen auf der A7", "ein Urteil im Betrugsprozess", "den Bau einer neuen Brücke"}),
		en([]string{"Local police", "The mayor", "Firefighters"},
			[]string{"a warehouse fire", "road closures", "a fraud verdict"})},
}

var (
	genericDE = lexicon{
		subjects: []string{"Ein Sprecher", "Die Behörde", "Das Ministerium", "Die Stadtverwaltung", "Fachleute", "Der Verband",
			"Eine Sprecherin", "Die Landesregierung", "Das Unternehmen", "Die Staatsanwaltschaft", "Der Betriebsrat", "Das Institut"},
		verbs: []string{"teilte am Mittwoch mit,|teilten am Mittwoch mit,", "sagte im Interview,|sagten im Interview,",
			"erklärte in einer Stellungnahme,|erklärten in einer Stellungnahme,", "betonte,|betonten,",
			"räumte ein,|räumten ein,", "kündigte an,|kündigten an,", "wies darauf hin,|wiesen darauf hin,"},
		objects: []string{"dass die Zahlen vorläufig seien", "dass weitere Prüfungen nötig seien", "dass man die Entwicklung beobachte",
			"dass der Zeitplan eingehalten werde", "dass bis Jahresende entschieden werde", "dass die Mittel nicht ausreichten",
			"dass die Verhandlungen schwierig blieben", "dass es Gespräche gegeben habe"},
		tails: []string{"Einzelheiten wurden nicht genannt.", "Die Opposition zeigte sich skeptisch.", "Eine Entscheidung steht aus.",
			"Zuvor hatte die Zeitung darüber berichtet.", "Der Vorgang wird geprüft.", "Weitere Informationen folgen."},
	}
	genericEN = lexicon{
		subjects: []string{"A spokesperson", "Officials", "The ministry", "Analysts", "The company", "Local authorities"},
		verbs:    []string{"said on Tuesday", "told reporters", "confirmed in a statement", "acknowledged"},
		objects:  []string{"that figures were preliminary", "that further checks were needed", "that talks had taken place", "that a decision was due"},
		tails:    []string{"No details were given.", "Critics were sceptical.", "More information is expected.", "The matter is under review."},
	}
	categories = []string{"Ausland", "Inland", "Wirtschaft", "Politik", "Europa", "Asien", "Sport", "Kultur", "Wissen", "Regional"}
	authors    = []string{"Anna Schmidt", "Jörg Müller", "Claire Dubois", "Tom Baker", "Svenja Groß", "Mehmet Öztürk", "Laura Weiß"}
)

// Topics returns n realistic topic queries (names and queries), cycling
// through the kinds analysts write.
func Topics(n int) [][2]string {
	base := [][2]string{
		{"Ukraine", "Ukraine"}, {"Nordkorea", `Nordkorea OR Pjöngjang OR "North Korea" OR Pyongyang`},
		{"Lawrow", `"Sergej Lawrow" OR Lavrov`}, {"Sanktionen", "Sanktionen Russland"},
		{"EU", "EU -Fußball"}, {"Gaza", "Gaza* OR Gazastreifen"}, {"Westukraine", "*ukraine"},
		{"Waffen", "Ukraine (Waffen* OR Munition OR arms) -Fußball"}, {"Kreml", "Kreml OR Kremlin"},
		{"China", "China OR chinesisch* OR Peking OR Beijing"}, {"Taiwan", "title:Taiwan*"},
		{"Nato", "Nato OR NATO"}, {"Rente", "Rente* Reform"}, {"Weißrussland", "Weißrussland OR Belarus"},
		{"Iran", "Iran"}, {"Israel", "Israel*"}, {"Zölle", "Zölle OR tariffs"}, {"Energie", "Energiepreise OR energy"},
		{"Migration", "Asyl* OR Grenzkontrollen OR immigration"}, {"Klimaschutz", `Klimaziel OR "climate target"`},
	}
	places := []string{"Kiew", "Charkiw", "Odessa", "Moskau", "Tokio", "Seoul", "Washington",
		"Brüssel", "Paris", "London", "Warschau", "Ankara", "Teheran", "Damaskus", "Kairo", "Riad",
		"Taipeh", "Manila", "Hanoi", "Tiflis", "Minsk", "Vilnius", "Riga", "Tallinn", "Helsinki",
		"Stockholm", "Oslo", "Kopenhagen", "Wien", "Bern", "Rom", "Madrid", "Lissabon", "Athen",
		"Belgrad", "Sarajevo", "Budapest", "Prag", "Bratislava", "Bukarest", "Sofia", "Chisinau",
		"Baku", "Eriwan", "Astana", "Taschkent", "Kabul", "Islamabad", "Neu-Delhi", "Dhaka", "Jakarta",
		"Canberra", "Ottawa", "Mexiko-Stadt", "Havanna", "Caracas", "Bogota", "Lima", "Brasilia",
		"Buenos Aires", "Santiago", "Pretoria", "Nairobi", "Addis Abeba", "Khartum", "Tripolis",
		"Tunis", "Algier", "Rabat", "Dakar", "Abuja", "Kinshasa", "Luanda", "Harare", "Beirut", "Amman",
		"Bagdad", "Sanaa", "Maskat", "Doha"}
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
