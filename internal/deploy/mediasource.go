package deploy

import (
	"bufio"
	"context"
	"io"
	"mime"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"securemedia/media"
)

// ffprobeTimeout bounds the run of ffprobe on a source file.
const ffprobeTimeout = 15 * time.Second

// MediaSource is a file on its way into the media store (`media add`): its
// bytes, read once as Store.Add seals them, and the AddOptions it implies.
type MediaSource struct {
	io.Reader
	// Size is the file's size, or -1 when unknown (standard input, a pipe).
	Size int64
	// Options are the caller's, with what it left unset filled in.
	Options media.AddOptions
	f       *os.File
}

// OpenMediaSource opens path, or stdin for "-", for Store.Add; once ctx
// is done, reading the source fails with ctx's error. Where o
// leaves them unset it fills in the title (the file's name), the content
// type (from the name, else from the first bytes, which stay buffered) and
// the playing time (from ffprobe, when it is installed; zero when unknown).
// The caller closes the source.
func OpenMediaSource(ctx context.Context, path string, stdin io.Reader, o media.AddOptions) (*MediaSource, error) {
	s := &MediaSource{Size: -1}
	in := stdin
	regular := false
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
			s.Size, regular = st.Size(), true
		}
		s.f, in = f, f
		if o.Title == "" {
			o.Title = filepath.Base(path)
		}
		if o.Duration == 0 {
			o.Duration = probeDuration(ctx, path)
		}
	}
	br := bufio.NewReaderSize(in, 4096)
	if o.ContentType == "" {
		o.ContentType = guessContentType(path, br)
	}
	u := &untilDone{ctx: ctx, r: br}
	if !regular {
		// A pipe or a terminal may keep a read waiting for ever: ctx
		// must cut it short (see Read).
		u.results = make(chan readResult, 1)
	}
	s.Reader, s.Options = u, o
	return s, nil
}

// untilDone reads r until ctx is done, then fails with ctx's error: an
// interrupted `media add` makes Store.Add fail, which removes what it
// had written. For a source whose read may wait (results set), each read
// runs on a goroutine of its own into buf, so that ctx ends a read that
// waits; the goroutine of a read cut short is left to the end of the
// process, writing only into buf, which nothing reads any more.
type untilDone struct {
	ctx     context.Context
	r       io.Reader
	results chan readResult
	buf     []byte
}

type readResult struct {
	n   int
	err error
}

func (u *untilDone) Read(p []byte) (int, error) {
	if u.ctx != nil {
		if err := u.ctx.Err(); err != nil {
			return 0, err
		}
	}
	if u.results == nil || u.ctx == nil {
		return u.r.Read(p)
	}
	if cap(u.buf) < len(p) {
		u.buf = make([]byte, len(p))
	}
	buf := u.buf[:len(p)]
	go func() {
		n, err := u.r.Read(buf)
		u.results <- readResult{n, err}
	}()
	select {
	case r := <-u.results:
		copy(p, buf[:r.n])
		clear(buf[:r.n])
		return r.n, r.err
	case <-u.ctx.Done():
		return 0, u.ctx.Err()
	}
}

// Close closes the file.
func (s *MediaSource) Close() error {
	if s.f == nil {
		return nil
	}
	return s.f.Close()
}

// guessContentType names the media type from the file name, else from the
// first bytes (which stay buffered in br).
func guessContentType(path string, br *bufio.Reader) string {
	if path != "-" {
		if t := mime.TypeByExtension(filepath.Ext(path)); t != "" {
			return t
		}
	}
	head, _ := br.Peek(512)
	return http.DetectContentType(head)
}

// probeDuration asks ffprobe, when it is installed, for the playing time
// of the operator's own source file; zero when unknown.
func probeDuration(ctx context.Context, path string) time.Duration {
	bin, err := exec.LookPath("ffprobe")
	if err != nil {
		return 0
	}
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, cancel := context.WithTimeout(ctx, ffprobeTimeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, "-v", "error", "-show_entries", "format=duration",
		"-of", "default=noprint_wrappers=1:nokey=1", "--", path).Output()
	if err != nil {
		return 0
	}
	secs, err := strconv.ParseFloat(strings.TrimSpace(string(out)), 64)
	if err != nil || secs <= 0 || secs > 1e7 {
		return 0
	}
	return time.Duration(secs * float64(time.Second)).Round(time.Millisecond)
}
