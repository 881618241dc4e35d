package deploy_test

import (
	"errors"
	"strings"
	"testing"

	"securemedia/internal/config"
	"securemedia/internal/deploy"
	"securemedia/internal/testbed"
)

func TestWebSectionLetsBrowserViewersInOrRefusesToStart(t *testing.T) {
	bed := testbed.New(t, testbed.Options{})
	cfg := *bed.Config
	cfg.Web = config.WebSection{RPID: "Example.org", Origins: []string{"https://media.example.org", "https://example.org:8443"}, RequireUserVerification: true}
	s, err := deploy.NewServer(&cfg, bed.Store, deploy.ServerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	w := s.Config.Web
	if w == nil || w.RPID != "example.org" || len(w.Origins) != 2 || !w.RequireUserVerification || s.Config.LicenseStore == nil {
		t.Fatalf("[web] assembled as %+v (store %v)", w, s.Config.LicenseStore)
	}
	if got := deploy.InviteURL(&cfg, "abc"); got != "https://media.example.org/#invite=abc" {
		t.Fatalf("invite URL %q", got)
	}
	for name, web := range map[string]config.WebSection{
		"origins without an rp_id":        {Origins: []string{"http://localhost:8443"}},
		"an rp_id with a port":            {RPID: "localhost:8443", Origins: []string{"http://localhost:8443"}},
		"an rp_id without origins":        {RPID: "localhost"},
		"an origin with a path":           {RPID: "localhost", Origins: []string{"http://localhost:8443/player"}},
		"an origin of another scheme":     {RPID: "localhost", Origins: []string{"ftp://localhost"}},
		"an origin of another host":       {RPID: "example.org", Origins: []string{"https://example.org.evil.net"}},
		"an origin that is only a suffix": {RPID: "example.org", Origins: []string{"https://badexample.org"}},
	} {
		t.Run(name+" refuses to start", func(t *testing.T) {
			c := *bed.Config
			c.Web = web
			st, err := deploy.NewServer(&c, bed.Store, deploy.ServerOptions{})
			if err == nil {
				st.Close()
			}
			var de *deploy.Error
			if !errors.As(err, &de) || !strings.Contains(de.Hint(), "[web] rp_id") {
				t.Fatalf("got %v, want a configuration error naming [web]", err)
			}
		})
	}
}
