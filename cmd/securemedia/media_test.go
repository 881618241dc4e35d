package main

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"securemedia/internal/deploy"
	"strings"
	"testing"
)

// mediaCLI runs the real binary in a workspace with a CA, a content-signing
// identity, a master passphrase file and a server.toml.
type mediaCLI struct {
	t        *testing.T
	bin, dir string
}

func newMediaCLI(t *testing.T) *mediaCLI {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	c := &mediaCLI{t: t, bin: testBinary, dir: t.TempDir()}
	c.mustRun(nil, "pki", "init", "--dir", "ca")
	c.mustRun(nil, "pki", "issue", "--dir", "ca", "--profile", "content", "--cn", "content signer", "--out", "content")
	c.write("master.pass", "first master passphrase\n")
	c.write("server.toml", `data_dir = "data"
[media]
master_passphrase_file = "master.pass"
content_certificate = "content.crt"
content_key = "content.key"
`)
	return c
}

func (c *mediaCLI) write(name, content string) {
	c.t.Helper()
	if err := os.WriteFile(filepath.Join(c.dir, name), []byte(content), 0o600); err != nil {
		c.t.Fatal(err)
	}
}

// run executes the binary with stdin and returns exit code, stdout, stderr.
func (c *mediaCLI) run(stdin []byte, args ...string) (int, string, string) {
	c.t.Helper()
	cmd := exec.Command(c.bin, args...)
	cmd.Dir = c.dir
	cmd.Env = append(os.Environ(), deploy.MasterPassphraseEnv+"=", deploy.NewMasterPassphraseEnv+"=", caPassphraseEnv+"=")
	cmd.Stdin = bytes.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		c.t.Fatal(err)
	}
	if strings.Contains(stderr.String(), "goroutine ") {
		c.t.Fatalf("%v panicked:\n%s", args, stderr.String())
	}
	return code, stdout.String(), stderr.String()
}

func (c *mediaCLI) mustRun(stdin []byte, args ...string) string {
	c.t.Helper()
	code, out, errOut := c.run(stdin, args...)
	if code != 0 {
		c.t.Fatalf("%v: exit %d\n%s", args, code, errOut)
	}
	return out
}

var mediaIDLine = regexp.MustCompile(`^[0-9a-f]{32}$`)

func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

