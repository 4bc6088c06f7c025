// Package query is the topic query language of Newswatch: it parses a
// topic's query, folds text for German-aware matching, matches articles
// against many topics at once, and explains every match (which term matched
// in which field, at which byte offsets of the original text).
//
// # Syntax
//
//	Ukraine Russland                  both terms (AND is implicit; AND may be written)
//	Nordkorea OR Pjöngjang OR "North Korea"   either one (| works too); OR binds tighter than AND
//	Ukraine -Fußball                  exclude (NOT Fußball is the same)
//	Ukraine (Waffen OR Munition) -Fußball     parentheses group
//	"Sergej Lawrow"                   a phrase: these words, in this order, adjacent
//	Lawrow*                           explicit prefix: words that start with "lawrow", no stemming
//	*ukraine                          the term may also end (or sit inside) a compound: Westukraine
//	title:Nordkorea                   only in the title; also summary:, content: (both the
//	                                  feed's text), text: (the feed's text and the full
//	                                  text), fulltext: (only the article's web page, when
//	                                  Newswatch read it), category:, author:, feed:
//	title:(Kiew OR Kyiv)              a field scope applies to a whole group
//	/pj(oe|o|y)ng ?yang/              a regular expression (RE2), over the folded text
//
// ODER, UND and NICHT are accepted for OR, AND and NOT. Operators are
// only operators in capitals: "or" is a word. A query needs at least one
// term that must occur; one that only excludes is refused. Syntax errors
// name the problem and its column ("unclosed quote at column 14").
//
// # Matching
//
// Text and query are folded alike: lower case, accents removed, and the
// German equivalences ä=ae, ö=oe, ü=ue, ß=ss, so "Außenminister" matches
// "AUSSENMINISTER" and "Zürich" matches "Zuerich". Words are split at
// spaces, punctuation and hyphens.
//
// A term matches at the start of a word, so inflections and compounds that
// begin with it match: Nordkorea finds Nordkoreas, nordkoreanische,
// Nordkoreaner and Nordkorea-Gipfel. Before that, a term loses one
// inflectional ending (light stemming): a final -e or -s when five
// letters remain, -es when five remain, -en when six remain. So Ukraine
// matches ukrainische and Ukrainian, Sanktionen matches Sanktion, but
// Waffen does not turn into "waff" (Waffel). Terms of three letters or
// fewer (EU, USA, UN, Öl) match whole words only, so EU never fires on
// "neu" or "Europa" (but does on "EU-Kommission", whose hyphen splits
// words); write Öl* to also match words that begin with it (Ölpreis).
//
// A term with hyphens (Ukraine-Krieg) matches its parts as adjacent words
// and also the joined compound (Ukrainekrieg). In a phrase every word
// follows the rules above and the words must be adjacent (separated only
// by spaces, hyphens or quotes).
//
// Unscoped terms search the title, summary, content, full text and
// categories; author: and feed: search the author and the feed's title.
// The full text is the text of the article's web page, which Newswatch
// reads for feeds that carry only a teaser: a hit there has the field
// FullText ("fulltext"), so a match says it was found in the text.
//
// A regular expression is matched case-insensitively against the folded
// text (so write ae for ä); it is not limited to word starts. Only what
// it finds counts: empty matches never match a story, and a pattern that
// matches empty text (/$/, /x*/) is refused.
//
// # Explain
//
// Every match returns its hits: the term as written in the query, the
// field, and the byte range in the original field text. For word terms the
// range covers the whole word ("nordkoreanische"), for phrases all its
// words.
package query
