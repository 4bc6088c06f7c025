package app

import (
	"embed"
	"os"
	"regexp"

	"fyne.io/fyne/v2/lang"

	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// Every text the app shows goes through Fyne's lang package: lang.L for
// plain text, tf for text with values, nf for text that depends on a
// count. The English text is the key; translations/<language>.json holds
// the translations (TestTranslations checks that every key has all of
// them). The engine's own texts (errors, feed health) are msg.Messages,
// translated by trMsg from the same files.

//go:embed translations
var translations embed.FS

// languages the app ships, by code, each named in its own language.
var languages = []struct{ code, name string }{
	{"", ""}, // the system's: languageLabel names it
	{"en", "English"},
	{"de", "Deutsch"},
}

var envLocales = map[string]string{"en": "en_GB.UTF-8", "de": "de_DE.UTF-8"}

// loadTranslations adds the app's translations and picks the language:
// code ("en", "de"), or the system's when empty. Fyne reads the language
// from the environment, so for a chosen one it is set there for the call
// (and then put back, so programs started from the app, such as the
// browser, keep the user's own).
func loadTranslations(code string) error {
	if loc, ok := envLocales[code]; ok {
		defer restoreEnv("LANGUAGE", "LC_ALL")()
		os.Setenv("LANGUAGE", code)
		os.Setenv("LC_ALL", loc)
	}
	return lang.AddTranslationsFS(translations, "translations")
}

func restoreEnv(names ...string) func() {
	type saved struct {
		v  string
		ok bool
	}
	old := map[string]saved{}
	for _, n := range names {
		v, ok := os.LookupEnv(n)
		old[n] = saved{v, ok}
	}
	return func() {
		for n, s := range old {
			if s.ok {
				os.Setenv(n, s.v)
			} else {
				os.Unsetenv(n)
			}
		}
	}
}

// tf translates a text with values given as name/value pairs:
// tf("{{.N}} new matches", "N", 3).
func tf(text string, kv ...any) string { return lang.L(text, pairs(kv)) }

// nf translates a text whose form depends on n (one story, 2 stories);
// the template sees n as .N, besides the other pairs.
func nf(text string, n int, kv ...any) string {
	m := pairs(kv)
	m["N"] = n
	return lang.N(text, n, m)
}

func pairs(kv []any) map[string]any {
	m := make(map[string]any, len(kv)/2+1)
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1]
	}
	return m
}

var fieldRE = regexp.MustCompile(`{{\s*\.(\w+)\s*}}`)

// trMsg renders one of the engine's messages in the app's language.
func trMsg(m msg.Message) string { return m.Render(translateTemplate) }

// trErr is the text of an error in the app's language.
func trErr(err error) string { return trMsg(msg.Of(err)) }

// translateTemplate returns the translation of a message template, still
// a template: its fields are handed to lang as themselves. n is the count
// of a message with plural forms, else -1.
func translateTemplate(tmpl string, n int) string {
	fields := map[string]string{}
	for _, m := range fieldRE.FindAllStringSubmatch(tmpl, -1) {
		fields[m[1]] = "{{." + m[1] + "}}"
	}
	if n >= 0 {
		return lang.N(tmpl, n, fields)
	}
	return lang.L(tmpl, fields)
}
