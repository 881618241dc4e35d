package media

import (
	"crypto/rand"
	"io"
	"runtime"
	"testing"

	"securemedia/content"
)

// repeatReader yields n bytes by repeating one random buffer, so that the
// input costs almost nothing next to what is measured.
type repeatReader struct {
	buf []byte
	off int
	n   int64
}

func newRepeatReader(n int64) *repeatReader {
	b := make([]byte, 1<<20)
	rand.Read(b)
	return &repeatReader{buf: b, n: n}
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > r.n {
		p = p[:r.n]
	}
	total := 0
	for len(p) > 0 {
		c := copy(p, r.buf[r.off:])
		r.off = (r.off + c) % len(r.buf)
		p = p[c:]
		total += c
	}
	r.n -= int64(total)
	return total, nil
}

// BenchmarkAdd measures media add throughput (MB/s): read, chunk hash,
// seal and write of a 256 MiB input.
func BenchmarkAdd(b *testing.B) {
	const size = 256 << 20
	p := newTestPKI(b)
	for _, c := range []Cipher{AES256GCM, ChaCha20Poly1305} {
		b.Run(c.String(), func(b *testing.B) {
			s, _ := newTestStore(b, p, c)
			b.SetBytes(size)
			for b.Loop() {
				info, err := s.Add(newRepeatReader(size), AddOptions{})
				if err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				s.Remove(info.ID)
				b.StartTimer()
			}
		})
	}
}

var benchItemSizes = []struct {
	name string
	size int64
}{{"1MiB", 1 << 20}, {"1GiB", 1 << 30}}

// BenchmarkChunkRead measures one random-access chunk read and open; the
// cost must not depend on the item's size.
func BenchmarkChunkRead(b *testing.B) {
	p := newTestPKI(b)
	for _, sz := range benchItemSizes {
		b.Run(sz.name, func(b *testing.B) {
			s, _ := newTestStore(b, p, AES256GCM)
			info, err := s.Add(newRepeatReader(sz.size), AddOptions{})
			if err != nil {
				b.Fatal(err)
			}
			r, err := s.Open(info.ID)
			if err != nil {
				b.Fatal(err)
			}
			defer r.Close()
			buf := make([]byte, 0, info.ChunkSize+tagSize)
			b.SetBytes(int64(info.ChunkSize))
			i := uint32(0)
			for b.Loop() {
				if _, err := r.Chunk(i%info.Chunks, buf[:0]); err != nil {
					b.Fatal(err)
				}
				i += 7919 // a prime stride: scattered chunks, not a sequential scan
			}
		})
	}
}

// BenchmarkStreamMemory streams every chunk of an item as the server does
// for one play and reports the peak heap in use while doing so (sampled
// after every chunk), next to the heap in use before the stream started.
func BenchmarkStreamMemory(b *testing.B) {
	p := newTestPKI(b)
	for _, sz := range benchItemSizes {
		b.Run(sz.name, func(b *testing.B) {
			s, _ := newTestStore(b, p, AES256GCM)
			info, err := s.Add(newRepeatReader(sz.size), AddOptions{})
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(sz.size)
			var ms runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&ms)
			base, peak := ms.HeapInuse, ms.HeapInuse
			for b.Loop() {
				r, err := s.Open(info.ID)
				if err != nil {
					b.Fatal(err)
				}
				buf := make([]byte, 0, info.ChunkSize+tagSize)
				for i := range info.Chunks {
					if _, err := r.Chunk(i, buf[:0]); err != nil {
						b.Fatal(err)
					}
					if i%64 == 0 || i == info.Chunks-1 {
						runtime.ReadMemStats(&ms)
						peak = max(peak, ms.HeapInuse)
					}
				}
				r.Close()
			}
			b.ReportMetric(float64(peak), "peak-heap-B")
			b.ReportMetric(float64(peak-base), "stream-heap-B")
		})
	}
}

// BenchmarkSealStream measures the container's sealing pipeline alone
// (read, hash, seal; output discarded), the CPU bound of Add without the
// disk.
func BenchmarkSealStream(b *testing.B) {
	const size = 256 << 20
	for _, c := range []Cipher{AES256GCM, ChaCha20Poly1305} {
		b.Run(c.String(), func(b *testing.B) {
			keys, err := deriveItemKeys(c, make([]byte, dataKeySize))
			if err != nil {
				b.Fatal(err)
			}
			h := &header{Cipher: c, ChunkSize: content.DefaultChunkSize}
			b.SetBytes(size)
			for b.Loop() {
				if _, _, err := sealStream(io.Discard, newRepeatReader(size), h, keys, chunkAAD(make([]byte, content.IDSize), h), content.MaxChunks); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
