package store_test

import (
	"bufio"
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"securemedia/license"
	"securemedia/license/store"
	"securemedia/license/storetest"
)

// The crash child: start and count plays under one license in a loop,
// printing "begin" before and "ok" after each committed count.
const (
	childDBEnv      = "SECUREMEDIA_CRASH_CHILD_DB"
	childDirEnv     = "SECUREMEDIA_CRASH_CHILD_DIR"
	childLicenseEnv = "SECUREMEDIA_CRASH_CHILD_LICENSE"
)

func TestMain(m *testing.M) {
	if db, ok := os.LookupEnv(childDBEnv); ok {
		os.Exit(crashChild(db, os.Getenv(childDirEnv), os.Getenv(childLicenseEnv)))
	}
	os.Exit(m.Run())
}

func crashChild(db, dir, id string) int {
	ctx := context.Background()
	s, err := store.Open(ctx, db, dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	l, err := s.Get(ctx, id)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	for {
		var sid [16]byte
		crand.Read(sid[:])
		session := hex.EncodeToString(sid[:])
		p, _, err := s.StartPlay(ctx, license.NewPlay{UserID: l.UserID, MediaID: l.MediaID, Session: session, Chunks: 12,
			ExpiresAt: time.Now().Add(time.Hour)}, time.Now())
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 3
		}
		fmt.Fprintln(os.Stdout, "begin")
		if _, _, err := s.CountPlay(ctx, p.ID, session, time.Now()); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 3
		}
		fmt.Fprintln(os.Stdout, "ok")
	}
}

func TestOpenSelectsTheStore(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := store.Open(ctx, "", dir)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if st, err := os.Stat(filepath.Join(dir, "licenses.db")); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("default database file: %v, %v; want licenses.db with mode 0600", st, err)
	}
	s, err = store.Open(ctx, "sqlite:other.db", dir)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := os.Stat(filepath.Join(dir, "other.db")); err != nil {
		t.Fatalf("sqlite:other.db not created in the data directory: %v", err)
	}
	var ue *store.UnknownDatabaseError
	if _, err := store.Open(ctx, "mysql://user:secret@host/db", dir); !errors.As(err, &ue) || strings.Contains(err.Error(), "secret") {
		t.Fatalf("unknown scheme: got %v, want *UnknownDatabaseError without the password", err)
	}
}

func TestKillDuringPlaysLosesNoView(t *testing.T) {
	t.Run("on SQLite", func(t *testing.T) {
		dir := t.TempDir()
		killTest(t, "", dir)
	})
	t.Run("on PostgreSQL", func(t *testing.T) {
		killTest(t, storetest.PostgresURL(t), t.TempDir())
	})
}

// killTest kills a child counting plays with SIGKILL at a random moment,
// three times, and checks after each that the counter equals the counts
// the child saw committed (plus at most the one in flight), and that the
// counted plays and the audit log agree, and the log verifies.
func killTest(t *testing.T, db, dir string) {
	ctx := context.Background()
	s, err := store.Open(ctx, db, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.AddUser(ctx, license.User{ID: "PNOBE-1", Name: "Crash Test", Added: time.Now()}); err != nil {
		t.Fatal(err)
	}
	l, err := s.Grant(ctx, "PNOBE-1", "media-1", license.Policy{Views: license.MaxViews}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	committed := 0
	for round := 0; round < 3; round++ {
		ok, inFlight := runAndKill(t, db, dir, l.ID, 3+rand.IntN(30))
		committed += ok
		got, err := s.Get(ctx, l.ID)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case got.ViewsUsed == committed:
		case got.ViewsUsed == committed+1 && inFlight:
			// The count in flight committed before the kill reached the
			// child; it counts once.
			committed++
		default:
			t.Fatalf("round %d: %d views used, child committed %d (in flight: %v)", round, got.ViewsUsed, committed, inFlight)
		}
		if _, _, err := license.VerifyStore(ctx, s); err != nil {
			t.Fatalf("round %d: audit log: %v", round, err)
		}
		plays := 0
		for after := int64(0); ; {
			evs, err := s.Events(ctx, after, 1000)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range evs {
				if e.Kind == license.EventPlayCount {
					plays++
				}
				after = e.Seq
			}
			if len(evs) < 1000 {
				break
			}
		}
		if plays != got.ViewsUsed {
			t.Fatalf("round %d: %d play-count events for %d views used", round, plays, got.ViewsUsed)
		}
		counted, err := s.ListPlays(ctx, license.PlayFilter{State: license.PlayCounted})
		if err != nil || len(counted) != got.ViewsUsed {
			t.Fatalf("round %d: %d counted plays (%v) for %d views used", round, len(counted), err, got.ViewsUsed)
		}
	}
	if committed == 0 {
		t.Fatal("the child never committed a view; the test proved nothing")
	}
}

// runAndKill starts the child, lets it commit at least n counts, kills it
// with SIGKILL and returns how many "ok" lines it wrote and whether a
// count was in flight.
func runAndKill(t *testing.T, db, dir, licenseID string, n int) (int, bool) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childDBEnv+"="+db, childDirEnv+"="+dir, childLicenseEnv+"="+licenseID)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	ok, inFlight, killed := 0, false, false
	for sc.Scan() {
		switch sc.Text() {
		case "begin":
			inFlight = true
		case "ok":
			ok++
			inFlight = false
		}
		if ok >= n && inFlight && !killed {
			// Kill while the next count is in flight.
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			killed = true
		}
	}
	err = cmd.Wait()
	if !killed {
		t.Fatalf("child exited before it was killed: %v", err)
	}
	return ok, inFlight
}

// TestCopyBetweenBackends copies SQLite stores into PostgreSQL ones and
// back (`license migrate`), through the stores that Open returns.
func TestCopyBetweenBackends(t *testing.T) {
	sqliteDB := func(t testing.TB) storetest.DB {
		path := storetest.SQLitePath(t)
		return storetest.NewDB(func(ctx context.Context, version int) (license.Store, error) {
			return openLatest(ctx, version, "sqlite:"+path)
		}, "sqlite", path)
	}
	postgresDB := func(t testing.TB) storetest.DB {
		url := storetest.PostgresURL(t)
		return storetest.NewDB(func(ctx context.Context, version int) (license.Store, error) {
			return openLatest(ctx, version, url)
		}, "pgx", url)
	}
	t.Run("from SQLite to PostgreSQL", func(t *testing.T) { storetest.RunCopy(t, sqliteDB, postgresDB) })
	t.Run("from PostgreSQL to SQLite", func(t *testing.T) { storetest.RunCopy(t, postgresDB, sqliteDB) })
}

// openLatest opens database with store.Open, which migrates to the latest
// schema only.
func openLatest(ctx context.Context, version int, database string) (license.Store, error) {
	if version != 0 {
		return nil, fmt.Errorf("store.Open migrates to the latest schema, not to version %d", version)
	}
	return store.Open(ctx, database, "")
}
