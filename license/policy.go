package license

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Limits on what a policy may say; they keep counters and times far from
// integer overflow whatever an operator types.
const (
	// MaxViews is the largest view count a policy may grant.
	MaxViews = 1_000_000
	// MaxPeriod is the longest rental period a policy may grant.
	MaxPeriod = 100 * 365 * 24 * time.Hour
)

// Policy is what a license grants: a number of views, a rental period, or
// both. Views 0 means unlimited views; Period 0 means no time limit. A policy
// with both zero is an unlimited license.
type Policy struct {
	// Views is the number of plays granted (0 = unlimited).
	Views int
	// Period is how long the license lasts from issue or renewal (0 = forever).
	Period time.Duration
}

// DefaultPolicy is the server-wide default: 5 views, no time limit, as the
// original system had.
var DefaultPolicy = Policy{Views: 5}

// ErrInvalidPolicy is returned by ParsePolicy and Validate for a policy out of
// range.
var ErrInvalidPolicy = errors.New("license: invalid policy")

// ParsePolicy builds a policy from a view count and a period such as "30s",
// "90m", "48h" or "7d" (days are accepted on top of Go durations). An empty
// period means no time limit.
func ParsePolicy(views int, period string) (Policy, error) {
	p := Policy{Views: views}
	if period != "" {
		d, err := ParsePeriod(period)
		if err != nil {
			return Policy{}, err
		}
		p.Period = d
	}
	if err := p.Validate(); err != nil {
		return Policy{}, err
	}
	return p, nil
}

// ParsePeriod parses a rental period: a Go duration ("30s", "15m", "2h30m")
// or a whole number of days ("7d").
func ParsePeriod(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n < 0 || n > int(MaxPeriod/(24*time.Hour)) {
			return 0, fmt.Errorf("%w: period %q: want a whole number of days", ErrInvalidPolicy, s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%w: period %q: %v", ErrInvalidPolicy, s, err)
	}
	return d, nil
}

// Validate checks that the policy is within range.
func (p Policy) Validate() error {
	if p.Views < 0 || p.Views > MaxViews {
		return fmt.Errorf("%w: views %d outside 0..%d", ErrInvalidPolicy, p.Views, MaxViews)
	}
	if p.Period < 0 || p.Period > MaxPeriod {
		return fmt.Errorf("%w: period %s outside 0..%s", ErrInvalidPolicy, p.Period, MaxPeriod)
	}
	if p.Period != 0 && p.Period < time.Second {
		return fmt.Errorf("%w: period %s shorter than one second", ErrInvalidPolicy, p.Period)
	}
	return nil
}

// String describes the policy for people: "5 views", "48h0m0s", "3 views
// within 1h0m0s" or "unlimited".
func (p Policy) String() string {
	switch {
	case p.Views == 0 && p.Period == 0:
		return "unlimited"
	case p.Period == 0:
		return plural(p.Views, "view")
	case p.Views == 0:
		return p.Period.String()
	}
	return plural(p.Views, "view") + " within " + p.Period.String()
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// policyJSON is a policy as a media item stores it (media add --views N
// --period D): {"views":5,"period":"72h0m0s"}. A missing field is zero:
// views 0 is unlimited, no period is no time limit.
type policyJSON struct {
	Views  int    `json:"views"`
	Period string `json:"period,omitempty"`
}

// MarshalJSON encodes a valid policy as media items store it.
func (p Policy) MarshalJSON() ([]byte, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	j := policyJSON{Views: p.Views}
	if p.Period != 0 {
		j.Period = p.Period.String()
	}
	return json.Marshal(j)
}

// UnmarshalJSON decodes what MarshalJSON encodes, strictly: an unknown
// field or a policy out of range is an ErrInvalidPolicy.
func (p *Policy) UnmarshalJSON(b []byte) error {
	var j policyJSON
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidPolicy, err)
	}
	v, err := ParsePolicy(j.Views, j.Period)
	if err != nil {
		return err
	}
	*p = v
	return nil
}

// PolicyFromJSON decodes the policy stored with a media item; an absent
// policy (empty, or JSON null) is def, the server-wide default.
func PolicyFromJSON(raw []byte, def Policy) (Policy, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return def, nil
	}
	var p Policy
	if err := json.Unmarshal(raw, &p); err != nil {
		return Policy{}, err
	}
	return p, nil
}
