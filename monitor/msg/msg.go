// Package msg holds the texts the engine writes for people — errors, feed
// health, query problems — in a form the desktop app can translate: an
// English template (Go text/template, e.g. "The server {{.Host}} refused
// the connection.") and its values. The template is also the translation
// key, the way Fyne's lang.L works; the command line prints the English.
//
// Every template is written as msg.T("..."), so the app's translation test
// finds each one in the source and checks that it has a translation.
package msg

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"strings"
	"sync"
	"text/template"
)

// Message is a text for people: a template and the values it names. A
// message with a count (NewCount) has plural forms in the languages that
// need them ("in 1 Minute", "in 10 Minuten").
type Message struct {
	Tmpl   string         `json:"t"`
	Args   map[string]any `json:"a,omitempty"`
	Plural bool           `json:"p,omitempty"` // Args["N"] is the count
	// One is the English form for a count of one ("1 new story"), used
	// when the message is rendered without a translator; "": Tmpl.
	One string `json:"o,omitempty"`
}

// A Translator maps a template to its translation, still a template; n is
// the count of a message with plural forms, else -1.
type Translator func(tmpl string, n int) string

var templates sync.Map // string -> *template.Template

// T marks a template for the translation test (which finds msg.T calls
// in the source) and returns it.
func T(tmpl string) string { return tmpl }

// TN marks a template with plural forms (its count is {{.N}}), like T.
func TN(tmpl string) string { return tmpl }

// NewCount makes a message whose form depends on the count n ({{.N}}),
// from a template marked with TN.
func NewCount(tmpl string, n int, kv ...any) Message {
	m := New(tmpl, append([]any{"N", n}, kv...)...)
	m.Plural = true
	return m
}

// NewCountOne is NewCount with the English form for a count of one (the
// form translations give for it), so that the command line says
// "1 new story": one is used when the message is rendered in English.
func NewCountOne(tmpl, one string, n int, kv ...any) Message {
	m := NewCount(tmpl, n, kv...)
	m.One = one
	return m
}

// count is the message's count for a translator, or -1.
func (m Message) count() int {
	if !m.Plural {
		return -1
	}
	switch n := m.Args["N"].(type) {
	case int:
		return n
	case float64: // read back from JSON
		return int(n)
	}
	return -1
}

// New makes a message from a template and name/value pairs.
func New(tmpl string, kv ...any) Message {
	m := Message{Tmpl: tmpl}
	if len(kv) > 0 {
		m.Args = make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			m.Args[kv[i].(string)] = kv[i+1]
		}
	}
	return m
}

// IsZero reports whether there is no message.
func (m Message) IsZero() bool { return m.Tmpl == "" }

// String renders the message in English.
func (m Message) String() string { return m.Render(nil) }

// Render renders the message with translate (nil: English); values that
// are messages themselves are rendered the same way.
func (m Message) Render(translate Translator) string {
	if translate != nil {
		// A translation that does not fit its values (a typo in a name)
		// falls back to the English.
		if tmpl := translate(m.Tmpl, m.count()); tmpl != m.Tmpl {
			if s, ok := m.execute(tmpl, translate); ok {
				return s
			}
		}
	}
	tmpl := m.Tmpl
	if m.One != "" && m.count() == 1 {
		tmpl = m.One
	}
	if s, ok := m.execute(tmpl, translate); ok {
		return s
	}
	return m.Tmpl
}

func (m Message) execute(tmpl string, translate Translator) (string, bool) {
	if !strings.Contains(tmpl, "{{") {
		return tmpl, true
	}
	args := make(map[string]any, len(m.Args))
	for k, v := range m.Args {
		switch x := v.(type) {
		case Message:
			args[k] = x.Render(translate)
		case map[string]any: // a message read back from JSON
			if t, ok := x["t"].(string); ok {
				inner := Message{Tmpl: t}
				inner.Plural, _ = x["p"].(bool)
				inner.One, _ = x["o"].(string)
				if a, ok := x["a"].(map[string]any); ok {
					inner.Args = a
				}
				args[k] = inner.Render(translate)
				continue
			}
			args[k] = v
		default:
			args[k] = v
		}
	}
	t, ok := templates.Load(tmpl)
	if !ok {
		parsed, err := template.New("").Option("missingkey=error").Parse(tmpl)
		if err != nil {
			return "", false
		}
		t, _ = templates.LoadOrStore(tmpl, parsed)
	}
	var b strings.Builder
	if err := t.(*template.Template).Execute(&b, args); err != nil {
		return "", false
	}
	return b.String(), true
}

// Encode stores a message as JSON ("" for none).
func (m Message) Encode() string {
	if m.IsZero() {
		return ""
	}
	b, err := json.Marshal(m)
	if err != nil {
		return ""
	}
	return string(b)
}

// Decode reads a message stored by Encode; plain text is taken as an
// untranslatable message.
func Decode(s string) Message {
	var m Message
	if s == "" {
		return m
	}
	if json.Unmarshal([]byte(s), &m) != nil || m.Tmpl == "" {
		return Literal(s)
	}
	return m
}

// literal is the template of a text that has no translation.
var literal = T("{{.Text}}")

// Literal is a message that is just text, shown as it is in every
// language (braces in it are not a template).
func Literal(text string) Message {
	if text == "" {
		return Message{}
	}
	return New(literal, "Text", text)
}

// Error is an error with a translatable message.
type Error struct {
	Message
	Err error
}

func (e *Error) Error() string { return e.Message.String() }
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an error with the message; err (may be nil) is its cause.
func Errorf(err error, tmpl string, kv ...any) *Error {
	return &Error{Message: New(tmpl, kv...), Err: err}
}

// Of returns the message of err: its own when it carries one, else its
// text (untranslatable).
func Of(err error) Message {
	if err == nil {
		return Message{}
	}
	// Only when the message is the whole error: a wrapped one has more
	// to say than its message.
	var m interface {
		error
		Message() Message
	}
	if errors.As(err, &m) && m.Error() == err.Error() {
		return m.Message()
	}
	var e *Error
	if errors.As(err, &e) && e.Error() == err.Error() {
		return e.Message
	}
	return Literal(err.Error())
}

// Cause is the system's own words for why a file operation failed: the
// error inside an *fs.PathError or *os.LinkError ("permission denied"),
// whose path the message names itself; other errors as they are.
func Cause(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}
