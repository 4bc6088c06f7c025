package app

import (
	"context"
	"encoding/json"
	"flag"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"text/template"
	"time"

	"codeberg.org/newswatch/newswatch/monitor"
	"codeberg.org/newswatch/newswatch/monitor/msg"
	"codeberg.org/newswatch/newswatch/monitor/query"
	"codeberg.org/newswatch/newswatch/monitor/store"
)

var updateTranslations = flag.Bool("update-translations", false, "add missing keys to translations/en.json")

// textKey is a translatable text found in the source.
type textKey struct {
	english string // the English text (for lang.X, the fallback)
	plural  bool
	where   string
}

// sourceKeys finds every text the app and the engine show: the literal
// first arguments of lang.L, lang.N, tf, nf and msg.T, and lang.X's key.
func sourceKeys(t *testing.T) map[string]textKey {
	t.Helper()
	keys := map[string]textKey{}
	add := func(key string, k textKey) {
		if old, ok := keys[key]; ok && old.plural != k.plural {
			t.Errorf("%s: %q is used both as a plural and not (also at %s)", k.where, key, old.where)
		}
		keys[key] = k
	}
	fset := token.NewFileSet()
	var files []string
	for _, root := range []string{".", "../monitor", "../internal", "../cmd/newswatch"} {
		filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go") {
				files = append(files, path)
			}
			return err
		})
	}
	for _, path := range files {
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			name := ""
			switch fn := call.Fun.(type) {
			case *ast.Ident:
				name = fn.Name
			case *ast.SelectorExpr:
				if x, ok := fn.X.(*ast.Ident); ok {
					name = x.Name + "." + fn.Sel.Name
				}
			}
			where := fset.Position(call.Pos()).String()
			// i18n.go holds the helpers themselves, which pass texts on.
			helpers := filepath.Base(path) == "i18n.go"
			if sel, ok := call.Fun.(*ast.SelectorExpr); ok && uiTextSinks[sel.Sel.Name] && !strings.HasPrefix(path, "..") {
				for _, a := range call.Args {
					if s, ok := constString(a); ok && letters.MatchString(s) {
						t.Errorf("%s: %s(%q): a text the user sees must go through lang", where, sel.Sel.Name, s)
					}
				}
			}
			switch name {
			case "lang.L", "tf", "msg.T", "T", "lang.N", "nf", "lang.Localize", "lang.LocalizePlural", "msg.TN", "TN":
				s, ok := constString(call.Args[0])
				if !ok && !helpers {
					t.Errorf("%s: %s needs a literal text, so it can be translated", where, name)
				}
				if !ok {
					return true
				}
				plural := name == "lang.N" || name == "nf" || name == "lang.LocalizePlural" || name == "msg.TN" || name == "TN"
				add(s, textKey{english: s, plural: plural, where: where})
			case "lang.X":
				key, ok1 := constString(call.Args[0])
				fallback, ok2 := constString(call.Args[1])
				if !ok2 && !helpers {
					t.Errorf("%s: lang.X needs a literal fallback", where)
				}
				if !ok2 {
					return true
				}
				if ok1 {
					add(key, textKey{english: fallback, where: where})
				}
			}
			return true
		})
	}
	// Keys made at run time.
	return keys
}

// uiTextSinks are the Fyne calls that put text on the screen.
var uiTextSinks = map[string]bool{
	"NewLabel": true, "NewLabelWithStyle": true, "NewButton": true, "NewButtonWithIcon": true,
	"NewCheck": true, "NewFormItem": true, "NewTabItem": true, "NewTabItemWithIcon": true,
	"NewMenuItem": true, "NewMenu": false, "SetText": true, "SetPlaceHolder": true, "NewHyperlink": true,
	"ShowConfirm": true, "ShowInformation": true, "NewCustomConfirm": true, "NewCustom": true,
	"NewRichTextFromMarkdown": true, "NewNotification": true, "NewWindow": false, "NewSelect": true,
}

var letters = regexp.MustCompile(`\pL`)

// constString evaluates a string literal or a sum of them.
func constString(e ast.Expr) (string, bool) {
	switch x := e.(type) {
	case *ast.BasicLit:
		if x.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(x.Value)
		return s, err == nil
	case *ast.BinaryExpr:
		if x.Op != token.ADD {
			return "", false
		}
		a, ok1 := constString(x.X)
		b, ok2 := constString(x.Y)
		return a + b, ok1 && ok2
	case *ast.ParenExpr:
		return constString(x.X)
	}
	return "", false
}

