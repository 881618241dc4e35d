package deploy_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"securemedia/internal/deploy"
	"securemedia/internal/testbed"
)

func TestClusterSectionNamesTheReplicaAndSharesTheCookieKey(t *testing.T) {
	bed := testbed.New(t, testbed.Options{})
	dir := t.TempDir()
	cfg := *bed.Config
	cfg.Cluster.Replica = "b"
	cfg.Cluster.CookieKeyFile = writeFile(t, dir, "cookie.key", []byte(strings.Repeat("s", 40)+"\n"))
	a, err := deploy.NewServer(&cfg, bed.Store, deploy.ServerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	cfg.Cluster.Replica = "c"
	b, err := deploy.NewServer(&cfg, bed.Store, deploy.ServerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if a.Config.Replica != "b" || b.Config.Replica != "c" {
		t.Fatalf("replicas %q and %q", a.Config.Replica, b.Config.Replica)
	}
	if len(a.Config.CookieKey) < 32 || !bytes.Equal(a.Config.CookieKey, b.Config.CookieKey) || bytes.Contains(a.Config.CookieKey, []byte("ssss")) {
		t.Fatal("replicas reading one cookie key file must derive the same key, not use the file as it is")
	}
	conn := dialOK(t, clientWithoutCRLs(t, bed, serveSetup(t, a)).Config)
	conn.Close(context.Background())

	for name, edit := range map[string]func(){
		"[cluster] replica":         func() { cfg.Cluster.Replica = "B.1" },
		"[cluster] cookie_key_file": func() { cfg.Cluster.CookieKeyFile = writeFile(t, dir, "short.key", []byte("too short")) },
	} {
		t.Run("a bad "+name+" refuses to start", func(t *testing.T) {
			saved := cfg.Cluster
			defer func() { cfg.Cluster = saved }()
			edit()
			st, err := deploy.NewServer(&cfg, bed.Store, deploy.ServerOptions{})
			var de *deploy.Error
			if err == nil {
				st.Close()
			}
			if !errors.As(err, &de) || !strings.Contains(de.Hint(), name) {
				t.Fatalf("got %v, want a configuration error naming %s", err, name)
			}
		})
	}
}
