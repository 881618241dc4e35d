package deploy_test

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"securemedia/internal/config"
	"securemedia/internal/deploy"
	"securemedia/license"
	"securemedia/media"
)

// checkWorkspace makes a workspace as init does, with one media item, and
// loads its server.toml.
func checkWorkspace(t *testing.T) (*config.Server, deploy.StoreOptions) {
	t.Helper()
	tiny := &media.Argon2Params{Time: 1, Memory: 64, Threads: 1}
	ws, err := deploy.InitWorkspace(context.Background(), deploy.InitOptions{Dir: t.TempDir(), SoftwareToken: true, Argon2: tiny}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.LoadServer(ws.ServerConfig)
	if err != nil {
		t.Fatal(err)
	}
	o := deploy.StoreOptions{WithSigner: true, Argon2: tiny}
	s, err := deploy.OpenMediaStore(cfg, o)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Add(strings.NewReader(strings.Repeat("a song ", 5000)), media.AddOptions{Title: "song"}); err != nil {
		t.Fatal(err)
	}
	return cfg, deploy.StoreOptions{Argon2: tiny}
}

// statuses maps each check's name to its status.
func statuses(results []deploy.CheckResult) map[string]deploy.CheckStatus {
	out := map[string]deploy.CheckStatus{}
	for _, r := range results {
		out[r.Name] = r.Status
	}
	return out
}

func TestCheckReportsEveryPartOfASoundWorkspace(t *testing.T) {
	cfg, o := checkWorkspace(t)
	results := deploy.Check(context.Background(), cfg, deploy.CheckOptions{Media: o})
	want := []string{"license database", "audit log", "media store", "crl root", "crl intermediate"}
	got := statuses(results)
	for _, name := range want {
		if got[name] != deploy.CheckOK {
			t.Errorf("%s: %v, want ok", name, got[name])
		}
	}
	users := 0
	for _, r := range results {
		if strings.HasPrefix(r.Name, "users crl ") {
			users++
		}
		if r.Status != deploy.CheckOK || r.Err != nil {
			t.Errorf("%s: %v %q %v", r.Name, r.Status, r.Summary, r.Err)
		}
	}
	if users != 2 || len(results) != len(want)+users {
		t.Fatalf("checks %v, want %v and the two users' CRLs", got, want)
	}
	if r := results[2]; r.Summary != "1 items verified" {
		t.Fatalf("media store: %q", r.Summary)
	}
	if r := results[1]; r.Events < 1 || r.Head == ([32]byte{}) {
		t.Fatalf("audit log: %+v", r)
	}
}

func TestCheckWarnsOfCRLsGoingStaleAndFailsStaleOnes(t *testing.T) {
	cfg, o := checkWorkspace(t)
	// init issues CRLs for 7 days; the warning window is 3 days.
	for _, tc := range []struct {
		after time.Duration
		want  deploy.CheckStatus
	}{
		{5 * 24 * time.Hour, deploy.CheckWarn},
		{8 * 24 * time.Hour, deploy.CheckFail},
	} {
		at := time.Now().Add(tc.after)
		crls := 0
		for _, r := range deploy.Check(context.Background(), cfg, deploy.CheckOptions{Media: o, Now: func() time.Time { return at }}) {
			if !strings.Contains(r.Name, "crl ") {
				continue
			}
			crls++
			if r.Status != tc.want || !strings.Contains(r.Hint, "securemedia pki crl --dir ") || (r.Err != nil) != (tc.want == deploy.CheckFail) {
				t.Errorf("%v on: %s: %v %q (hint %q, %v)", tc.after, r.Name, r.Status, r.Summary, r.Hint, r.Err)
			}
		}
		if crls != 4 {
			t.Fatalf("%d CRL checks, want 4", crls)
		}
	}
}

func TestCheckNamesADamagedItemABrokenChainAndStaleTemporaries(t *testing.T) {
	cfg, o := checkWorkspace(t)
	ctx := context.Background()
	s, err := deploy.OpenMediaStore(cfg, o)
	if err != nil {
		t.Fatal(err)
	}
	items, err := s.List()
	if err != nil || len(items) != 1 {
		t.Fatal(items, err)
	}
	id := items[0].ID.String()
	content := filepath.Join(cfg.Path(cfg.DataDir), "media", id, "content")
	f, err := os.OpenFile(content, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteAt([]byte("damage"), 4000)
	f.Close()
	// A temporary file an atomic write left an hour ago.
	tmp := filepath.Join(cfg.Path(cfg.DataDir), "media", ".kek-check.tmp42")
	os.WriteFile(tmp, []byte("x"), 0o600)
	old := time.Now().Add(-time.Hour)
	os.Chtimes(tmp, old, old)
	// An audit event edited behind the store's back.
	db, err := sql.Open("sqlite", filepath.Join(cfg.Path(cfg.DataDir), "licenses.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE audit_events SET detail = 'nothing happened' WHERE seq = 1`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	results := deploy.Check(ctx, cfg, deploy.CheckOptions{Media: o})
	byName := map[string]deploy.CheckResult{}
	for _, r := range results {
		byName[r.Name] = r
	}
	m := byName["media store"]
	if m.Status != deploy.CheckFail || len(m.Problems) != 2 || !strings.Contains(m.Problems[0], id) ||
		!strings.Contains(m.Problems[1], tmp) || !strings.Contains(m.Hint, "media rm") {
		t.Errorf("media store: %v %q %q (hint %q)", m.Status, m.Summary, m.Problems, m.Hint)
	}
	a := byName["audit log"]
	var ae *license.AuditError
	if a.Status != deploy.CheckFail || !errors.As(a.Err, &ae) || ae.Seq != 1 {
		t.Errorf("audit log: %v %q %v", a.Status, a.Summary, a.Err)
	}
	if d := byName["license database"]; d.Status != deploy.CheckOK {
		t.Errorf("license database: %v %q", d.Status, d.Summary)
	}
	if _, err := os.Stat(tmp); err != nil {
		t.Errorf("check removed the stale temporary file: %v", err)
	}
}

func TestAMigrationOfABrokenChainIsRefusedBeforeTheTargetIsTouched(t *testing.T) {
	cfg, _ := checkWorkspace(t)
	db, err := sql.Open("sqlite", filepath.Join(cfg.Path(cfg.DataDir), "licenses.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`DELETE FROM audit_events WHERE seq = 1`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	target := filepath.Join(t.TempDir(), "copy.db")
	_, err = deploy.MigrateLicenseStore(context.Background(), cfg, "sqlite:"+target)
	var ae *license.AuditError
	if !errors.As(err, &ae) {
		t.Fatalf("migrate of a broken chain: got %v, want an *AuditError", err)
	}
	if _, err := os.Stat(target); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the refused migration created its target: %v", err)
	}
}

func TestABackupOfPostgreSQLIsRefusedAndSaysWhy(t *testing.T) {
	cfg, _ := checkWorkspace(t)
	cfg.License.Database = "postgres://nobody@127.0.0.1:1/none"
	out := filepath.Join(t.TempDir(), "backup.db")
	if _, err := deploy.BackupLicenseDatabase(context.Background(), cfg, out); !errors.Is(err, deploy.ErrNotSQLite) {
		t.Fatalf("backup of PostgreSQL: got %v, want ErrNotSQLite", err)
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a refused backup wrote %s: %v", out, err)
	}
}
