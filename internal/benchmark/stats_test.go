package benchmark

import (
	"bytes"
	"io"
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
			BaselineMedian: 1000, Ratio: 0.9, Chunks: 1024, Rekeys: 3, Verified: true, BaselineCipher: "TLS_AES_128_GCM_SHA256"},
		ChunkCost: &ChunkFigures{Small: ChunkTiming{Size: 1 << 20, MedianMicros: 500}, Large: ChunkTiming{Size: 1 << 30, MedianMicros: 510}, Ratio: 1.02},
		Handshake: HandshakeRates{KeyType: "ECDSA P-256", DeviceMedian: 900, TLSMedian: 800, Ratio: 1.125},
	}
	var out bytes.Buffer
	if err := r.WriteTable(&out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Test CPU, 2 CPUs", "900.0 MB/s", "1000.0 MB/s", "ratio securemedia/baseline", "0.90",
		"1.0 GiB (0 chunks)", "ratio large/small", "1.02", "ECDSA P-256", "1.12", "1024 chunks, 16 per request, 3 rekeys, content verified true"} {
		if !bytes.Contains(out.Bytes(), []byte(want)) {
			t.Errorf("table lacks %q:\n%s", want, out.String())
		}
	}
}
