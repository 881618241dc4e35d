package deploy_test

import (
	"bytes"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"securemedia/internal/config"
	"securemedia/internal/deploy"
	"securemedia/internal/fsutil"
)

func TestTheMasterPassphraseMayNotSitBesideTheData(t *testing.T) {
	dir := t.TempDir()
	beside := filepath.Join(dir, "master-passphrase")
	os.WriteFile(beside, []byte("pass\n"), 0o600)
	// Another file system, where the machine has one at hand.
	var elsewhere string
	if shm, err := os.MkdirTemp("/dev/shm", "securemedia-test-"); err == nil {
		t.Cleanup(func() { os.RemoveAll(shm) })
		p := filepath.Join(shm, "master-passphrase")
		os.WriteFile(p, []byte("pass\n"), 0o600)
		if same, err := fsutil.SameFilesystem(p, dir); err == nil && !same {
			elsewhere = p
		}
	}
	cases := []struct {
		name       string
		media      config.MediaSection
		flag, env  string
		refused    bool
		warned     bool
		needsOther bool
	}{
		{name: "a passphrase file in the workspace is refused", media: config.MediaSection{MasterPassphraseFile: "master-passphrase"}, refused: true},
		{name: "given with --passphrase-file too", flag: beside, refused: true},
		{name: "a demo may keep it there, with a warning", media: config.MediaSection{MasterPassphraseFile: "master-passphrase", DemoPassphraseBesideData: true}, warned: true},
		{name: "a passphrase from the environment has no file to check", media: config.MediaSection{MasterPassphraseFile: "master-passphrase"}, env: "pass"},
		{name: "a file on another file system is accepted", needsOther: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.needsOther {
				if elsewhere == "" {
					t.Skip("no second file system (/dev/shm) to put the passphrase on")
				}
				c.media.MasterPassphraseFile = elsewhere
			}
			t.Setenv(deploy.MasterPassphraseEnv, c.env)
			cfg := config.Server{DataDir: "data", Media: c.media}.InDir(dir)
			var log bytes.Buffer
			err := deploy.CheckPassphrasePlacement(cfg, c.flag, slog.New(slog.NewTextHandler(&log, nil)))
			if got := errors.Is(err, deploy.ErrPassphraseBesideData); got != c.refused {
				t.Fatalf("CheckPassphrasePlacement = %v, refused %v", err, c.refused)
			}
			if got := strings.Contains(log.String(), "level=WARN"); got != c.warned {
				t.Fatalf("warned %v, want %v: %s", got, c.warned, log.String())
			}
		})
	}
}
