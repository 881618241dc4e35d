package main

import (
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"
)

func TestAuditVerifyDetectsTampering(t *testing.T) {
	cfg := licenseWorkspace(t)
	for _, media := range []string{"m1", "m2", "m3"} {
		if _, err := licenseCLI(t, "license", "grant", "--config", cfg, "--user", "u", "--media", media); err != nil {
			t.Fatal(err)
		}
	}
	if out, err := licenseCLI(t, "audit", "verify", "--config", cfg); err != nil || !strings.Contains(out, "3 events") {
		t.Fatalf("verify of an intact log printed %q, %v", out, err)
	}
	db, err := sql.Open("sqlite", filepath.Join(filepath.Dir(cfg), "data", "licenses.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`DELETE FROM audit_events WHERE seq = 2`); err != nil {
		t.Fatal(err)
	}
	_, err = licenseCLI(t, "audit", "verify", "--config", cfg)
	var h *hintError
	if !errors.As(err, &h) || !strings.Contains(err.Error(), "event 2") {
		t.Fatalf("verify after deleting event 2: got %v, want a failure naming event 2", err)
	}
}
