package player

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"unicode"
)

// Output keeps the end of what a player writes (its standard output and
// error), so that the caller decides when it is worth showing: after a
// failure, rather than over a progress display or before the demo knows
// whether the player can run at all. It keeps at most a fixed number of
// bytes, the last ones. It is safe for concurrent use.
type Output struct {
	mu  sync.Mutex
	max int
	b   []byte
}

// What a kept output holds, and how much of it Show shows: the end of a
// failure's story, not a player's whole chatter.
const (
	keptOutput = 16 << 10
	shownLines = 10
)

// NewOutput keeps the last max bytes written.
func NewOutput(max int) *Output { return &Output{max: max} }

// KeepOutput is an Output of the size a play keeps.
func KeepOutput() *Output { return NewOutput(keptOutput) }

// Show writes the last lines kept to w, each after "name: ": what a
// player said before it failed. A nil Output shows nothing.
func (o *Output) Show(w io.Writer, name string) {
	if o == nil {
		return
	}
	for _, l := range o.Lines(shownLines) {
		fmt.Fprintf(w, "%s: %s\n", name, l)
	}
}

// Write keeps the end of p and never fails, so that a talkative player is
// never blocked or broken by its output.
func (o *Output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(p) >= o.max {
		o.b = append(o.b[:0], p[len(p)-o.max:]...)
		return len(p), nil
	}
	if over := len(o.b) + len(p) - o.max; over > 0 {
		o.b = append(o.b[:0], o.b[over:]...)
	}
	o.b = append(o.b, p...)
	return len(p), nil
}

// Lines returns the last n non-blank lines kept, made printable (control
// characters, such as the escape sequences of a status line, become '?';
// a carriage return ends a line as a newline does).
func (o *Output) Lines(n int) []string {
	o.mu.Lock()
	s := string(o.b)
	o.mu.Unlock()
	var out []string
	for _, l := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' }) {
		l = strings.TrimSpace(strings.Map(func(r rune) rune {
			if unicode.IsControl(r) || r == unicode.ReplacementChar {
				return '?'
			}
			return r
		}, l))
		if l != "" {
			out = append(out, l)
		}
	}
	if len(out) > n {
		out = out[len(out)-n:]
	}
	return out
}

// Last is the last non-blank line kept ("" when there is none): a player's
// reason for quitting is usually there.
func (o *Output) Last() string {
	if l := o.Lines(1); len(l) == 1 {
		return l[0]
	}
	return ""
}