// translation is one entry of a translation file: a text, or plural forms.
type translation struct {
	text   string
	forms  map[string]string
	plural bool
}

func readTranslations(t *testing.T, lang string) map[string]translation {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("translations", lang+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatalf("%s.json: %v", lang, err)
	}
	out := map[string]translation{}
	for k, v := range raw {
		var s string
		if json.Unmarshal(v, &s) == nil {
			out[k] = translation{text: s}
			continue
		}
		var forms map[string]string
		if err := json.Unmarshal(v, &forms); err != nil {
			t.Errorf("%s.json: %q is neither a text nor plural forms", lang, k)
			continue
		}
		out[k] = translation{forms: forms, plural: true}
	}
	return out
}

var fieldsRE = regexp.MustCompile(`{{\s*\.(\w+)\s*}}`)

func fieldSet(s string) string {
	set := map[string]bool{}
	for _, m := range fieldsRE.FindAllStringSubmatch(s, -1) {
		set[m[1]] = true
	}
	var out []string
	for f := range set {
		out = append(out, f)
	}
	sort.Strings(out)
	return strings.Join(out, ",")
}

// Every text has an English and a German translation, the translations
// name the same values as the text, and no translation is left over.
func TestTranslations(t *testing.T) {
	keys := sourceKeys(t)
	if *updateTranslations {
		writeEnglish(t, keys)
	}
	for _, lang := range []string{"en", "de"} {
		tr := readTranslations(t, lang)
		for key, k := range keys {
			e, ok := tr[key]
			switch {
			case !ok:
				t.Errorf("%s.json has no translation of %q (%s)", lang, key, k.where)
				continue
			case k.plural != e.plural:
				t.Errorf("%s.json: %q must be %s", lang, key, map[bool]string{true: "plural forms (one, other)", false: "a text"}[k.plural])
				continue
			}
			texts := map[string]string{"": e.text}
			if e.plural {
				texts = e.forms
				if e.forms["one"] == "" || e.forms["other"] == "" {
					t.Errorf("%s.json: %q needs the forms one and other", lang, key)
				}
			}
			for form, text := range texts {
				if strings.TrimSpace(text) == "" {
					t.Errorf("%s.json: %q %s is empty", lang, key, form)
				}
				if _, err := template.New("").Parse(text); err != nil {
					t.Errorf("%s.json: %q %s: %v", lang, key, form, err)
				}
				want, got := fieldSet(key), fieldSet(text)
				if form == "one" { // "1 story" may say the number in words
					want = strings.Trim(strings.ReplaceAll(","+want+",", ",N,", ","), ",")
					got = strings.Trim(strings.ReplaceAll(","+got+",", ",N,", ","), ",")
				}
				if want != got {
					t.Errorf("%s.json: %q %s names the values {%s}, the text {%s}", lang, key, form, got, want)
				}
			}
			if lang == "en" && !e.plural && e.text != k.english {
				t.Errorf("en.json: %q reads %q, the source %q", key, e.text, k.english)
			}
		}
		for key := range tr {
			if _, ok := keys[key]; !ok {
				t.Errorf("%s.json: %q is no longer used", lang, key)
			}
		}
	}
}

