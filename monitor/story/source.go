package story

import (
	"hash/fnv"
	"net/url"
	"strings"

	"golang.org/x/net/publicsuffix"
)

// SourceOf names the outlet an article comes from: its link's registered
// domain (www.tagesschau.de and tagesschau.de are one source, as are two
// feeds of the same outlet), else the feed's name.
func SourceOf(link, feedName string) string {
	if u, err := url.Parse(link); err == nil && u.Hostname() != "" {
		host := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
		if d, err := publicsuffix.EffectiveTLDPlusOne(host); err == nil {
			return d
		}
		return host
	}
	return "feed:" + strings.ToLower(strings.TrimSpace(feedName))
}

// SourceHash is a source's 32-bit hash, as the index keeps it.
func SourceHash(source string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(source))
	return h.Sum32()
}
