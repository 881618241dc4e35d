package main

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

// runBenchCommand runs `securemedia bench args...` in process and returns
// its stdout.
func runBenchCommand(t *testing.T, args ...string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	cmd := newBenchCommand()
	cmd.SetArgs(args)
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	if err := cmd.Execute(); err != nil {
		t.Fatalf("bench %v: %v\nstderr:\n%s", args, err, errOut.String())
	}
	return out.String()
}

func TestBenchPrintsBothThroughputsAndTheirRatio(t *testing.T) {
	out := runBenchCommand(t, "--size", "4MiB", "--rounds", "1", "--skip-1g", "--handshakes", "3", "--dir", t.TempDir())
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`(?m)^securemedia DH_AES128_GCM_SHA256/x25519\s+[0-9.]+ MB/s`),
		regexp.MustCompile(`(?m)^net/http \+ crypto/tls 1\.3 \(TLS_AES_128_GCM_SHA256\)\s+[0-9.]+ MB/s`),
		regexp.MustCompile(`(?m)^ratio securemedia/baseline\s+[0-9]+\.[0-9]{2}`),
		regexp.MustCompile(`(?m)^like for like: https \+ at-rest open \+ manifest check\s+[0-9.]+ MB/s`),
		regexp.MustCompile(`(?m)^ratio securemedia/like for like\s+[0-9]+\.[0-9]{2}`),
		regexp.MustCompile(`(?m)^play\s+16 chunks, \d+ per request, 0 rekeys, content verified true`),
		regexp.MustCompile(`(?m)^securemedia DH_AES128_GCM_SHA256/x25519, server \+ device\s+[0-9]+ /s`),
		regexp.MustCompile(`(?m)^securemedia, server \+ device \+ identity card \(RSA 2048\)\s+[0-9]+ /s`),
		regexp.MustCompile(`(?m)^crypto/tls 1\.3 mutual, no resumption\s+[0-9]+ /s`),
		regexp.MustCompile(`(?m)^ratio securemedia/tls, same key types\s+[0-9]+\.[0-9]{2}`),
		regexp.MustCompile(`(?m)^machine\s+.+, [0-9]+ CPUs, `),
	} {
		if !want.MatchString(out) {
			t.Errorf("output lacks %s:\n%s", want, out)
		}
	}
	if strings.Contains(out, "ONE CHUNK") {
		t.Errorf("--skip-1g still printed the chunk-cost figures:\n%s", out)
	}
}

func TestBenchJSONHasEveryFigure(t *testing.T) {
	out := runBenchCommand(t, "--size", "1MiB", "--rounds", "2", "--skip-1g", "--handshakes", "2",
		"--suite", "DH_CHACHA20_SHA256", "--group", "p256", "--chunks-per-request", "2", "--json", "--dir", t.TempDir())
	var r struct {
		Size   int64  `json:"size"`
		Suite  string `json:"suite"`
		Group  string `json:"group"`
		Stream struct {
			SM       []float64 `json:"securemedia_mb_per_s"`
			Base     []float64 `json:"baseline_mb_per_s"`
			Ratio    float64   `json:"ratio"`
			Chunks   int       `json:"chunks"`
			Verified bool      `json:"verified"`
		} `json:"stream"`
		Handshake struct {
			SM    []float64 `json:"securemedia_device_per_s"`
			TLS   []float64 `json:"tls_per_s"`
			Ratio float64   `json:"ratio"`
		} `json:"handshake"`
		ChunkCost *json.RawMessage `json:"chunk_cost"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	switch {
	case r.Size != 1<<20 || r.Suite != "DH_CHACHA20_SHA256" || r.Group != "p256":
		t.Errorf("run described as %d bytes %s/%s", r.Size, r.Suite, r.Group)
	case len(r.Stream.SM) != 2 || len(r.Stream.Base) != 2 || len(r.Handshake.SM) != 2 || len(r.Handshake.TLS) != 2:
		t.Errorf("want 2 rounds of each figure: %+v %+v", r.Stream, r.Handshake)
	case r.Stream.Ratio <= 0 || r.Handshake.Ratio <= 0:
		t.Errorf("ratios missing: stream %v, handshake %v", r.Stream.Ratio, r.Handshake.Ratio)
	case r.Stream.Chunks != 4 || !r.Stream.Verified:
		t.Errorf("play of %d chunks, verified %v; want 4, true", r.Stream.Chunks, r.Stream.Verified)
	case r.ChunkCost != nil:
		t.Errorf("--skip-1g still measured the chunk cost")
	}
}

func TestBenchRefusesBadFlagsWithAHint(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"a size without a number is refused", []string{"--size", "MiB"}, "size"},
		{"a zero size is refused", []string{"--size", "0"}, "out of range"},
		{"an unknown suite is refused", []string{"--suite", "DH_RC4_MD5"}, "suite"},
		{"an unknown group is refused", []string{"--group", "p521"}, "group"},
		{"zero rounds are refused", []string{"--rounds", "0"}, "at least 1"},
		{"too many chunks per request are refused", []string{"--chunks-per-request", "1000"}, "out of range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := newBenchCommand()
			cmd.SetArgs(append(tt.args, "--dir", t.TempDir()))
			cmd.SetOut(&bytes.Buffer{})
			cmd.SetErr(&bytes.Buffer{})
			err := cmd.Execute()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error about %q", err, tt.want)
			}
		})
	}
}
