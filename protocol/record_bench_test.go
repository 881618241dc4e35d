package protocol

import (
	"fmt"
	"testing"
	"time"
)

// The record layer's cost per chunk and per request, both sides, with the
// buffers reused as the server and the client reuse them:
//
//	go test ./protocol -run '^$' -bench 'Chunk|Record' -benchmem

// benchSuites are one suite of each record protection kind.
var benchSuites = []SuiteID{DH_AES128_GCM_SHA256, DH_CHACHA20_SHA256, DH_AES128_CBC_SHA256}

// benchChunkSize is the default chunk size of an item (content.DefaultChunkSize).
const benchChunkSize = 256 << 10

// benchChunks are a full chunk and a short last one, both of an item whose
// chunk size is benchChunkSize.
var benchChunks = []struct {
	name string
	size int
}{
	{"full", benchChunkSize},
	{"last", 1000},
}

// benchSessions returns an established pair under suite whose epochs never
// reach a rekey threshold within a benchmark.
func benchSessions(b *testing.B, suite SuiteID) (client, server *Session) {
	b.Helper()
	p := newPair(b)
	p.client.Suites = []SuiteID{suite}
	never := RekeyPolicy{Chunks: 1 << 40, Bytes: 1 << 60, Age: 24 * 365 * time.Hour}
	p.client.Rekey, p.server.Rekey = never, never
	res := mustHandshake(b, p.client, p.server)
	return res.client, res.server
}

// BenchmarkSealChunk is the server's work per chunk record: the chunk key
// derived, the chunk sealed into a reused buffer. "in place" is a chunk
// that already sits where the record's payload goes (read there from the
// at-rest container), so no byte of it is copied.
func BenchmarkSealChunk(b *testing.B) {
	for _, suite := range benchSuites {
		for _, c := range benchChunks {
			b.Run(fmt.Sprintf("%v/%s", suite, c.name), func(b *testing.B) {
				_, s := benchSessions(b, suite)
				chunk := make([]byte, c.size)
				buf := make([]byte, 0, benchChunkSize+1024)
				b.SetBytes(int64(c.size))
				b.ReportAllocs()
				for b.Loop() {
					rec, err := s.SealChunk(buf[:0], mediaID{1}, 7, chunk)
					if err != nil {
						b.Fatal(err)
					}
					buf = rec
				}
			})
		}
		b.Run(fmt.Sprintf("%v/full in place", suite), func(b *testing.B) {
			_, s := benchSessions(b, suite)
			buf := make([]byte, 0, benchChunkSize+1024)
			b.SetBytes(benchChunkSize)
			b.ReportAllocs()
			for b.Loop() {
				// The chunk is read into the record's payload position; its
				// bytes are whatever the last seal left there.
				chunk := buf[recordHeaderSize : recordHeaderSize+benchChunkSize]
				rec, err := s.SealChunk(buf[:0], mediaID{1}, 7, chunk)
				if err != nil {
					b.Fatal(err)
				}
				buf = rec[:0]
			}
		})
	}
}

// BenchmarkOpenChunk is the client's work per chunk record: the chunk key
// derived, the record opened into a reused buffer.
func BenchmarkOpenChunk(b *testing.B) {
	for _, suite := range benchSuites {
		for _, c := range benchChunks {
			b.Run(fmt.Sprintf("%v/%s", suite, c.name), func(b *testing.B) {
				cl, s := benchSessions(b, suite)
				chunk := make([]byte, c.size)
				recs := newRecordBatch(64, func(dst []byte) ([]byte, error) {
					return s.SealChunk(dst, mediaID{1}, 7, chunk)
				})
				var plain []byte
				b.SetBytes(int64(c.size))
				b.ReportAllocs()
				for b.Loop() {
					p, _, err := cl.OpenChunk(plain[:0], recs.next(b), mediaID{1}, 7)
					if err != nil {
						b.Fatal(err)
					}
					plain = p
				}
			})
		}
	}
}

// BenchmarkSealRecord and BenchmarkOpenRecord are one small request
// record (a fetch request's size) and one catalog-sized response.
var benchPayloads = []struct {
	name string
	size int
}{
	{"request", 100},
	{"response", 3000},
}

func BenchmarkSealRecord(b *testing.B) {
	for _, suite := range benchSuites {
		for _, p := range benchPayloads {
			b.Run(fmt.Sprintf("%v/%s", suite, p.name), func(b *testing.B) {
				_, s := benchSessions(b, suite)
				payload := make([]byte, p.size)
				b.ReportAllocs()
				for b.Loop() {
					if _, err := s.Seal(nil, RecordResponse, payload); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

func BenchmarkOpenRecord(b *testing.B) {
	for _, suite := range benchSuites {
		for _, p := range benchPayloads {
			b.Run(fmt.Sprintf("%v/%s", suite, p.name), func(b *testing.B) {
				cl, s := benchSessions(b, suite)
				payload := make([]byte, p.size)
				recs := newRecordBatch(4096, func(dst []byte) ([]byte, error) {
					return s.Seal(dst, RecordResponse, payload)
				})
				b.ReportAllocs()
				for b.Loop() {
					if _, _, err := cl.Open(recs.next(b), RecordResponse); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// recordBatch hands out fresh records (each opens once: the replay window
// refuses a second time), sealing the next batch with the timer stopped.
type recordBatch struct {
	recs [][]byte
	i    int
	seal func(dst []byte) ([]byte, error)
}

func newRecordBatch(n int, seal func(dst []byte) ([]byte, error)) *recordBatch {
	return &recordBatch{recs: make([][]byte, n), i: n, seal: seal}
}

func (r *recordBatch) next(b *testing.B) []byte {
	if r.i == len(r.recs) {
		b.StopTimer()
		for j := range r.recs {
			rec, err := r.seal(r.recs[j][:0])
			if err != nil {
				b.Fatal(err)
			}
			r.recs[j] = rec
		}
		r.i = 0
		b.StartTimer()
	}
	r.i++
	return r.recs[r.i-1]
}
