package media

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
)

// sealPipelineDepth is how many plaintext chunks may wait between the
// reading stage and the sealing stage: enough to keep both cores busy,
// small enough that memory stays O(chunk size).
const sealPipelineDepth = 3

// sealContent streams r into the container at path and returns the SHA-256
// of every plaintext chunk. The header, which carries the size, is written
// last, once the stream has ended, then the file is synced. An input of
// more than maxChunks chunks is refused as soon as the chunk after the
// limit is read (*TooLargeError).
func sealContent(path string, r io.Reader, h *header, keys *itemKeys, idRaw []byte, maxChunks int) ([][32]byte, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if _, err := f.Write(make([]byte, headerLen)); err != nil {
		return nil, err
	}
	hashes, size, err := sealStream(&writebackWriter{f: f, off: headerLen}, r, h, keys, chunkAAD(idRaw, h), maxChunks)
	if err != nil {
		return nil, err
	}
	h.Size = size
	h.seal(keys.header, idRaw)
	if _, err := f.WriteAt(h.marshal(), 0); err != nil {
		return nil, err
	}
	if err := f.Sync(); err != nil {
		return nil, err
	}
	return hashes, f.Close()
}

// sealJob is one plaintext chunk on its way to the sealing stage.
type sealJob struct {
	index uint32
	buf   []byte
	n     int
	last  bool
}

// sealStream is the chunk loop of Add, in two stages so that the two cores
// share the work: this goroutine reads and hashes each chunk, a second one
// seals and writes it. A chunk is known to be the last (the STREAM flag)
// when the read after it finds nothing, so the reader looks one chunk
// ahead; the size need not be known in advance.
func sealStream(w io.Writer, r io.Reader, h *header, keys *itemKeys, aad []byte, maxChunks int) (hashes [][32]byte, size int64, err error) {
	free := make(chan []byte, sealPipelineDepth+2)
	for range sealPipelineDepth + 2 {
		free <- make([]byte, h.ChunkSize)
	}
	jobs := make(chan sealJob, sealPipelineDepth)
	failed := make(chan struct{})
	done := make(chan error, 1)
	go func() { done <- sealAndWrite(w, jobs, free, failed, keys.chunks, aad) }()

	var cur, next []byte
	defer func() {
		close(jobs)
		if werr := <-done; err == nil {
			err = werr
		}
		// Every buffer is back in free or held here: erase the plaintext.
		clear(cur)
		clear(next)
		for len(free) > 0 {
			clear(<-free)
		}
		if err != nil {
			hashes, size = nil, 0
		}
	}()

	cur = <-free
	n, err := readChunk(r, cur)
	if err == nil && n == 0 {
		return nil, 0, ErrEmpty
	}
	for i := 0; err == nil; i++ {
		select {
		case <-failed:
			return nil, 0, nil // the deferred wait reports the writer's error
		default:
		}
		if i >= maxChunks {
			return nil, 0, &TooLargeError{MaxChunks: maxChunks, ChunkSize: h.ChunkSize}
		}
		last := n < len(cur)
		m := 0
		if !last {
			next = <-free
			if m, err = readChunk(r, next); err != nil {
				return nil, 0, err
			}
			last = m == 0
		}
		hashes = append(hashes, sha256.Sum256(cur[:n]))
		size += int64(n)
		jobs <- sealJob{index: uint32(i), buf: cur, n: n, last: last}
		cur, next, n = next, nil, m
		if last {
			if cur != nil {
				free <- cur
				cur = nil
			}
			return hashes, size, nil
		}
	}
	return nil, 0, err
}

// sealAndWrite is the second stage of sealStream. After a write error it
// keeps draining jobs (so the first stage never blocks) and closes failed.
func sealAndWrite(w io.Writer, jobs <-chan sealJob, free chan<- []byte, failed chan<- struct{}, aead interface {
	Seal(dst, nonce, plaintext, additionalData []byte) []byte
}, aad []byte) error {
	var err error
	var out []byte
	for j := range jobs {
		if err == nil {
			nonce := chunkNonce(j.index, j.last)
			out = aead.Seal(out[:0], nonce[:], j.buf[:j.n], aad)
			if _, werr := w.Write(out); werr != nil {
				err = werr
				close(failed)
			}
		}
		free <- j.buf
	}
	return err
}

// readChunk fills buf as far as r allows; a short count means end of input.
func readChunk(r io.Reader, buf []byte) (int, error) {
	n, err := io.ReadFull(r, buf)
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return n, nil
	}
	if err != nil {
		return n, fmt.Errorf("read input: %w", err)
	}
	return n, nil
}
