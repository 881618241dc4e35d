package main

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"securemedia/license"
	"securemedia/license/store"
	"securemedia/license/storetest"
)

// auditHead runs `audit verify --json` and returns its verdict.
func auditHead(t *testing.T, cfg string) auditVerdictJSON {
	t.Helper()
	r := runCLI(t, "", nil, nil, "audit", "verify", "--config", cfg, "--json")
	var v auditVerdictJSON
	if err := json.Unmarshal([]byte(r.stdout), &v); err != nil || r.code != 0 || !v.OK {
		t.Fatalf("audit verify: exit %d, %q (%v), %s", r.code, r.stdout, err, r.stderr)
	}
	return v
}

func fileSum(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

// TestALicenseStoreMigratedToPostgreSQLVerifiesAndPlays moves a
// workspace's license store from SQLite to PostgreSQL with the binary,
// as an operator would, and plays on the new store with the real server:
// users, licenses, plays and the audit chain are intact (the same head),
// and a view is consumed on PostgreSQL.
func TestALicenseStoreMigratedToPostgreSQLVerifiesAndPlays(t *testing.T) {
	url := storetest.PostgresURL(t)
	ws := newWorkspace(t)
	cfg := filepath.Join(ws, "server.toml")
	client := filepath.Join(ws, "client.toml")
	file, data := randomFile(t, 600_000)
	id := addMedia(t, ws, file, "--views", "3")

	// On SQLite: a counted (and completed) play, and the audit events of
	// the registration, the license and the play.
	srv := startServer(t, ws)
	if r := runCLI(t, "", nil, nil, "play", "--config", client, "--server", srv.url, "--media", id, "--sink", "-"); r.code != 0 || r.stdout != string(data) {
		t.Fatalf("play on SQLite: exit %d, %d bytes, %s", r.code, len(r.stdout), r.stderr)
	}
	if got := viewsLeft(t, ws, srv.url); got != 2 {
		t.Fatalf("%d views left after a play on SQLite, want 2", got)
	}
	srv.stop(t)
	before := auditHead(t, cfg)
	plays := runCLI(t, "", nil, nil, "license", "plays", "--config", cfg, "--json")
	if plays.code != 0 || strings.Count(plays.stdout, `"state": "completed"`) != 1 {
		t.Fatalf("plays on SQLite: %s %s", plays.stdout, plays.stderr)
	}
	sqliteFile := filepath.Join(ws, "data", "licenses.db")
	sourceSum := fileSum(t, sqliteFile)

	r := runCLI(t, "", nil, nil, "license", "migrate", "--config", cfg, "--to", url, "--json")
	var m migrationJSON
	if err := json.Unmarshal([]byte(r.stdout), &m); err != nil || r.code != 0 {
		t.Fatalf("license migrate: exit %d, %q (%v), %s", r.code, r.stdout, err, r.stderr)
	}
	rows := map[string]int64{}
	for _, tb := range m.Tables {
		rows[tb.Table] = tb.Rows
	}
	if m.Head != before.Head || m.Events != *before.Events || rows["users"] != 1 || rows["licenses"] != 1 || rows["plays"] != 1 ||
		rows["audit_events"] != *before.Events || strings.Contains(m.Target, "postgres@") {
		t.Fatalf("migrated %+v; the source has %d events, head %s", m, *before.Events, before.Head)
	}
	if fileSum(t, sqliteFile) != sourceSum {
		t.Fatal("the migration changed the SQLite source file")
	}

	// Point server.toml at PostgreSQL.
	toml, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	switched := strings.Replace(string(toml), "[license]\n", "[license]\n  database = \""+url+"\"\n", 1)
	if switched == string(toml) {
		t.Fatalf("server.toml has no [license] section:\n%s", toml)
	}
	if err := os.WriteFile(cfg, []byte(switched), 0o600); err != nil {
		t.Fatal(err)
	}
	after := auditHead(t, cfg)
	if after.Database != "" || after.Head != before.Head || *after.Events != *before.Events {
		t.Fatalf("audit verify on PostgreSQL: %+v, want the head of SQLite %+v", after, before)
	}
	if again := runCLI(t, "", nil, nil, "license", "plays", "--config", cfg, "--json"); again.stdout != plays.stdout {
		t.Fatalf("plays on PostgreSQL:\n%s\nwant, as on SQLite:\n%s", again.stdout, plays.stdout)
	}
	check := runCLI(t, "", nil, nil, "check", "--config", cfg)
	if check.code != 0 || !strings.Contains(check.stderr, "skipped license database: PostgreSQL checks its own pages") ||
		!strings.Contains(check.stderr, "ok      audit log: ") {
		t.Fatalf("check on PostgreSQL: exit %d, %s", check.code, check.stderr)
	}

	// A play with the real server on PostgreSQL: the same license, one
	// more view used, there and only there.
	srv = startServer(t, ws)
	if r := runCLI(t, "", nil, nil, "play", "--config", client, "--server", srv.url, "--media", id, "--sink", "-"); r.code != 0 || r.stdout != string(data) {
		t.Fatalf("play on PostgreSQL: exit %d, %d bytes, %s", r.code, len(r.stdout), r.stderr)
	}
	if got := viewsLeft(t, ws, srv.url); got != 1 {
		t.Fatalf("%d views left after a play on PostgreSQL, want 1", got)
	}
	srv.stop(t)
	ctx := context.Background()
	pg, err := store.Open(ctx, url, "")
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	ls, err := pg.List(ctx, license.Filter{MediaID: id})
	if err != nil || len(ls) != 1 || ls[0].ViewsUsed != 2 {
		t.Fatalf("licenses on PostgreSQL: %+v, %v; want one with 2 views used", ls, err)
	}
	if n, _, err := license.VerifyStore(ctx, pg); err != nil || n <= *before.Events {
		t.Fatalf("the audit log on PostgreSQL after the play: %d events, %v", n, err)
	}
	if fileSum(t, sqliteFile) != sourceSum {
		t.Fatal("a play on PostgreSQL changed the SQLite file")
	}

	// The target holds a store now: a second migration into it is refused.
	sqliteTOML := filepath.Join(ws, "sqlite.toml")
	if err := os.WriteFile(sqliteTOML, toml, 0o600); err != nil {
		t.Fatal(err)
	}
	r = runCLI(t, "", nil, nil, "license", "migrate", "--config", sqliteTOML, "--to", url)
	if r.code != exitFailure || !strings.Contains(r.stderr, "the target store is not empty") || !strings.Contains(r.stderr, "hint: migrate into a new, empty database") {
		t.Fatalf("a second migration into PostgreSQL: exit %d, %s", r.code, r.stderr)
	}
}
