package main

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"

	"securemedia/internal/config"
	"securemedia/internal/syncbuf"
	"securemedia/internal/testbed"
	"securemedia/license/storetest"
)

// The cluster of DESIGN.md §10 on its real parts: three `securemedia
// server` processes (replicas a, b and c) on one PostgreSQL schema and one
// workspace (the media directory, the CRL files, the cookie key), behind
// HAProxy configured from deploy/haproxy.cfg; viewers are `securemedia
// play` processes logging in with the workspace's demo card, and the test
// is their player (it reads what they write to --sink -).

// haproxyBinary finds HAProxy, or skips the test saying how to install it
// (.ci/run installs it with apt).
func haproxyBinary(t testing.TB) string {
	t.Helper()
	for _, p := range []string{"haproxy", "/usr/sbin/haproxy"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	t.Skip("skipping the cluster test: HAProxy is not installed (apt-get install haproxy)")
	return ""
}

// replica is one replica's name, its addresses and its process.
type replica struct {
	name, listen, admin string
	srv                 *runningServer
}

// cluster is the workspace, the replicas and the balancer.
type cluster struct {
	ws       string
	replicas []*replica
	url      string // the balancer's
	stats    string // HAProxy's stats page, CSV
	haproxy  *exec.Cmd
	log      *syncbuf.Buffer
}

// newCluster makes the workspace (init, then its license database moved to
// a fresh PostgreSQL schema, the demo card's holder registered there, a
// shared cookie key, room for room sessions and open plays of the one
// viewer), starts the three replicas and HAProxy, and waits until HAProxy
// sees them up.
func newCluster(t testing.TB, room int) *cluster {
	t.Helper()
	bin := haproxyBinary(t)
	pg := storetest.PostgresURL(t)
	c := &cluster{ws: newWorkspace(t), log: &syncbuf.Buffer{}}
	path := filepath.Join(c.ws, "server.toml")
	key := make([]byte, 32)
	rand.Read(key)
	if err := os.WriteFile(filepath.Join(c.ws, "cluster-cookie.key"), []byte(base64.StdEncoding.EncodeToString(key)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	roomForOneViewer(t, c.ws, room, func(cfg *config.Server) {
		cfg.License.Database = pg
		cfg.Cluster.CookieKeyFile = "cluster-cookie.key"
	})
	certs, _ := filepath.Glob(filepath.Join(c.ws, "token", "citizen-*-chain.pem"))
	if len(certs) != 1 {
		t.Fatalf("the demo card's chain: %v", certs)
	}
	if r := runCLI(t, "", nil, nil, "user", "add", "--config", path, "--cert", certs[0]); r.code != 0 {
		t.Fatalf("user add on PostgreSQL: %s", r.stderr)
	}
	for _, name := range []string{"a", "b", "c"} {
		r := &replica{name: name, listen: testbed.FreeAddr(t), admin: testbed.FreeAddr(t)}
		c.replicas = append(c.replicas, r)
		c.start(t, r)
	}
	front, stats := testbed.FreeAddr(t), testbed.FreeAddr(t)
	cfgFile := filepath.Join(t.TempDir(), "haproxy.cfg")
	if err := os.WriteFile(cfgFile, []byte(c.haproxyConfig(t, front, stats)), 0o600); err != nil {
		t.Fatal(err)
	}
	c.url, c.stats = "http://"+front, "http://"+stats+"/stats;csv"
	c.haproxy = exec.Command(bin, "-db", "-f", cfgFile)
	c.haproxy.Stdout, c.haproxy.Stderr = c.log, c.log
	if err := c.haproxy.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c.haproxy.Process.Kill()
		c.haproxy.Wait()
	})
	c.waitUp(t, "a", "b", "c")
	return c
}

// haproxyConfig is deploy/haproxy.cfg with the test's addresses, and a
// stats page for the test to see the servers' states.
func (c *cluster) haproxyConfig(t testing.TB, front, stats string) string {
	t.Helper()
	shipped, err := os.ReadFile(filepath.Join("..", "..", "deploy", "haproxy.cfg"))
	if err != nil {
		t.Fatal(err)
	}
	out := strings.Replace(string(shipped), "bind :8443", "bind "+front, 1)
	if out == string(shipped) {
		t.Fatal("deploy/haproxy.cfg has no `bind :8443` to point at the test's address")
	}
	for i, r := range c.replicas {
		line := regexp.MustCompile(fmt.Sprintf(`(server %s) 10\.0\.0\.1%d:8443 check port 9443`, r.name, i+1))
		if n := len(line.FindAllString(out, -1)); n != 2 {
			t.Fatalf("deploy/haproxy.cfg names replica %s %d times, want 2 (its line in replicas, its session backend)", r.name, n)
		}
		_, adminPort, _ := strings.Cut(r.admin, ":")
		out = line.ReplaceAllString(out, "$1 "+r.listen+" check port "+adminPort)
	}
	return out + "\nlisten stats\n    bind " + stats + "\n    stats enable\n    stats uri /stats\n"
}

// start starts replica r on its addresses.
func (c *cluster) start(t testing.TB, r *replica) {
	t.Helper()
	r.srv = startServerWith(t, c.ws, "--replica", r.name, "--listen", r.listen, "--admin-listen", r.admin)
}

// states is HAProxy's view: "backend/server" → status (UP, DOWN, ...).
func (c *cluster) states() map[string]string {
	resp, err := http.Get(c.stats)
	if err != nil {
		return nil
	}
	defer resp.Body.Close()
	rows, err := csv.NewReader(resp.Body).ReadAll()
	if err != nil || len(rows) == 0 {
		return nil
	}
	out := map[string]string{}
	for _, row := range rows[1:] {
		if len(row) > 17 {
			out[row[0]+"/"+row[1]] = strings.Fields(row[17] + " ?")[0]
		}
	}
	return out
}

// waitUp waits until HAProxy routes hellos and sessions to the replicas
// named.
func (c *cluster) waitUp(t testing.TB, names ...string) {
	t.Helper()
	waitFor(t, func() bool {
		st := c.states()
		for _, n := range names {
			if st["replicas/"+n] != "UP" || st["session_"+n+"/"+n] != "UP" {
				return false
			}
		}
		return true
	}, c.log)
}

// metric reads one metric of replica r from its admin listener (0 when
// it is not there).
func (c *cluster) metric(t testing.TB, r *replica, name string) int {
	t.Helper()
	resp, err := http.Get(r.srv.admin + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(name) + ` (\d+)`).FindSubmatch(b)
	if m == nil {
		return 0 // a counter not yet counted is not exported
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

// live are the replicas still running.
func (c *cluster) live() []*replica {
	var out []*replica
	for _, r := range c.replicas {
		if r.srv.cmd.ProcessState == nil {
			out = append(out, r)
		}
	}
	return out
}

// serving is the replica holding a live session, the one a play runs on
// when one play runs.
func (c *cluster) serving(t testing.TB) *replica {
	t.Helper()
	var found *replica
	for _, r := range c.live() {
		if c.metric(t, r, "securemedia_sessions") > 0 {
			if found != nil {
				t.Fatalf("replicas %s and %s both hold sessions", found.name, r.name)
			}
			found = r
		}
	}
	if found == nil {
		t.Fatal("no replica holds the play's session")
	}
	return found
}

// license is the demo viewer's license of media id, from the store.
func (c *cluster) license(t testing.TB, id string) (licenseID string, used int) {
	t.Helper()
	r := runCLI(t, "", nil, nil, "license", "list", "--config", filepath.Join(c.ws, "server.toml"), "--media", id, "--json")
	var ls []struct {
		ID        string `json:"id"`
		ViewsUsed int    `json:"views_used"`
	}
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &ls) != nil || len(ls) != 1 {
		t.Fatalf("license list: %d %s %s", r.code, r.stdout, r.stderr)
	}
	return ls[0].ID, ls[0].ViewsUsed
}

// viewer is a `securemedia play --sink -` through the balancer, whose
// player is the test.
type viewer struct {
	t      testing.TB
	cmd    *exec.Cmd
	out    io.Reader
	stderr syncbuf.Buffer
	sink   bytes.Buffer
}

func (c *cluster) play(t testing.TB, id string, args ...string) *viewer {
	t.Helper()
	v := &viewer{t: t, cmd: securemediaCommand(append([]string{"play", "--config", filepath.Join(c.ws, "client.toml"),
		"--server", c.url, "--media", id, "--sink", "-"}, args...)...)}
	v.out = startChild(t, v.cmd, &v.stderr)
	return v
}

// read takes n bytes of the stream, then stops reading: the play's fetch
// answer stays in flight on its replica.
func (v *viewer) read(n int) {
	v.t.Helper()
	if _, err := io.CopyN(&v.sink, v.out, int64(n)); err != nil {
		v.t.Fatalf("the first %d bytes: %v; stderr %s", n, err, v.stderr.String())
	}
}

// finish reads the rest and returns the exit code.
func (v *viewer) finish() int {
	io.Copy(&v.sink, v.out)
	err := v.cmd.Wait()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	if err != nil {
		v.t.Error(err)
		return -1
	}
	return 0
}

// exact fails the test unless the play exited 0 with exactly data.
func (v *viewer) exact(code int, data []byte, what string) {
	v.t.Helper()
	got, want := sha256.Sum256(v.sink.Bytes()), sha256.Sum256(data)
	if code != 0 || got != want {
		v.t.Fatalf("%s: exit %d, %d of %d bytes (exact %v); stderr:\n%s", what, code, v.sink.Len(), len(data), got == want, v.stderr.String())
	}
}

func TestAClusterOfThreeReplicasBehindHAProxyOnOnePostgreSQL(t *testing.T) {
	// The viewers here are one person on one device: the per-user and
	// per-device caps (8 sessions per replica) would close the oldest of
	// the 12 parallel plays, which this test is not about.
	c := newCluster(t, 64)
	// Three fetches of 64 chunks of 256 KiB: a play stopped by its player
	// after 4 MiB is in the middle of its first fetch answer.
	file, data := randomFile(t, 48<<20)
	id := addMedia(t, c.ws, file, "--views", "100")

	t.Run("plays through the balancer are byte-exact and spread over the replicas", func(t *testing.T) {
		before := map[string]int{}
		for _, r := range c.replicas {
			before[r.name] = c.metric(t, r, `securemedia_handshakes_total{outcome="established"}`)
		}
		var vs []*viewer
		for range 3 {
			vs = append(vs, c.play(t, id))
		}
		for i, v := range vs {
			v.exact(v.finish(), data, fmt.Sprintf("play %d", i))
		}
		served := 0
		for _, r := range c.replicas {
			if c.metric(t, r, `securemedia_handshakes_total{outcome="established"}`) > before[r.name] {
				served++
			}
		}
		if served < 2 {
			t.Fatalf("3 plays went to %d replica(s); the balancer spreads hellos", served)
		}
	})

	t.Run("12 parallel plays of a 5-view license spread over the replicas count exactly 5", func(t *testing.T) {
		small, smallData := randomFile(t, 1<<20)
		five := addMedia(t, c.ws, small, "--views", "5")
		var wg sync.WaitGroup
		codes := make([]int, 12)
		vs := make([]*viewer, 12)
		for i := range vs {
			vs[i] = c.play(t, five, "--renew", "no")
		}
		for i, v := range vs {
			wg.Add(1)
			go func() { defer wg.Done(); codes[i] = v.finish() }()
		}
		wg.Wait()
		played, refused := 0, 0
		for i, v := range vs {
			switch codes[i] {
			case 0:
				v.exact(0, smallData, fmt.Sprintf("play %d", i))
				played++
			case 4:
				refused++
			default:
				t.Errorf("play %d: exit %d\n%s", i, codes[i], v.stderr.String())
			}
		}
		if _, used := c.license(t, five); played != 5 || refused != 7 || used != 5 {
			t.Fatalf("%d played, %d refused, %d views counted; want 5, 7 and 5", played, refused, used)
		}
	})

	t.Run("a revoke on one node stops a play on another replica at its next fetch", func(t *testing.T) {
		victim, victimData := randomFile(t, 48<<20)
		vid := addMedia(t, c.ws, victim, "--views", "3")
		v := c.play(t, vid)
		v.read(4 << 20)
		lic, _ := c.license(t, vid)
		if r := runCLI(t, "", nil, nil, "license", "revoke", "--config", filepath.Join(c.ws, "server.toml"), lic, "--reason", "chargeback"); r.code != 0 {
			t.Fatalf("license revoke: %s", r.stderr)
		}
		code := v.finish()
		// The fetch in flight, authorized before the revoke, ends; the
		// next one is refused.
		if code != 1 || v.sink.Len() != 64*256<<10 || !bytes.Equal(v.sink.Bytes(), victimData[:v.sink.Len()]) || !strings.Contains(v.stderr.String(), "revoked") {
			t.Fatalf("after the revoke: exit %d, %d bytes; stderr:\n%s", code, v.sink.Len(), v.stderr.String())
		}
	})

	t.Run("kill -9 of the replica serving a play: it completes byte-exact through another for one view", func(t *testing.T) {
		_, usedBefore := c.license(t, id)
		v := c.play(t, id)
		v.read(4 << 20)
		r := c.serving(t)
		r.srv.cmd.Process.Kill()
		r.srv.cmd.Wait()
		v.exact(v.finish(), data, "the play whose replica was killed")
		if !strings.Contains(v.stderr.String(), "the play resumed once") {
			t.Fatalf("the play's summary does not say it resumed:\n%s", v.stderr.String())
		}
		if _, used := c.license(t, id); used != usedBefore+1 {
			t.Fatalf("%d views used by the play, want 1", used-usedBefore)
		}
	})

	t.Run("SIGTERM of a replica: its plays move to the other and none fails", func(t *testing.T) {
		_, usedBefore := c.license(t, id)
		var vs []*viewer
		for range 4 {
			v := c.play(t, id)
			v.read(4 << 20)
			vs = append(vs, v)
		}
		// The replica holding the most of them drains.
		var r *replica
		most := 0
		for _, x := range c.live() {
			if n := c.metric(t, x, "securemedia_sessions"); n > most {
				r, most = x, n
			}
		}
		if r == nil {
			t.Fatal("no replica holds the plays")
		}
		r.srv.cmd.Process.Signal(syscall.SIGTERM)
		codes := make([]int, len(vs))
		var wg sync.WaitGroup
		for i, v := range vs {
			wg.Add(1)
			go func() { defer wg.Done(); codes[i] = v.finish() }()
		}
		wg.Wait()
		for i, v := range vs {
			v.exact(codes[i], data, fmt.Sprintf("play %d", i))
		}
		if err := r.srv.cmd.Wait(); err != nil {
			t.Fatalf("the drained replica exited with %v; log:\n%s", err, r.srv.log.String())
		}
		log := r.srv.log.String()
		if moved := strings.Count(log, "session told to go elsewhere"); moved != most || !strings.Contains(log, "drained: no play left") {
			t.Fatalf("replica %s held %d plays and sent %d elsewhere; log:\n%s", r.name, most, moved, log)
		}
		if _, used := c.license(t, id); used != usedBefore+len(vs) {
			t.Fatalf("%d views used by %d plays", used-usedBefore, len(vs))
		}
	})
}
