package main

import (
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"
)

// TestAuditVerifyDetectsTampering removes an event from the SQLite
// database behind the binary's back, which no script can do.
func TestAuditVerifyDetectsTampering(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "server.toml")
	if err := os.WriteFile(cfg, []byte("data_dir = \"data\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, media := range []string{"m1", "m2", "m3"} {
		if r := runCLI(t, dir, nil, nil, "license", "grant", "--config", cfg, "--user", "u", "--media", media); r.code != 0 {
			t.Fatalf("grant: %s", r.stderr)
		}
	}
	if r := runCLI(t, dir, nil, nil, "audit", "verify", "--config", cfg); r.code != 0 || !strings.Contains(r.stderr, "audit log ok: 3 events") {
		t.Fatalf("verify of an intact log: exit %d, %s", r.code, r.stderr)
	}
	db, err := sql.Open("sqlite", filepath.Join(dir, "data", "licenses.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`DELETE FROM audit_events WHERE seq = 2`); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, dir, nil, nil, "audit", "verify", "--config", cfg, "--json")
	var verdict auditVerdictJSON
	if err := json.Unmarshal([]byte(r.stdout), &verdict); err != nil {
		t.Fatalf("--json printed %q: %v", r.stdout, err)
	}
	if r.code != exitFailure || verdict.OK || verdict.BrokenAt != 2 || !strings.Contains(r.stderr, "event 2") || !strings.Contains(r.stderr, "hint: ") {
		t.Fatalf("verify after deleting event 2: exit %d, %+v, %s", r.code, verdict, r.stderr)
	}
}

// TestAuditVerifyDetectsADamagedDatabaseFile damages an index of the
// licenses, as a bad disk would: the audit log's hash chain is intact, so
// only a check of the file itself sees it.
func TestAuditVerifyDetectsADamagedDatabaseFile(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "server.toml")
	if err := os.WriteFile(cfg, []byte("data_dir = \"data\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, media := range []string{"m1", "m2", "m3", "m4"} {
		if r := runCLI(t, dir, nil, nil, "license", "grant", "--config", cfg, "--user", "u", "--media", media); r.code != 0 {
			t.Fatalf("grant: %s", r.stderr)
		}
	}
	if r := runCLI(t, dir, nil, nil, "audit", "verify", "--config", cfg); r.code != 0 || !strings.Contains(r.stderr, "license database ok") {
		t.Fatalf("verify of a sound database: exit %d, %s", r.code, r.stderr)
	}
	path := filepath.Join(dir, "data", "licenses.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	var page, pageSize int64
	err = db.QueryRow(`SELECT rootpage FROM sqlite_master WHERE type = 'index' AND tbl_name = 'licenses' LIMIT 1`).Scan(&page)
	if err == nil {
		err = db.QueryRow(`PRAGMA page_size`).Scan(&pageSize)
	}
	if err == nil {
		_, err = db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
	}
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	// The cell pointers of the index's root page, past its header.
	if _, err := f.WriteAt([]byte(strings.Repeat("\xab", 64)), (page-1)*pageSize+8); err != nil {
		t.Fatal(err)
	}
	f.Close()

	r := runCLI(t, dir, nil, nil, "audit", "verify", "--config", cfg, "--json")
	var verdict auditVerdictJSON
	if err := json.Unmarshal([]byte(r.stdout), &verdict); err != nil {
		t.Fatalf("--json printed %q: %v (stderr %s)", r.stdout, err, r.stderr)
	}
	if r.code != exitFailure || verdict.OK || verdict.Database != "damaged" ||
		!strings.Contains(r.stderr, "securemedia: the license database "+path+" is damaged: ") ||
		!strings.Contains(r.stderr, "hint: stop the server, restore "+path+" from a backup") {
		t.Fatalf("verify of a damaged database: exit %d, %+v, %s", r.code, verdict, r.stderr)
	}
}
