package deploy

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"securemedia/internal/config"
	"securemedia/license"
	"securemedia/server"
)

// WebConfig is the relying party of the browser viewers that [web]
// configures (DESIGN.md §11). It checks what a browser would refuse later,
// so that a mistake shows when the server starts: an rp_id that is a host
// name, and origins of scheme://host[:port] whose host is rp_id or under
// it.
func WebConfig(c *config.Server) (*server.WebConfig, error) {
	w := c.Web
	keys := []string{"[web] rp_id", "[web] origins"}
	rp := strings.ToLower(w.RPID)
	if rp == "" || strings.ContainsAny(rp, ":/ ") || strings.Trim(rp, ".") != rp {
		return nil, configError(c.File(), fmt.Errorf("web: rp_id %q is not a host name (for example \"localhost\")", w.RPID), keys...)
	}
	if len(w.Origins) == 0 {
		return nil, configError(c.File(), errors.New("web: no origins: name the page's origin, for example \"http://localhost:8443\""), keys...)
	}
	for _, o := range w.Origins {
		u, err := url.Parse(o)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
			return nil, configError(c.File(), fmt.Errorf("web: origin %q is not scheme://host[:port]", o), keys...)
		}
		if h := strings.ToLower(u.Hostname()); h != rp && !strings.HasSuffix(h, "."+rp) {
			return nil, configError(c.File(), fmt.Errorf("web: origin %q is not on rp_id %q or under it", o, w.RPID), keys...)
		}
	}
	return &server.WebConfig{RPID: rp, Origins: w.Origins, RequireUserVerification: w.RequireUserVerification}, nil
}

// InviteURL is where `user invite` sends a viewer: the first [web] origin,
// with the code in the fragment, which a browser never sends to a server
// (so the code reaches no log).
func InviteURL(c *config.Server, code string) string {
	if len(c.Web.Origins) == 0 {
		return ""
	}
	return strings.TrimRight(c.Web.Origins[0], "/") + "/#invite=" + url.QueryEscape(code)
}

// ErrNoWeb means server.toml has no [web] section: browsers cannot log in,
// so an invite would serve nobody.
var ErrNoWeb = errors.New("server.toml configures no browser viewers ([web] rp_id and origins)")

// Bounds of an invite's validity.
const (
	MinInviteValidity = time.Minute
	MaxInviteValidity = 30 * 24 * time.Hour
)

// ErrInviteValidity refuses an invite that would last too little or too
// long.
var ErrInviteValidity = fmt.Errorf("an invite lasts from %v to %v", MinInviteValidity, MaxInviteValidity)

// Invitation is a new invite as the operator hands it to a viewer: the
// code, shown once and stored only as its hash, and the page's URL with
// it in the fragment.
type Invitation struct {
	Code, URL, Name string
	Expires         time.Time
}

// Invite creates a one-time invite of a browser viewer (DESIGN.md §11)
// named name, valid for d from now, in the license store s of c.
func Invite(ctx context.Context, c *config.Server, s license.Store, name string, d time.Duration, now time.Time) (Invitation, error) {
	if _, err := WebConfig(c); err != nil {
		if !c.Web.Enabled() {
			return Invitation{}, ErrNoWeb
		}
		return Invitation{}, err
	}
	if d < MinInviteValidity || d > MaxInviteValidity {
		return Invitation{}, fmt.Errorf("%w, not %v", ErrInviteValidity, d)
	}
	code, hash, err := license.NewInviteCode()
	if err != nil {
		return Invitation{}, err
	}
	inv := license.Invite{CodeHash: hash, Name: name, CreatedAt: now, ExpiresAt: now.Add(d)}
	if err := s.CreateInvite(ctx, inv); err != nil {
		return Invitation{}, err
	}
	return Invitation{Code: code, URL: InviteURL(c, code), Name: name, Expires: inv.ExpiresAt}, nil
}
