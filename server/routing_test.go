package server_test

import (
	"bytes"
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"securemedia/internal/testbed"
	"securemedia/server"
)

func TestAReplicasSessionURLsCarryItsNameAndAnotherPrefixIsUnknown(t *testing.T) {
	bed := testbed.New(t, testbed.Options{ChunkSize: testChunk, Server: func(c *server.Config) { c.Replica = "eu-1" }})
	data := randomMedia(t, 2*testChunk)
	id := bed.AddMedia(t, "Routed", data)
	proxy := testbed.NewProxy(t, bed.URL, testbed.Tamper{})
	cfg := bed.ClientConfig(t)
	cfg.Server = proxy.URL
	got, _, err := play(t, bed, cfg, id)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("a play on a named replica: %v", err)
	}
	routed := regexp.MustCompile(`^/v1/session/eu-1\.[0-9a-f]{32}(/finish)?$`)
	var session string
	for _, ex := range proxy.Log() {
		if strings.HasPrefix(ex.Path, "/v1/session/") {
			if !routed.MatchString(ex.Path) {
				t.Fatalf("session path %s does not carry the replica name", ex.Path)
			}
			session = strings.TrimSuffix(ex.Path, "/finish")
		}
	}
	if session == "" {
		t.Fatal("no session request went through the proxy")
	}

	conn := bed.Dial(t, bed.ClientConfig(t))
	defer conn.Close(context.Background())
	hex := strings.TrimPrefix(session, "/v1/session/eu-1.")
	for _, path := range []string{
		"/v1/session/" + hex,             // no replica prefix
		"/v1/session/eu-2." + hex,        // another replica's
		"/v1/session/eu-1." + hex + "xx", // a malformed id
		"/v1/session/eu-1.." + hex,
	} {
		resp, err := http.Post(bed.URL+path, "application/octet-stream", strings.NewReader("x"))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s answered %d, want 404 as an unknown session", path, resp.StatusCode)
		}
	}
	if _, err := conn.Catalog(context.Background()); err != nil {
		t.Fatal(err)
	}

	// A server without a name serves only bare ids.
	plain := testbed.New(t, testbed.Options{})
	resp, err := http.Post(plain.URL+"/v1/session/eu-1."+hex, "application/octet-stream", strings.NewReader("x"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("a prefixed id at an unnamed server answered %d", resp.StatusCode)
	}
}

func TestAReplicaNameMustBeRoutable(t *testing.T) {
	bed := testbed.New(t, testbed.Options{})
	for _, name := range []string{"A", "a.b", "a/b", "a b", strings.Repeat("x", 33)} {
		cfg := bed.Deploy.Config
		cfg.Replica = name
		if _, err := server.New(cfg); err == nil {
			t.Errorf("replica name %q accepted", name)
		}
	}
}
