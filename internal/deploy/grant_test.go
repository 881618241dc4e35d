package deploy_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"securemedia/internal/config"
	"securemedia/internal/deploy"
	"securemedia/license"
)

func TestAGrantNamesARegisteredUserAndAStoredItemByIDOrUnambiguousPrefix(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	cfg := (&config.Server{DataDir: "data"}).InDir(dir)
	s, err := deploy.OpenLicenseStore(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, id := range []string{"PT-1", "PT-12", "BI-7"} {
		if err := s.AddUser(ctx, license.User{ID: id, Added: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	// Items of the media store, as `media add` leaves them: a directory
	// named by the id (what else is in it needs the master key).
	items := []string{"3f2a9c00000000000000000000000001", "3f2a9c00000000000000000000000002", "a1b2c3d4000000000000000000000003"}
	for _, id := range append(items, "not-an-item") {
		if err := os.MkdirAll(filepath.Join(dir, "data", "media", id), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		name, user, media   string
		wantUser, wantMedia string
		wantWhat            string
		wantCandidates      []string
	}{
		{"whole ids", "PT-12", items[0], "PT-12", items[0], "", nil},
		{"a whole id that begins another is that id", "PT-1", items[2], "PT-1", items[2], "", nil},
		{"unambiguous prefixes", "BI", "A1B2", "BI-7", items[2], "", nil},
		{"an unknown user", "PT-9", items[0], "", "", "user", nil},
		{"an ambiguous user", "PT", items[0], "", "", "user", []string{"PT-1", "PT-12"}},
		{"an empty user", "", items[0], "", "", "user", nil},
		{"an unknown media", "PT-1", "00000000000000000000000000000000", "", "", "media", nil},
		{"an ambiguous media", "PT-1", "3f2a9c", "", "", "media", items[:2]},
		{"a directory that is no item", "PT-1", "not-an-item", "", "", "media", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			u, m, err := deploy.ResolveGrant(ctx, cfg, s, c.user, c.media)
			var ne *deploy.NameError
			switch {
			case c.wantWhat == "":
				if err != nil || u != c.wantUser || m != c.wantMedia {
					t.Fatalf("ResolveGrant = %q, %q, %v; want %q, %q", u, m, err, c.wantUser, c.wantMedia)
				}
			case !errors.As(err, &ne) || ne.What != c.wantWhat || !slices.Equal(ne.Candidates, c.wantCandidates):
				t.Fatalf("ResolveGrant = %q, %q, %v; want a *NameError for the %s with candidates %v", u, m, err, c.wantWhat, c.wantCandidates)
			}
		})
	}
	// A store that no item was ever added to has none.
	empty := (&config.Server{DataDir: "nothing-yet"}).InDir(dir)
	if _, _, err := deploy.ResolveGrant(ctx, empty, s, "PT-1", items[0]); !errors.As(err, new(*deploy.NameError)) {
		t.Fatalf("a grant with no media store: %v", err)
	}
}
