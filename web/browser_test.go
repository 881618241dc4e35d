package web_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"securemedia/internal/config"
	"securemedia/internal/testbed"
)

// The browser player end to end: the real binary (built here) serves the
// page behind a TCP tap, and test/e2e/browser.e2e.ts drives headless
// Chromium through a viewer's journey with Playwright. These tests skip,
// saying so, only where Chromium, Node.js or web/node_modules is missing.

// chromiumPath is Debian's Chromium, or $SECUREMEDIA_CHROMIUM.
func chromiumPath(t testing.TB) string {
	p := os.Getenv("SECUREMEDIA_CHROMIUM")
	if p == "" {
		p = "/usr/bin/chromium"
	}
	if _, err := os.Stat(p); err != nil {
		t.Skipf("%s is missing: the browser tests need Chromium (apt-get install chromium)", p)
	}
	return p
}

// nodeWithPlaywright is node, when web/node_modules holds playwright-core.
func nodeWithPlaywright(t testing.TB) string {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed: the browser tests need Node.js 20 (apt-get install nodejs npm)")
	}
	for _, m := range []string{"playwright-core", "tsx"} {
		if _, err := os.Stat(filepath.Join("node_modules", m)); err != nil {
			t.Skipf("web/node_modules/%s is missing: run `npm ci` in web/ to run the browser tests", m)
		}
	}
	return node
}

// artifactsDir is where the browser tests keep what a person looks at (the
// screenshot of the playing page): $SECUREMEDIA_ARTIFACTS, or
// os.TempDir()/securemedia-artifacts.
func artifactsDir() string {
	if d := os.Getenv("SECUREMEDIA_ARTIFACTS"); d != "" {
		return d
	}
	return filepath.Join(os.TempDir(), "securemedia-artifacts")
}

// buildBinary builds cmd/securemedia into dir.
func buildBinary(t testing.TB, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "securemedia")
	cmd := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-o", bin, "securemedia/cmd/securemedia")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// synthWAV is seconds of 16-bit stereo PCM at 44.1 kHz: a chord whose
// notes change every half second, with a little noise, so that no two
// windows of it repeat.
func synthWAV(seconds float64, base float64) []byte {
	return pcmWAV(seconds, base, 44100, 2, 16)
}

// lowRateWAV is seconds of the same chord as 8-bit mono PCM at 3 kHz,
// the lowest rate of a WebAudio buffer: the fewest bytes per second of
// audio a WAV can have, so that a play gets well ahead of its playhead
// on little data (16 KiB chunks of 5.46 s).
func lowRateWAV(seconds float64, base float64) []byte {
	return pcmWAV(seconds, base, 3000, 1, 8)
}