func TestMediaCLI(t *testing.T) {
	c := newMediaCLI(t)
	song := make([]byte, 300<<10)
	rand.Read(song)
	c.write("song.wav", string(song))

	id := lastLine(c.mustRun(nil, "media", "add", "--config", "server.toml", "--title", "Song", "song.wav"))
	if !mediaIDLine.MatchString(id) {
		t.Fatalf("last line %q is not a media id", id)
	}
	piped := lastLine(c.mustRun([]byte("from stdin"), "media", "add", "--config", "server.toml", "--chunk-size", "16384", "-"))
	if !mediaIDLine.MatchString(piped) {
		t.Fatalf("last line %q is not a media id", piped)
	}

	t.Run("list --json shows both items", func(t *testing.T) {
		var items []mediaJSON
		if err := json.Unmarshal([]byte(c.mustRun(nil, "media", "list", "--config", "server.toml", "--json")), &items); err != nil {
			t.Fatal(err)
		}
		if len(items) != 2 || items[0].ID != id || items[0].Title != "Song" || items[0].Size != int64(len(song)) ||
			items[0].ContentType != "audio/x-wav" && items[0].ContentType != "audio/wav" || items[1].ChunkSize != 16384 {
			t.Fatalf("items = %+v", items)
		}
	})
	t.Run("verify passes on an untouched store", func(t *testing.T) {
		c.mustRun(nil, "media", "verify", "--config", "server.toml")
	})
	t.Run("a wrong passphrase is refused at once with a hint", func(t *testing.T) {
		c.write("wrong.pass", "not it")
		code, _, errOut := c.run(nil, "media", "list", "--config", "server.toml", "--passphrase-file", "wrong.pass")
		if code == 0 || !strings.Contains(errOut, "wrong master passphrase") || !strings.Contains(errOut, "hint:") {
			t.Fatalf("exit %d: %s", code, errOut)
		}
	})
	t.Run("rekey keeps everything playable and retires the old passphrase", func(t *testing.T) {
		c.write("old.pass", "first master passphrase")
		c.write("new.pass", "second master passphrase")
		_, out, errOut := c.run(nil, "media", "rekey", "--config", "server.toml", "--new-passphrase-file", "new.pass")
		if strings.Contains(out+errOut, "second master") || strings.Contains(out+errOut, "first master") {
			t.Fatal("a passphrase was printed")
		}
		if b, _ := os.ReadFile(filepath.Join(c.dir, "master.pass")); string(b) != "second master passphrase\n" {
			t.Fatalf("master_passphrase_file holds %q, want the new passphrase", b)
		}
		c.mustRun(nil, "media", "verify", "--config", "server.toml")
		if code, _, _ := c.run(nil, "media", "list", "--config", "server.toml", "--passphrase-file", "old.pass"); code == 0 {
			t.Fatal("the old passphrase still opens the store")
		}
		c.mustRun(nil, "media", "list", "--config", "server.toml", "--passphrase-file", "new.pass")
	})
	t.Run("verify reports a flipped byte at its chunk", func(t *testing.T) {
		path := filepath.Join(c.dir, "data", "media", id, "content")
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		b[len(b)/2] ^= 1
		os.WriteFile(path, b, 0o600)
		code, out, _ := c.run(nil, "media", "verify", "--config", "server.toml")
		if code == 0 || !strings.Contains(out, "FAIL "+id) || !strings.Contains(out, "chunk 0") || !strings.Contains(out, "ok   "+piped) {
			t.Fatalf("exit %d: %s", code, out)
		}
	})
	t.Run("rm removes an item and refuses a malformed id", func(t *testing.T) {
		if code, _, _ := c.run(nil, "media", "rm", "--config", "server.toml", "../data"); code == 0 {
			t.Fatal("rm accepted a path")
		}
		c.mustRun(nil, "media", "rm", "--config", "server.toml", id)
		out := c.mustRun(nil, "media", "list", "--config", "server.toml")
		if strings.Contains(out, id) || !strings.Contains(out, piped) {
			t.Fatalf("list after rm:\n%s", out)
		}
	})
	t.Run("list shows the sound items and names a damaged one on stderr with a non-zero exit", func(t *testing.T) {
		broken := lastLine(c.mustRun([]byte("soon damaged"), "media", "add", "--config", "server.toml", "--title", "Broken", "-"))
		path := filepath.Join(c.dir, "data", "media", broken, "info")
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		b[len(b)/2] ^= 1
		os.WriteFile(path, b, 0o600)
		code, out, errOut := c.run(nil, "media", "list", "--config", "server.toml")
		if code == 0 || !strings.Contains(out, piped) || strings.Contains(out, broken) ||
			!strings.Contains(errOut, "DAMAGED media "+broken) || !strings.Contains(errOut, "hint:") {
			t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
		}
		code, out, _ = c.run(nil, "media", "list", "--config", "server.toml", "--json")
		var items []mediaJSON
		if err := json.Unmarshal([]byte(out), &items); code == 0 || err != nil || len(items) != 1 || items[0].ID != piped {
			t.Fatalf("exit %d, %v: %s", code, err, out)
		}
		code, out, _ = c.run(nil, "media", "verify", "--config", "server.toml")
		if code == 0 || !strings.Contains(out, "FAIL "+broken) || !strings.Contains(out, "ok   "+piped) {
			t.Fatalf("verify: exit %d: %s", code, out)
		}
		c.mustRun(nil, "media", "rm", "--config", "server.toml", broken)
		c.mustRun(nil, "media", "list", "--config", "server.toml")
	})
	t.Run("add without a content-signing key fails with a hint", func(t *testing.T) {
		c.write("bare.toml", "data_dir = \"data\"\n[media]\nmaster_passphrase_file = \"master.pass\"\n")
		code, _, errOut := c.run(nil, "media", "add", "--config", "bare.toml", "song.wav")
		if code == 0 || !strings.Contains(errOut, "content_key") {
			t.Fatalf("exit %d: %s", code, errOut)
		}
	})
}
