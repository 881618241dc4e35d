package config

import (
	"os"
	"path/filepath"
	"testing"
)

func TestLicenseAndUsersSections(t *testing.T) {
	cases := []struct {
		name      string
		toml      string
		wantViews int
		wantDB    string
	}{
		{"an absent section means five views in SQLite", "", 5, ""},
		{"zero default views means unlimited", "[license]\ndefault_views = 0\n", 0, ""},
		{"a PostgreSQL database and a period are read", "[license]\ndatabase = \"postgres://db/test\"\ndefault_views = 2\ndefault_period = \"48h\"\n", 2, "postgres://db/test"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "server.toml")
			body := c.toml + "[users]\ntrust_anchors = [\"roots/card-root.crt\"]\ncrls = [\"crl/card.crl\"]\n"
			if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
				t.Fatal(err)
			}
			cfg, err := LoadServer(path)
			if err != nil {
				t.Fatal(err)
			}
			if got := cfg.License.Views(); got != c.wantViews {
				t.Errorf("Views() = %d, want %d", got, c.wantViews)
			}
			if cfg.License.Database != c.wantDB {
				t.Errorf("Database = %q, want %q", cfg.License.Database, c.wantDB)
			}
			anchors := cfg.Paths(cfg.Users.TrustAnchors)
			if len(anchors) != 1 || anchors[0] != filepath.Join(filepath.Dir(path), "roots/card-root.crt") {
				t.Errorf("trust anchors %v", anchors)
			}
		})
	}
}

func TestLicenseSectionRejectsUnknownKeys(t *testing.T) {
	path := filepath.Join(t.TempDir(), "server.toml")
	if err := os.WriteFile(path, []byte("[license]\ndefault_view = 3\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadServer(path); err == nil {
		t.Fatal("a misspelled key was accepted")
	}
}
