// Package story decides which story an article belongs to: one event
// reported by many outlets is one story. It is pure over text and an
// Index of what was stored recently; it runs no SQL. MemIndex keeps the
// index in memory (monitor/store keeps one for its window); its Draft
// decides against it while others add to it, and Confirm keeps the
// draft unless an article added since could change it, so the store
// decides outside its write lock and only confirms inside it.
//
// # Features
//
// Extract turns an article into the keys it is found by:
//
//   - a normalised title (folded like topic queries, ä = ae, ß = ss;
//     punctuation gone): the same headline from another outlet;
//   - MinHash bands over three-word shingles of the folded text (Bands ×
//     Rows hashes): syndicated copies, the same agency text, an item re-
//     posted under a new GUID (Jaccard resemblance of about 0.85 and more
//     makes several bands agree);
//   - terms: the title's and lead's words after folding, stop words
//     dropped, stemmed with the Snowball stemmer of the article's
//     language (github.com/blevesearch/snowballstem: German, English,
//     French); numbers; proper names (capitalised words inside a
//     sentence) as a transliteration skeleton (Selenskyj, Zelensky and
//     Zelenskyy agree); places and countries through a small gazetteer of
//     their German, English and French names (Genf, Geneva, Genève).
//
// The language is the one whose stop words the text uses most (of
// German, English and French; none when fewer than three are found).
// Opinion pieces and live blogs are recognised by their title, link and
// categories ("Kommentar:", "/opinion/", "Liveblog", "en direct").
//
// # Assignment
//
// Assign looks up the article's keys in the Index over a window of
// Window either side of its date (never a scan: at most Limit postings
// per key, newest first; a key with more is too common to tell stories
// apart and weighs nothing). A candidate report joins the article to its
// story when
//
//   - enough MinHash bands agree (a near-duplicate), or the normalised
//     titles agree (five words or more) and the two come from different
//     sources or their texts agree in at least two bands; or
//   - both are news (not opinion, not live blog) and they share enough
//     rare terms: at least three keys, two of them rare, and a similarity
//     (the geometric mean of the share of the article's weight found in
//     the candidate and the share of the candidate's keys found in the
//     article, terms weighed by rarity within the window) of MinSimilarity;
//     two reports of one source need MinSimilaritySame (outlets' recurring
//     columns share their words, not their events). Reports in different
//     languages compare only their names, numbers and places, and need
//     MinSimilarityCross.
//
// The best candidate's story wins; without one the article starts a
// story. Opinion pieces and live blogs so never join news stories
// (except as near-duplicates of each other), and the same topic on
// another day, or another event in the same place, shares too few rare
// terms to join.
package story
