package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A server.toml written before durations were decoded natively: every
// duration is a Go duration string.
const durationsTOML = `[protocol]
rekey_age = "10m"

[limits]
handshake_expiry = "10s"
idle_timeout = "5m"
session_lifetime = "12h"

[pki]
reload_interval = "1m30s"

[license]
play_window = "3h"
`

func TestDurationsAreReadAndWrittenAsGoDurationStrings(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "server.toml")
	if err := os.WriteFile(path, []byte(durationsTOML), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := LoadServer(path)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][2]time.Duration{
		"rekey_age":        {cfg.Protocol.RekeyAge, 10 * time.Minute},
		"handshake_expiry": {cfg.Limits.HandshakeExpiry, 10 * time.Second},
		"idle_timeout":     {cfg.Limits.IdleTimeout, 5 * time.Minute},
		"session_lifetime": {cfg.Limits.SessionLifetime, 12 * time.Hour},
		"reload_interval":  {cfg.PKI.ReloadInterval, 90 * time.Second},
		"play_window":      {cfg.License.PlayWindow, 3 * time.Hour},
	}
	for key, v := range want {
		if v[0] != v[1] {
			t.Errorf("%s = %v, want %v", key, v[0], v[1])
		}
	}

	// Written back, each is a quoted duration string again, and reads the same.
	out := filepath.Join(dir, "rewritten.toml")
	if err := Write(out, cfg); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{`rekey_age = "10m0s"`, `handshake_expiry = "10s"`, `idle_timeout = "5m0s"`, `session_lifetime = "12h0m0s"`, `reload_interval = "1m30s"`, `play_window = "3h0m0s"`} {
		if !strings.Contains(string(b), line) {
			t.Errorf("the rewritten file lacks %s:\n%s", line, b)
		}
	}
	again, err := LoadServer(out)
	if err != nil {
		t.Fatal(err)
	}
	if again.Protocol.RekeyAge != cfg.Protocol.RekeyAge || again.Limits != cfg.Limits || again.PKI.ReloadInterval != cfg.PKI.ReloadInterval ||
		again.License.PlayWindow != cfg.License.PlayWindow {
		t.Errorf("round trip changed the durations: %v %+v", again.Protocol.RekeyAge, again.Limits)
	}
}

func TestAMalformedDurationIsRefusedWithItsKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "server.toml")
	if err := os.WriteFile(path, []byte("[limits]\nidle_timeout = \"soon\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := LoadServer(path)
	if err == nil || !strings.Contains(err.Error(), "soon") {
		t.Fatalf("a malformed duration: %v", err)
	}
}
