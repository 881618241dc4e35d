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
