package main

import (
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"securemedia/license"
	"securemedia/license/store"
)

// auditedStore makes a server.toml whose license store holds n events,
// written by the store as the server or an operator command would, and
// returns its directory and path.
func auditedStore(t *testing.T, n int) (string, string) {
	t.Helper()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "server.toml")
	if err := os.WriteFile(cfg, []byte("data_dir = \"data\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(context.Background(), "", filepath.Join(dir, "data"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for i := range n {
		if _, err := st.Grant(context.Background(), "u", fmt.Sprintf("m%d", i+1), license.DefaultPolicy, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	return dir, cfg
}

// TestAuditVerifyDetectsTampering removes an event from the SQLite
// database behind the binary's back, which no script can do.
func TestAuditVerifyDetectsTampering(t *testing.T) {
	dir, cfg := auditedStore(t, 3)
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

// TestTheBinarysAuditExportVerifiesWithTheLibrary checks the export's
// format against license.VerifyExport itself, and its head against the
// database's.
func TestTheBinarysAuditExportVerifiesWithTheLibrary(t *testing.T) {
	dir, cfg := auditedStore(t, 2)
	export := runCLI(t, dir, nil, nil, "audit", "export", "--config", cfg)
	n, head, err := license.VerifyExport(strings.NewReader(export.stdout))
	if export.code != 0 || err != nil || n != 2 {
		t.Fatalf("audit export: exit %d, %d events, %v", export.code, n, err)
	}
	r := runCLI(t, dir, nil, nil, "audit", "verify", "--config", cfg, "--json")
	var verdict auditVerdictJSON
	if err := json.Unmarshal([]byte(r.stdout), &verdict); err != nil || !verdict.OK || verdict.Head != hex.EncodeToString(head[:]) {
		t.Fatalf("the export ends at %x, the database at %+v (%v)", head, verdict, err)
	}
}

// TestAuditVerifyDetectsADamagedDatabaseFile damages an index of the
// licenses, as a bad disk would: the audit log's hash chain is intact, so
// only a check of the file itself sees it.
func TestAuditVerifyDetectsADamagedDatabaseFile(t *testing.T) {
	dir, cfg := auditedStore(t, 4)
	if r := runCLI(t, dir, nil, nil, "audit", "verify", "--config", cfg); r.code != 0 || !strings.Contains(r.stderr, "license database ok") {
		t.Fatalf("verify of a sound database: exit %d, %s", r.code, r.stderr)
	}
	export := filepath.Join(dir, "audit.jsonl")
	if r := runCLI(t, dir, nil, nil, "audit", "export", "--config", cfg, "--out", export); r.code != 0 {
		t.Fatalf("audit export: exit %d, %s", r.code, r.stderr)
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
	// An export checked against the database checks the file too; alone,
	// it still verifies.
	r = runCLI(t, dir, nil, nil, "audit", "verify", "--export", export, "--config", cfg, "--json")
	verdict = auditVerdictJSON{}
	if err := json.Unmarshal([]byte(r.stdout), &verdict); err != nil || r.code != exitFailure || verdict.OK || verdict.Database != "damaged" {
		t.Fatalf("verify --export --config of a damaged database: exit %d, %+v (%v), %s", r.code, verdict, err, r.stderr)
	}
	r = runCLI(t, dir, nil, nil, "audit", "verify", "--export", export, "--json")
	verdict = auditVerdictJSON{}
	if err := json.Unmarshal([]byte(r.stdout), &verdict); err != nil || r.code != 0 || !verdict.OK || verdict.Database != "" || *verdict.Events != 4 {
		t.Fatalf("verify --export alone: exit %d, %+v (%v), %s", r.code, verdict, err, r.stderr)
	}
}
