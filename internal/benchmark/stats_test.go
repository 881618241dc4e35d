package benchmark

import (
	"bytes"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestMedianAndPercentile(t *testing.T) {
	tests := []struct {
		name string
		in   []float64
		want float64
	}{
		{"no values give zero", nil, 0},
		{"an odd count gives the middle value", []float64{3, 1, 2}, 2},
		{"an even count gives the mean of the middle two", []float64{4, 1, 3, 2}, 2.5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := median(tt.in); got != tt.want {
				t.Fatalf("median(%v) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
	ds := make([]time.Duration, 100)
	for i := range ds {
		ds[i] = time.Duration(100-i) * time.Microsecond
	}
	if got := percentile(ds, 90); got != 90*time.Microsecond {
		t.Errorf("p90 of 1..100 µs = %v, want 90µs", got)
	}
	if got := percentile(ds, 50); got != 50*time.Microsecond {
		t.Errorf("p50 of 1..100 µs = %v, want 50µs", got)
	}
	if ds[0] != 100*time.Microsecond {
		t.Error("percentile sorted its input in place")
	}
}

func TestSourceIsDeterministicAndStreamsDiffer(t *testing.T) {
	read := func(stream byte) []byte {
		b, err := io.ReadAll(newSource(100_003, stream))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	a, b, c := read(0), read(0), read(1)
	if len(a) != 100_003 {
		t.Fatalf("source yielded %d bytes, want 100003", len(a))
	}
	if !bytes.Equal(a, b) {
		t.Error("the same stream yielded different bytes")
	}
	if bytes.Equal(a, c) {
		t.Error("two streams yielded the same bytes")
	}
}

func TestReportTableShowsEveryFigure(t *testing.T) {
	r := &Report{Machine: Machine{CPUs: 2, GOOS: "linux", GOARCH: "amd64", CPUModel: "Test CPU", GoVersion: "go1.26"},
		Size: 256 << 20, Rounds: 3, Suite: "DH_AES128_GCM_SHA256", Group: "x25519", ChunkSize: 256 << 10, ChunksPerRequest: 16,
		Stream: StreamFigures{SecuremediaMBps: []float64{900}, BaselineMBps: []float64{1000}, SecuremediaMedian: 900,
			BaselineMedian: 1000, Ratio: 0.9, Chunks: 1024, Rekeys: 3, Verified: true, BaselineCipher: "TLS_AES_128_GCM_SHA256",
			SecuremediaCPUMedian: 2.34, SecuremediaServerCPUMedian: 1.11, SecuremediaClientCPUMedian: 1.23,
			BaselineCPUMedian: 1.5, BaselineServerCPUMedian: 0.75, BaselineClientCPUMedian: 0.76, CPURatio: 1.56, ServerCPURatio: 1.48},
		ChunkCost: &ChunkFigures{Small: ChunkTiming{Size: 1 << 20, MedianMicros: 500}, Large: ChunkTiming{Size: 1 << 30, MedianMicros: 510}, Ratio: 1.02},
		Handshake: HandshakeRates{KeyType: "ECDSA P-256", DeviceMedian: 900, TLSMedian: 800, Ratio: 1.125,
			DeviceServerCPU: 0.87, DeviceClientCPU: 0.93, TLSServerCPU: 0.61, TLSClientCPU: 0.64},
		WholePlay: WholePlayFigures{Size: 3_400_000, Chunks: 13, PlaysPerRound: 10, WithUser: true,
			SecuremediaMedian: 24.8, DeviceMedian: 12.5, HTTPSGetMedian: 7.9, Ratio: 3.14, DeviceRatio: 1.58},
		AddMBps: 1045,
	}
	r.checkTargets()
	var out bytes.Buffer
	if err := r.WriteTable(&out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Test CPU, 2 CPUs", "900.0 MB/s", "1000.0 MB/s", "ratio securemedia/baseline", "0.90",
		"1 GiB (0 chunks)", "ratio large/small", "1.02", "ECDSA P-256", "1.12", "1024 chunks, 16 per request, 3 rekeys, content verified true",
		"2.34      1.11    1.23", "1.50      0.75    0.76", "1.56      1.48", "0.87           0.93", "0.61           0.64",
		"WHOLE PLAY (3.4 MB, 13 chunks", "device + identity card", "24.8 ms", "12.5 ms", "7.9 ms", "3.14", "device only 1.58",
		"streaming MB/s, securemedia/tls               0.90    >= 1.00     no",
		"chunk cost, 1 GiB/1 MiB item                  1.02    0.90..1.10  yes",
		"media add MB/s                                1045.00 >= 1000     yes",
		"whole play of 3.4 MB, securemedia/https get   3.14    <= 2.00     no"} {
		// Columns line up with any number of spaces.
		re := regexp.MustCompile(strings.Join(strings.Fields(regexp.QuoteMeta(want)), `\s+`))
		if !re.Match(out.Bytes()) {
			t.Errorf("table lacks %q:\n%s", want, out.String())
		}
	}
}
