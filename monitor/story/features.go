package story

import "strings"

// Kind is what sort of article it is: news, or one of those that never
// join a news story by their terms (an opinion piece about an event is
// not a report of it, a live blog covers many).
type Kind uint8

// The kinds of article.
const (
	News Kind = iota
	Opinion
	Live
)

func (k Kind) String() string {
	switch k {
	case Opinion:
		return "opinion"
	case Live:
		return "live"
	}
	return "news"
}

// Class is what a term key stands for.
type Class uint8

// The classes of term keys. Stems depend on the language; names,
// numbers and places do not.
const (
	Stem Class = iota
	Name
	Number
	Place
)

// Term is one term key of an article.
type Term struct {
	Key   uint64
	Class Class
	Title bool // found in the title
}

// Features are what an article is found by.
type Features struct {
	Kind  Kind
	Lang  Lang
	Title uint64   // the normalised title's key; 0 when the title is too short
	Bands []uint64 // MinHash band keys; none when the text is too short
	Terms []Term   // at most MaxTerms
}

// Size is the number of terms, and LangFree the number of those that do
// not depend on the language (names, numbers, places), at most 255 each.
func (f *Features) Size() (all, langFree int) {
	for _, t := range f.Terms {
		if t.Class != Stem {
			langFree++
		}
	}
	return min(len(f.Terms), 255), min(langFree, 255)
}

// Keys are every key of the features, for the index: the title's, the
// bands', the terms'.
func (f *Features) Keys() []uint64 {
	out := make([]uint64, 0, 1+len(f.Bands)+len(f.Terms))
	if f.Title != 0 {
		out = append(out, f.Title)
	}
	out = append(out, f.Bands...)
	for _, t := range f.Terms {
		out = append(out, t.Key)
	}
	return out
}

// An article is indexed by at most MaxStems stems and MaxLangFree names,
// numbers and places (the title's first, then the lead's).
const (
	MaxStems    = 16
	MaxLangFree = 12
	MaxTerms    = MaxStems + MaxLangFree
)

// leadWords is how many words after the title count for terms: the lead
// says what happened; the rest of a long text adds background.
const leadWords = 80

// shingleWords is how many words of the text MinHash reads.
const shingleWords = 200

// Article is the text Extract reads.
type Article struct {
	Title, Summary, Content string
	Link                    string
	Categories              []string
}

// Extract computes an article's features.
func Extract(a Article) Features {
	// Only the words that count are read: the lead for terms, the first
	// shingleWords for MinHash.
	// One array: the title's tokens, then the body's.
	all := tokenizeMax(a.Title, make([]token, 0, 64+shingleWords), 64)
	title := all[:len(all):len(all)]
	all = tokenizeMax(a.Summary, all, len(title)+shingleWords)
	if len(all)-len(title) < leadWords && a.Content != "" && !strings.HasPrefix(a.Content, a.Summary[:min(len(a.Summary), 40)]) {
		all = tokenizeMax(a.Content, all, len(title)+shingleWords)
	} else if len(all) == len(title) {
		all = tokenizeMax(a.Content, all, len(title)+shingleWords)
	}
	body := all[len(title):]
	f := Features{Lang: detectLang(all), Kind: kindOf(a, title)}
	if k := normTitle(title); k != "" {
		f.Title = hashKey("t:", k)
	}
	f.Bands = minhashBands(all[:min(len(all), shingleWords)])
	f.Terms = terms(title, body[:min(len(body), leadWords)], f.Lang)
	return f
}

