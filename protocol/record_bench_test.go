package protocol

import (
	"bytes"
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

// benchCase is one payload size; inPlace puts a chunk where its record's
// payload goes (read there from the at-rest container), so that sealing
// copies nothing of it, and opens a chunk inside its record.
type benchCase struct {
	name    string
	size    int
	inPlace bool
}

// benchChunks are a full chunk, the same in place, and a short last one,
// all of an item whose chunk size is benchChunkSize.
var benchChunks = []benchCase{
	{"full", benchChunkSize, false},
	{"last", 1000, false},
	{"full in place", benchChunkSize, true},
}

// benchPayloads are a small request (a fetch request's size) and a
// catalog-sized response.
var benchPayloads = []benchCase{
	{"request", 100, false},
	{"response", 3000, false},
}

// runBench runs f for every suite of benchSuites and every case, on an
// established pair whose epochs never reach a rekey threshold.
func runBench(b *testing.B, cases []benchCase, f func(b *testing.B, client, server *Session, c benchCase)) {
	for _, suite := range benchSuites {
		for _, c := range cases {
			b.Run(fmt.Sprintf("%v/%s", suite, c.name), func(b *testing.B) {
				p := newPair(b)
				p.client.Suites = []SuiteID{suite}
				never := RekeyPolicy{Chunks: 1 << 40, Bytes: 1 << 60, Age: 24 * 365 * time.Hour}
				p.client.Rekey, p.server.Rekey = never, never
				res := mustHandshake(b, p.client, p.server)
				b.ReportAllocs()
				f(b, res.client, res.server, c)
			})
		}
	}
}

// BenchmarkSealChunk is the server's work per chunk record: the chunk key
// derived, the chunk sealed into a reused buffer.
func BenchmarkSealChunk(b *testing.B) {
	runBench(b, benchChunks, func(b *testing.B, _, s *Session, c benchCase) {
		chunk := make([]byte, c.size)
		buf := make([]byte, 0, benchChunkSize+1024)
		b.SetBytes(int64(c.size))
		for b.Loop() {
			if c.inPlace {
				// The bytes are whatever the last seal left there.
				chunk = buf[RecordHeaderSize : RecordHeaderSize+c.size]
			}
			rec, err := s.SealChunk(buf[:0], mediaID{1}, 7, chunk, benchChunkSize)
			if err != nil {
				b.Fatal(err)
			}
			buf = rec[:0]
		}
	})
}

// BenchmarkOpenChunk is the client's work per chunk record: the chunk key
// derived, the record opened into a reused buffer.
func BenchmarkOpenChunk(b *testing.B) {
	runBench(b, benchChunks, func(b *testing.B, cl, s *Session, c benchCase) {
		chunk := make([]byte, c.size)
		recs := newRecordBatch(64, func(dst []byte) ([]byte, error) {
			return s.SealChunk(dst, mediaID{1}, 7, chunk, benchChunkSize)
		})
		plain := make([]byte, 0, benchChunkSize+1024)
		b.SetBytes(int64(c.size))
		for b.Loop() {
			rec := recs.next(b)
			dst := plain[:0]
			if c.inPlace {
				dst = rec[RecordHeaderSize:RecordHeaderSize]
			}
			if _, _, err := cl.OpenChunk(dst, rec, mediaID{1}, 7); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkReadRecord is the client's framing of a chunk record: read
// from the answer into a reused buffer, as play.go reads every chunk.
func BenchmarkReadRecord(b *testing.B) {
	runBench(b, benchChunks[:1], func(b *testing.B, _, s *Session, c benchCase) {
		rec, err := s.SealChunk(nil, mediaID{1}, 7, make([]byte, c.size), benchChunkSize)
		if err != nil {
			b.Fatal(err)
		}
		var answer bytes.Reader
		buf := make([]byte, 0, len(rec))
		b.SetBytes(int64(len(rec)))
		for b.Loop() {
			answer.Reset(rec)
			if buf, err = ReadRecord(&answer, buf); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkSealRecord and BenchmarkOpenRecord are a request and a
// response record.
func BenchmarkSealRecord(b *testing.B) {
	runBench(b, benchPayloads, func(b *testing.B, _, s *Session, c benchCase) {
		payload := make([]byte, c.size)
		for b.Loop() {
			if _, err := s.Seal(nil, RecordResponse, payload); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkOpenRecord(b *testing.B) {
	runBench(b, benchPayloads, func(b *testing.B, cl, s *Session, c benchCase) {
		payload := make([]byte, c.size)
		recs := newRecordBatch(4096, func(dst []byte) ([]byte, error) {
			return s.Seal(dst, RecordResponse, payload)
		})
		for b.Loop() {
			if _, _, err := cl.Open(recs.next(b), RecordResponse); err != nil {
				b.Fatal(err)
			}
		}
	})
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
