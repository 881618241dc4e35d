package benchmark

import (
	"bufio"
	"io"
	"math/rand/v2"
	"os"
)

// sourceSeed fixes the benchmark content so that every run streams the same
// bytes. The content is not a secret, so a seeded generator (ChaCha8 from
// math/rand/v2, fast and incompressible) is the right tool here, not
// crypto/rand.
var sourceSeed = [32]byte{'s', 'e', 'c', 'u', 'r', 'e', 'm', 'e', 'd', 'i', 'a', ' ', 'b', 'e', 'n', 'c', 'h'}

// sourceReader yields n deterministic pseudo-random bytes.
type sourceReader struct {
	gen *rand.ChaCha8
	n   int64
}

// newSource returns a reader of n bytes of the benchmark content; a given
// stream number always yields the same bytes.
func newSource(n int64, stream byte) io.Reader {
	seed := sourceSeed
	seed[31] = stream
	return &sourceReader{gen: rand.NewChaCha8(seed), n: n}
}

func (r *sourceReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > r.n {
		p = p[:r.n]
	}
	n, _ := r.gen.Read(p) // never fails
	r.n -= int64(n)
	return n, nil
}

// Streams of the benchmark content, one per item, so that no two items
// share their bytes.
const (
	streamPlay byte = iota
	streamChunkSmall
	streamChunkLarge
	streamWholePlay
)

// writeSource writes n bytes of the benchmark content's stream to path.
func writeSource(path string, n int64, stream byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	if _, err := io.Copy(w, newSource(n, stream)); err != nil {
		f.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
