package deploy

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"securemedia/internal/config"
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