// terms picks the term keys: the title's first, then the lead's in
// order, each once, at most MaxStems stems and MaxLangFree others.
func terms(title, lead []token, lang Lang) []Term {
	st := newStemmer(lang)
	out := make([]Term, 0, MaxTerms)
	stems, free := 0, 0
	add := func(class Class, prefix, v string, inTitle bool) {
		if v == "" {
			return
		}
		if class == Stem && stems >= MaxStems || class != Stem && free >= MaxLangFree {
			return
		}
		k := hashKey(prefix, v)
		for _, t := range out {
			if t.Key == k {
				return
			}
		}
		if class == Stem {
			stems++
		} else {
			free++
		}
		out = append(out, Term{Key: k, Class: class, Title: inTitle})
	}
	titleCase := isTitleCase(title)
	take := func(toks []token, inTitle bool) {
		for _, t := range toks {
			w := t.folded
			if t.number {
				if n := normNumber(w); len(n) >= 2 {
					add(Number, "n:", n, inTitle)
				}
				continue
			}
			if len(w) < 3 || isStop(w) {
				continue
			}
			if p := placeOf(w); p != "" {
				add(Place, "g:", p, inTitle)
			} else if t.capital && !t.initial && !(inTitle && titleCase) && len(w) >= 4 {
				add(Name, "p:", skeleton(w), inTitle)
			}
			add(Stem, "s:", st.of(w), inTitle)
		}
	}
	take(title, true)
	take(lead, false)
	return out
}

// isTitleCase reports whether a title capitalises its words as English
// headlines do ("Peace Talks Resume in Geneva"), so its capitals say
// nothing about names.
func isTitleCase(toks []token) bool {
	long, caps := 0, 0
	for _, t := range toks {
		if len(t.folded) >= 4 && !t.number {
			long++
			if t.capital {
				caps++
			}
		}
	}
	return long >= 3 && caps*5 >= long*4
}

// Markers of opinion pieces and live blogs, folded: in the first words
// of the title, in the link's path, or among the categories.
var (
	opinionWords = words(`kommentar kommentare meinung leitartikel gastbeitrag kolumne standpunkt
		opinion opinions editorial comment commentary column oped edito chronique tribune`)
	liveWords = words(`liveblog live liveticker ticker newsblog livestream`)
)

func kindOf(a Article, title []token) Kind {
	for i, t := range title[:min(len(title), 3)] {
		switch {
		case liveWords[t.folded]:
			return Live
		case t.folded == "en" && i+1 < len(title) && title[i+1].folded == "direct":
			return Live
		case opinionWords[t.folded] || t.folded == "op" && i+1 < len(title) && title[i+1].folded == "ed":
			return Opinion
		}
	}
	if strings.HasPrefix(strings.TrimSpace(a.Title), "++") {
		return Live // German news tickers: "+++ Selenskyj ... +++"
	}
	// The link's path: a directory named live or opinion (…/live/…,
	// …/opinion/…, …/liveblog-ukraine); a page name that merely starts
	// with "live-" (a numbered live page of one event) does not count.
	link := strings.ToLower(a.Link)
	if i := strings.Index(link, "://"); i >= 0 {
		link = link[i+3:]
	}
	if i := strings.IndexAny(link, "?#"); i >= 0 {
		link = link[:i]
	}
	if i := strings.IndexByte(link, '/'); i >= 0 {
		segs := strings.Split(strings.Trim(link[i:], "/"), "/")
		for j, seg := range segs {
			last := j == len(segs)-1
			switch {
			case seg == "live" && !last || strings.HasPrefix(seg, "liveblog") || strings.HasPrefix(seg, "live-blog") ||
				strings.HasPrefix(seg, "liveticker") || strings.HasPrefix(seg, "newsticker"):
				return Live
			case opinionWords[seg] && !last || seg == "commentisfree" || seg == "meinungen" || strings.HasPrefix(seg, "kommentar"):
				return Opinion
			}
		}
	}
	for _, c := range a.Categories {
		for _, t := range tokenize(c, nil) {
			switch {
			case liveWords[t.folded]:
				return Live
			case opinionWords[t.folded]:
				return Opinion
			}
		}
	}
	return News
}

// hashKey is the 64-bit key of a prefixed value (FNV-1a).
func hashKey(prefix, v string) uint64 {
	k := fnvString(fnvString(fnvOffset, prefix), v)
	if k == 0 {
		k = 1
	}
	return k
}
