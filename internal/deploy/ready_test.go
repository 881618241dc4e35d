package deploy_test

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"securemedia/internal/testbed"
	"securemedia/server"
)

// laterClock is the time now plus what the test advanced it by.
type laterClock struct {
	mu    sync.Mutex
	ahead time.Duration
}

func (c *laterClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.ahead)
}

func (c *laterClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ahead += d
}

// readyz GETs the bed's /readyz and returns its status and body.
func readyz(t *testing.T, bed *testbed.Bed) (int, map[string]server.CheckResult) {
	t.Helper()
	resp, err := http.Get(bed.AdminURL + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var rd server.Readiness
	if err := json.NewDecoder(resp.Body).Decode(&rd); err != nil {
		t.Fatal(err)
	}
	checks := map[string]server.CheckResult{}
	for _, c := range rd.Checks {
		checks[c.Name] = c
	}
	if rd.Ready != (resp.StatusCode == http.StatusOK) {
		t.Fatalf("ready %v with status %d", rd.Ready, resp.StatusCode)
	}
	return resp.StatusCode, checks
}

func TestReadinessFailsForAStaleCRLAnUnreachableLicenseStoreOrAnUnreadableMediaStore(t *testing.T) {
	newBed := func(t *testing.T, clock *laterClock) *testbed.Bed {
		o := testbed.UsersOptions{}
		if clock != nil {
			o.Now = clock.Now
		}
		return testbed.New(t, testbed.Options{Users: &o})
	}
	t.Run("a sound server is ready and says so for each check", func(t *testing.T) {
		bed := newBed(t, nil)
		status, checks := readyz(t, bed)
		for _, name := range []string{"draining", "license_store", "media_store", "crls"} {
			if c, ok := checks[name]; !ok || !c.OK {
				t.Errorf("check %s: %+v", name, c)
			}
		}
		if status != http.StatusOK {
			t.Fatalf("status %d", status)
		}
		if resp, err := http.Get(bed.AdminURL + "/healthz"); err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("healthz: %v %v", resp, err)
		}
	})
	t.Run("a CRL about to go stale is noted, a stale one fails", func(t *testing.T) {
		clock := &laterClock{}
		bed := newBed(t, clock)
		clock.Advance(2 * time.Hour) // the users' CRLs are valid a day, the warning is 3 days
		status, checks := readyz(t, bed)
		if status != http.StatusOK || !strings.Contains(checks["crls"].Note, "goes stale soon") {
			t.Fatalf("%d %+v, want ready with a note", status, checks["crls"])
		}
		clock.Advance(24 * time.Hour)
		status, checks = readyz(t, bed)
		if status != http.StatusServiceUnavailable || checks["crls"].OK || !strings.Contains(checks["crls"].Error, "users: ") {
			t.Fatalf("%d %+v, want not ready, naming the users' CRL", status, checks["crls"])
		}
	})
	t.Run("an unreachable license store fails", func(t *testing.T) {
		bed := newBed(t, nil)
		bed.Users.Store.Close()
		if status, checks := readyz(t, bed); status != http.StatusServiceUnavailable || checks["license_store"].OK || !checks["media_store"].OK {
			t.Fatalf("%d %+v", status, checks)
		}
	})
	t.Run("an unreadable media store fails", func(t *testing.T) {
		bed := newBed(t, nil)
		data := bed.Config.Path(bed.Config.DataDir)
		if err := os.Rename(data, filepath.Join(bed.Dir, "gone")); err != nil {
			t.Fatal(err)
		}
		if status, checks := readyz(t, bed); status != http.StatusServiceUnavailable || checks["media_store"].OK || !checks["license_store"].OK {
			t.Fatalf("%d %+v", status, checks)
		}
	})
}