// writeEnglish adds the English of new texts to en.json (plural ones get
// a draft singular to check by hand) and drops unused ones.
func writeEnglish(t *testing.T, keys map[string]textKey) {
	old := readTranslations(t, "en")
	out := map[string]any{}
	for key, k := range keys {
		if e, ok := old[key]; ok && e.plural == k.plural {
			if e.plural {
				out[key] = e.forms
			} else {
				out[key] = e.text
			}
			continue
		}
		if k.plural {
			out[key] = map[string]string{"one": "TODO " + k.english, "other": k.english}
		} else {
			out[key] = k.english
		}
	}
	data, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("translations", "en.json"), append(data, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
}

// Choosing a language in the settings switches the whole window at once,
// and the choice is kept.
func TestLanguageSwitch(t *testing.T) {
	tu := newTestUI(t)
	t.Cleanup(func() { loadTranslations("en") })
	if got := tu.tabs.Items[0].Text; got != "Timeline" {
		t.Fatalf("first tab %q", got)
	}
	tu.tabs.SelectIndex(4)
	tu.settings.refresh()
	tu.settings.language.SetSelected("Deutsch")
	if got := tu.prefs.language(); got != "de" {
		t.Errorf("language preference %q", got)
	}
	var tabs []string
	for _, it := range tu.tabs.Items {
		tabs = append(tabs, it.Text)
	}
	if got := strings.Join(tabs, ","); got != "Meldungen,Themen,Feeds,Alarme,Einstellungen" {
		t.Errorf("tabs in German: %s", got)
	}
	if tu.tabs.SelectedIndex() != 4 {
		t.Errorf("the settings tab is no longer shown")
	}
	if got := tu.status.status.Text; !strings.Contains(got, "Noch keine Feeds") {
		t.Errorf("status in German: %q", got)
	}
	if got := tu.settings.language.Selected; got != "Deutsch" {
		t.Errorf("the new settings screen shows %q", got)
	}
	tu.settings.language.SetSelected("English")
	if got := tu.tabs.Items[0].Text; got != "Timeline" {
		t.Errorf("back in English, the first tab is %q", got)
	}
}

func TestDatesInGerman(t *testing.T) {
	if err := loadTranslations("de"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { loadTranslations("en") })
	now := time.Date(2026, 11, 25, 9, 30, 0, 0, time.Local)
	tests := []struct {
		t    time.Time
		want string
	}{
		{now.Add(-10 * time.Second), "gerade eben"},
		{now.Add(time.Minute), "in 1 Minute"},
		{now.Add(10 * time.Minute), "in 10 Minuten"},
		{now.Add(-25 * time.Minute), "vor 25 Minuten"},
		{now.Add(-3 * time.Hour), "um 06:30"},
		{now.AddDate(0, 0, -1), "gestern 09:30"},
		{now.AddDate(0, 0, 1), "morgen 09:30"},
		{now.AddDate(0, -1, 0), "25. Okt. 09:30"},
		{now.AddDate(-1, 0, 0), "25. Nov. 2025"},
	}
	for _, tt := range tests {
		if got := trMsg(msg.When(tt.t, now)); got != tt.want {
			t.Errorf("When(%v) = %q, want %q", tt.t, got, tt.want)
		}
	}
	for d, want := range map[time.Time]string{
		now:                    "Heute — Mittwoch, 25. November",
		now.AddDate(0, 0, -1):  "Gestern — Dienstag, 24. November",
		now.AddDate(0, 0, -14): "Mittwoch, 11. November",
		now.AddDate(0, -10, 0): "Sonntag, 25. Januar",
		now.AddDate(-1, 0, 0):  "Dienstag, 25. November 2025",
	} {
		if got := trMsg(msg.Day(d, now)); got != want {
			t.Errorf("Day(%v) = %q, want %q", d, got, want)
		}
	}
	if got := trMsg(msg.DateTime(time.Date(2026, 3, 2, 14, 5, 0, 0, time.Local))); got != "2. März 2026, 14:05" {
		t.Errorf("dateTime = %q", got)
	}
}

// The engine's messages reach the user in the app's language, with their
// values in place, also when they nest.
func TestEngineMessagesInGerman(t *testing.T) {
	if err := loadTranslations("de"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { loadTranslations("en") })
	_, err := query.Parse(`Ukraine "Kiew`)
	if got, want := msg.Sentence(trErr(err)), "Nicht geschlossenes Anführungszeichen an Stelle 9."; got != want {
		t.Errorf("query error: %q, want %q", got, want)
	}
	svc := monitor.New(monitor.Config{Store: mustStore(t)})
	defer svc.Close()
	_, err = svc.AddTopic(context.Background(), monitor.Topic{Name: "Krieg", Query: "Ukraine OR"})
	if got, want := trErr(err), "Die Suchanfrage des Themas „Krieg“ hat einen Fehler: „OR“ braucht danach einen Begriff an Stelle 9."; got != want {
		t.Errorf("topic error: %q, want %q", got, want)
	}
	// A regular expression too slow to match, as the topic editor shows it.
	_, err = query.Parse(`Ukraine /(\w+\s?){1000}Q/`)
	if got, want := msg.Sentence(trErr(err)), "Regulärer Ausdruck, der eine Wiederholung 1.000-mal wiederholt, was die Suche verlangsamt (höchstens 10) an Stelle 9."; got != want {
		t.Errorf("regex budget: %q, want %q", got, want)
	}
	q, _ := query.Parse("Nordkorea")
	if got, want := trMsg(q.Explain()[0]), "Nordkorea: Wörter, die mit nordkorea beginnen"; got != want {
		t.Errorf("explanation: %q, want %q", got, want)
	}
	// Text without a translation (a server's own words) stays as it is.
	if got := trMsg(msg.Literal("{{.Host}} said no")); got != "{{.Host}} said no" {
		t.Errorf("literal: %q", got)
	}
}

func mustStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return st
}