// pcmWAV is seconds of integer PCM (8 or 16 bits) at rate with channels:
// the chord of synthWAV, its notes going up every half second and back
// down every 25 s.
func pcmWAV(seconds float64, base float64, rate, channels, bits int) []byte {
	size := bits / 8
	n := int(seconds * float64(rate))
	data := make([]byte, 44+n*channels*size)
	copy(data, "RIFF")
	binary.LittleEndian.PutUint32(data[4:], uint32(len(data)-8))
	copy(data[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(data[16:], 16)
	binary.LittleEndian.PutUint16(data[20:], 1)
	binary.LittleEndian.PutUint16(data[22:], uint16(channels))
	binary.LittleEndian.PutUint32(data[24:], uint32(rate))
	binary.LittleEndian.PutUint32(data[28:], uint32(rate*channels*size))
	binary.LittleEndian.PutUint16(data[32:], uint16(channels*size))
	binary.LittleEndian.PutUint16(data[34:], uint16(bits))
	copy(data[36:], "data")
	binary.LittleEndian.PutUint32(data[40:], uint32(n*channels*size))
	noise := uint32(base)
	for i := range n {
		step := float64(i/(rate/2)%50) * 7
		t := float64(i) / float64(rate)
		noise = noise*1664525 + 1013904223
		v := 0.3*math.Sin(2*math.Pi*(base+step)*t) + 0.2*math.Sin(2*math.Pi*(base*1.25+step)*t) + float64(int32(noise))/(1<<31)*0.01
		for c := range channels {
			off := 44 + (i*channels+c)*size
			if size == 1 {
				data[off] = byte(int(v*127) + 128)
			} else {
				binary.LittleEndian.PutUint16(data[off:], uint16(int16(v*32767)))
			}
		}
	}
	return data
}

// e2eItem and e2eConfig are what browser.e2e.ts reads.
type e2eItem struct {
	ID      string  `json:"id"`
	Title   string  `json:"title"`
	Seconds float64 `json:"seconds"`
	Chunks  int     `json:"chunks"`
	// ContentType is what the catalog says: given to media add, or
	// what it guessed.
	ContentType string `json:"contentType"`
	plain       []byte
	// media is what of plain must never cross the wire in clear: a
	// WAV's samples, a WebM file whole.
	media []byte
}

type e2eConfig struct {
	Chromium string `json:"chromium"`
	Origin   string `json:"origin"`
	Invite   string `json:"invite"`
	// DefaultAutoplayInvite is a second viewer's, for a browser that
	// may refuse to start a play on its own.
	DefaultAutoplayInvite string    `json:"defaultAutoplayInvite"`
	Binary                string    `json:"binary"`
	ServerConfig          string    `json:"serverConfig"`
	Artifacts             string    `json:"artifacts"`
	Short                 e2eItem   `json:"short"`
	Long                  e2eItem   `json:"long"`
	Tamper                e2eItem   `json:"tamper"`
	MSE                   []e2eItem `json:"mse"`
	Undecodable           []e2eItem `json:"undecodable"`
	// Left is a long WebM whose play the viewer leaves while its fetch
	// is still streaming.
	Left e2eItem `json:"left"`
	// LeftWAV is a WAV long enough for its play to get MAX_LEAD (30 s)
	// ahead of the playhead within one fetch, left while a write waits
	// for room.
	LeftWAV e2eItem   `json:"leftWav"`
	Bench   *e2eBench `json:"bench,omitempty"`
}

type e2eBench struct {
	Item e2eItem `json:"item"`
	Out  string  `json:"out"`
}

// browserBed is a workspace made by the real binary (init), its server
// running behind a TCP tap, with the page's origin on the tap.
type browserBed struct {
	bin, dir, serverConfig, origin string
	tap                            *testbed.Wiretap
}

// run runs the binary with args and returns its standard output.
func (b *browserBed) run(t testing.TB, args ...string) string {
	t.Helper()
	cmd := exec.Command(b.bin, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("securemedia %s: %v\n%s", strings.Join(args, " "), err, errb.String())
	}
	return out.String()
}

// newBrowserBed inits a workspace with chunkSize-byte chunks, starts its
// server on a free port behind a tap and serves the page at
// http://localhost:TAP.
func newBrowserBed(t testing.TB, chunkSize int) *browserBed {
	t.Helper()
	b := &browserBed{dir: t.TempDir()}
	b.bin = buildBinary(t, b.dir)
	ws := filepath.Join(b.dir, "ws")
	b.run(t, "init", "--dir", ws)
	b.serverConfig = filepath.Join(ws, "server.toml")
	listen := testbed.FreeAddr(t)
	b.tap = testbed.NewWiretap(t, listen)
	_, port, _ := net.SplitHostPort(b.tap.Addr)
	b.origin = "http://localhost:" + port
	c, err := config.LoadServer(b.serverConfig)
	if err != nil {
		t.Fatal(err)
	}
	c.Listen, c.Web.Origins, c.Media.ChunkSize = listen, []string{b.origin}, chunkSize
	if err := config.Write(b.serverConfig, c); err != nil {
		t.Fatal(err)
	}
	return b
}

// add adds a synthesized WAV of seconds under title with views per rental.
func (b *browserBed) add(t testing.TB, title string, seconds, base float64, views int) e2eItem {
	t.Helper()
	return b.addWAV(t, title, synthWAV(seconds, base), seconds, views)
}

// addWAV adds wav, a WAV of seconds, under title with views per rental.
func (b *browserBed) addWAV(t testing.TB, title string, wav []byte, seconds float64, views int) e2eItem {
	t.Helper()
	it := b.addFile(t, title, ".wav", "", wav, seconds, views)
	it.media = wav[44:]
	return it
}

// addFile adds data, a file of seconds named for title with the
// extension ext, as an operator does: `media add`, with contentType, or
// the type it guesses when that is "".
func (b *browserBed) addFile(t testing.TB, title, ext, contentType string, data []byte, seconds float64, views int) e2eItem {
	t.Helper()
	path := filepath.Join(b.dir, strings.ReplaceAll(title, " ", "-")+ext)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"media", "add", "--config", b.serverConfig, "--title", title, "--views", fmt.Sprint(views)}
	if contentType != "" {
		args = append(args, "--content-type", contentType)
	}
	out := strings.Fields(b.run(t, append(args, path)...))
	if len(out) == 0 {
		t.Fatal("media add printed no id")
	}
	it := e2eItem{ID: out[len(out)-1], Title: title, Seconds: seconds, plain: data, media: data}
	// The store's own account of the item: its chunks and content type.
	var listed []struct {
		ID          string `json:"id"`
		ContentType string `json:"content_type"`
		Chunks      int    `json:"chunks"`
	}
	if err := json.Unmarshal([]byte(b.run(t, "media", "list", "--config", b.serverConfig, "--json")), &listed); err != nil {
		t.Fatalf("media list: %v", err)
	}
	for _, m := range listed {
		if m.ID == it.ID {
			it.ContentType, it.Chunks = m.ContentType, m.Chunks
			return it
		}
	}
	t.Fatalf("media list does not name %s", it.ID)
	return it
}

// start starts the server and waits for the page.
func (b *browserBed) start(t testing.TB) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, b.bin, "server", "--config", b.serverConfig)
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		cmd.Wait()
		if t.Failed() {
			t.Logf("server log:\n%s", log.String())
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for {
		res, err := http.Get(b.origin + "/config.json")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server did not serve the page: %v\n%s", err, log.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// invite makes a viewer's one-time link.
func (b *browserBed) invite(t testing.TB) string {
	t.Helper()
	var inv struct{ URL string }
	if err := json.Unmarshal([]byte(b.run(t, "user", "invite", "--config", b.serverConfig, "--name", "Browser Viewer", "--json")), &inv); err != nil || inv.URL == "" {
		t.Fatalf("user invite: %v", err)
	}
	return inv.URL
}

// runE2E runs the test of browser.e2e.ts named by pattern with cfg.
func runE2E(t testing.TB, node string, cfg e2eConfig, pattern string) {
	t.Helper()
	runNodeTest(t, node, filepath.Join("test", "e2e", "browser.e2e.ts"), "SECUREMEDIA_E2E_CONFIG", cfg, "--test-name-pattern", pattern)
}

// toneOpusSeconds is the playing time of testdata/tone-opus.webm (see
// tone-opus.webm.txt; its last Opus frame ends 8 ms later).
const toneOpusSeconds = 4

// toneAACSeconds is the playing time of testdata/tone-aac.mp4: 188.5 AAC
// frames of 1024 samples at 48 kHz, rounded up to whole frames (see
// tone-aac.mp4.txt).
const toneAACSeconds = 193024.0 / 48000

// TestBrowserPlayerInChromium is the viewer's journey in headless
// Chromium against the real server (browser.e2e.ts), WAV through WebAudio,
// WebM/Opus and fragmented MP4/AAC through Media Source Extensions, then the wire check
// of DESIGN.md §2.1 on everything the tap saw: no 16-byte window of any
// item's bytes, no media id (hex or raw) and no title in clear.
func TestBrowserPlayerInChromium(t *testing.T) {
	chromium := chromiumPath(t)
	node := nodeWithPlaywright(t)
	b := newBrowserBed(t, 16<<10)
	short := b.add(t, "Browser Track Alpha", 3, 220, 1)
	long := b.add(t, "Browser Track Beta", 12, 330, 5)
	tamper := b.add(t, "Browser Track Gamma", 2, 440, 5)
	webm, err := os.ReadFile(filepath.Join("testdata", "tone-opus.webm"))
	if err != nil {
		t.Fatal(err)
	}
	// The content types are given: what `media add` guesses for a .webm
	// file depends on the machine's MIME tables. Both are what operators
	// get for an audio-only WebM: audio/webm from Go's table, video/webm
	// from Debian's /etc/mime.types and from the bytes (a file on stdin).
	// The same holds of an audio-only MP4: video/mp4 from the MIME tables,
	// audio/mp4 where an operator says so.
	mp4, err := os.ReadFile(filepath.Join("testdata", "tone-aac.mp4"))
	if err != nil {
		t.Fatal(err)
	}
	mse := []e2eItem{
		b.addFile(t, "Browser Tone WebM", ".webm", "audio/webm", webm, toneOpusSeconds, 5),
		b.addFile(t, "Browser Tone WebM as Video", ".webm", "video/webm", webm, toneOpusSeconds, 5),
		b.addFile(t, "Browser Tone MP4", ".mp4", "audio/mp4", mp4, toneAACSeconds, 5),
		b.addFile(t, "Browser Tone MP4 as Video", ".mp4", "video/mp4", mp4, toneAACSeconds, 5),
	}
	// Containers intact and chunks signed as given, but one Opus packet
	// undecodable: the decoder fails mid-play, 2 s into the 4 s file once
	// the page has every chunk, 3 s into the 60 s one while the page
	// holds a chunk until the playhead comes within 30 s of its end.
	webm60, err := os.ReadFile(filepath.Join("testdata", "tone-opus-60s.webm"))
	if err != nil {
		t.Fatal(err)
	}
	undecodable := []e2eItem{
		b.addFile(t, "Browser Tone Undecodable After Its Last Chunk", ".webm", "audio/webm", withUndecodableBlock(t, webm, 100), toneOpusSeconds, 5),
		b.addFile(t, "Browser Tone Undecodable Ahead Of Its Chunks", ".webm", "audio/webm", withUndecodableBlock(t, webm60, 150), 60, 5),
	}
	left := b.addFile(t, "Browser Tone Left Mid-Fetch", ".webm", "audio/webm", webm60, 60, 5)
	if left.Chunks < 3 {
		t.Fatalf("testdata/tone-opus-60s.webm is %d bytes, %d chunks: a play left mid-fetch needs chunks after the first", len(webm60), left.Chunks)
	}
	// 340 s of 3 kHz 8-bit mono: 63 chunks of 5.46 s, one fetch (at most 64 chunks).
	leftWAV := b.addWAV(t, "Browser Track Left While Waiting", lowRateWAV(340, 262), 340, 5)
	if leftWAV.Chunks < 12 || leftWAV.Chunks > 64 {
		t.Fatalf("the WAV left while a write waits is %d chunks: its play must get 30 s ahead of the playhead with chunks to spare, within one fetch", leftWAV.Chunks)
	}
	if mse[0].Chunks < 2 {
		t.Fatalf("testdata/tone-opus.webm is %d bytes, one chunk: the Media Source Extensions play must append across chunks", len(webm))
	}
	b.start(t)
	cfg := e2eConfig{Chromium: chromium, Origin: b.origin, Invite: b.invite(t), DefaultAutoplayInvite: b.invite(t),
		Binary: b.bin, ServerConfig: b.serverConfig, Artifacts: artifactsDir(), Short: short, Long: long, Tamper: tamper, MSE: mse, Undecodable: undecodable, Left: left, LeftWAV: leftWAV}
	t.Logf("artifacts (the screenshot of the playing page) in %s", cfg.Artifacts)
	runE2E(t, node, cfg, "the browser player in Chromium")

	wire := b.tap.Bytes()
	if len(wire) < len(short.plain) {
		t.Fatalf("the tap saw %d bytes, less than one play", len(wire))
	}
	for _, it := range append(append([]e2eItem{short, long, tamper, left, leftWAV}, mse...), undecodable...) {
		id, err := hex.DecodeString(it.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, secret := range [][]byte{[]byte(it.Title), []byte(it.ID), id} {
			if bytes.Contains(wire, secret) {
				t.Errorf("the capture holds %q in clear", secret)
			}
		}
		if off, ok := anyWindowOf(it.media, wire); ok {
			t.Errorf("the capture holds bytes %d..%d of %q's media in clear", off, off+16, it.Title)
		}
	}
}

// withUndecodableBlock is a copy of webm, a WebM file, whose SimpleBlock
// number n (from 0, in file order) carries a payload no Opus decoder
// takes: 0xFF bytes, a code 3 packet whose frame count byte claims 63
// frames, more than a packet's 120 ms. The EBML structure is untouched,
// so a demuxer takes the file and only the decoder fails, there.
func withUndecodableBlock(t testing.TB, webm []byte, n int) []byte {
	t.Helper()
	out := bytes.Clone(webm)
	// vint is an EBML variable-length integer at b: its length, and its
	// value without the length marker (all ones, an unknown size, is -1).
	vint := func(b []byte) (int, int64) {
		l := 1
		for l <= 8 && b[0]&(0x80>>(l-1)) == 0 {
			l++
		}
		v := int64(b[0] & (0xff >> l))
		ones := v == int64(0xff>>l)
		for _, c := range b[1:l] {
			v = v<<8 | int64(c)
			ones = ones && c == 0xff
		}
		if ones {
			return l, -1
		}
		return l, v
	}
	const segment, cluster, simpleBlock = 0x18538067, 0x1f43b675, 0xa3
	blocks := 0
	var walk func(b []byte) bool
	walk = func(b []byte) bool {
		for len(b) > 0 {
			idLen, _ := vint(b)
			id := 0
			for _, c := range b[:idLen] {
				id = id<<8 | int(c)
			}
			sizeLen, size := vint(b[idLen:])
			body := b[idLen+sizeLen:]
			if size >= 0 && int(size) < len(body) {
				body = body[:size]
			}
			switch id {
			case segment, cluster:
				if walk(body) {
					return true
				}
			case simpleBlock:
				if blocks == n {
					track, _ := vint(body)
					for i := track + 3; i < len(body); i++ { // the track number, a 16-bit timecode, the flags
						body[i] = 0xff
					}
					return true
				}
				blocks++
			}
			b = b[idLen+sizeLen+len(body):]
		}
		return false
	}
	if !walk(out) {
		t.Fatalf("the WebM has %d SimpleBlocks, not %d", blocks, n+1)
	}
	return out
}

// anyWindowOf reports whether wire holds, at any offset, one of the
// 16-byte windows of media at offsets 0, 16, 32, ...: a copy of media in
// clear, whatever its alignment, holds every such window.
func anyWindowOf(media, wire []byte) (int, bool) {
	windows := make(map[[16]byte]int, len(media)/16)
	for off := 0; off+16 <= len(media); off += 16 {
		windows[[16]byte(media[off:off+16])] = off
	}
	for i := 0; i+16 <= len(wire); i++ {
		if off, ok := windows[[16]byte(wire[i:i+16])]; ok {
			return off, true
		}
	}
	return 0, false
}

// BenchmarkBrowserPlay measures the browser player against the CLI client
// on this machine, with the same server and items (one run per figure;
// run with -benchtime 1x):
//
//   - time to first audio: for the page, from the click on Play in a
//     logged-in session to the first sample's scheduled start (WebAudio,
//     which the page schedules 100 ms ahead); for the CLI, from starting
//     `securemedia play --sink -` (process, handshake, card login, info,
//     play) to its first byte on stdout;
//   - sustained MB/s of a 64 MiB item: for the page, the whole play
//     through the protocol, the chain and manifest checks and every
//     chunk's SHA-256 in Chromium into a sink that takes each chunk at
//     once; for the CLI, `securemedia play --sink null` of the same item.
func BenchmarkBrowserPlay(b *testing.B) {
	chromium := chromiumPath(b)
	node := nodeWithPlaywright(b)
	bed := newBrowserBed(b, 0)
	short := bed.add(b, "Benchmark Short", 3, 220, 0)
	big := bed.add(b, "Benchmark 64 MiB", float64(64<<20)/(44100*4), 330, 0)
	bed.start(b)
	for range b.N {
		out := filepath.Join(b.TempDir(), "bench.json")
		runE2E(b, node, e2eConfig{Chromium: chromium, Origin: bed.origin, Invite: bed.invite(b), Binary: bed.bin, ServerConfig: bed.serverConfig,
			Artifacts: artifactsDir(), Short: short, Bench: &e2eBench{Item: big, Out: out}}, "browser benchmark")
		var res struct {
			FirstAudioMs []float64 `json:"firstAudioMs"`
			Bytes        float64   `json:"bytes"`
			Ms           float64   `json:"ms"`
		}
		data, err := os.ReadFile(out)
		if err != nil || json.Unmarshal(data, &res) != nil || len(res.FirstAudioMs) == 0 {
			b.Fatalf("no benchmark figures: %v %s", err, data)
		}
		clientConfig := filepath.Join(filepath.Dir(bed.serverConfig), "client.toml")
		cliFirst := cliFirstByte(b, bed, clientConfig, short.ID)
		start := time.Now()
		bed.run(b, "play", "--config", clientConfig, "--server", "http://"+bed.tap.Addr, "--media", big.ID, "--sink", "null")
		cliMBs := float64(len(big.plain)) / time.Since(start).Seconds() / 1e6
		browserMBs := res.Bytes / (res.Ms / 1000) / 1e6
		b.ReportMetric(median(res.FirstAudioMs), "browser-first-audio-ms")
		b.ReportMetric(cliFirst, "cli-first-byte-ms")
		b.ReportMetric(browserMBs, "browser-MB/s")
		b.ReportMetric(cliMBs, "cli-MB/s")
		b.Logf("time to first audio: browser %v ms (3 plays, median %.0f), CLI %.0f ms; 64 MiB: browser %.1f MB/s, CLI %.1f MB/s (ratio %.2f)",
			res.FirstAudioMs, median(res.FirstAudioMs), cliFirst, browserMBs, cliMBs, browserMBs/cliMBs)
	}
}

// cliFirstByte runs `securemedia play --sink -` and returns the
// milliseconds from its start to its first byte of media on stdout.
func cliFirstByte(b *testing.B, bed *browserBed, clientConfig, id string) float64 {
	cmd := exec.Command(bed.bin, "play", "--config", clientConfig, "--server", "http://"+bed.tap.Addr, "--media", id, "--sink", "-")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	one := make([]byte, 1)
	if _, err := stdout.Read(one); err != nil {
		b.Fatalf("the CLI play wrote nothing: %v", err)
	}
	first := float64(time.Since(start).Microseconds()) / 1000
	if _, err := io.Copy(io.Discard, stdout); err != nil {
		b.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		b.Fatalf("the CLI play failed: %v", err)
	}
	return first
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}
