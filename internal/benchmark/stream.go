package benchmark

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net/http"
	"time"

	"securemedia/client"
	"securemedia/content"
	"securemedia/media"
)

// cpuSample is the CPU time one measurement cost on each side: the
// server process's and this process's, where only the clients run.
type cpuSample struct{ server, client time.Duration }

func (c cpuSample) both() time.Duration { return c.server + c.client }

// meter times measurements and takes what each side spent on them: the
// server process's CPU time is asked before and after, outside the timed
// interval, this process's read around it.
type meter struct{ servers *serverProcess }

func (m meter) measure(fn func() error) (time.Duration, cpuSample, error) {
	s0, err := m.servers.cpu()
	if err != nil {
		return 0, cpuSample{}, err
	}
	c0, start := processCPU(), time.Now()
	err = fn()
	elapsed, c1 := time.Since(start), processCPU()
	if err != nil {
		return 0, cpuSample{}, err
	}
	s1, err := m.servers.cpu()
	if err != nil {
		return 0, cpuSample{}, err
	}
	if s1 < s0 {
		return 0, cpuSample{}, fmt.Errorf("server process: its CPU time went back from %s to %s", s0, s1)
	}
	return elapsed, cpuSample{server: s1 - s0, client: c1 - c0}, nil
}

// playOnce is one securemedia play: a fresh session (full handshake, with
// the identity card when the server requires users), the start of the
// play under the license (one view, a grant; none on a server without
// licenses), Info with the signed manifest, every chunk opened under its
// own key and checked against the manifest, the close. verify false skips
// the manifest (client.PlayOptions.InsecureSkipContentVerification: a
// diagnostic of what verification costs; the product always verifies).
func (v *viewer) playOnce(ctx context.Context, id content.ID, size int64, chunksPerRequest int, verify bool) (*client.PlayStats, error) {
	hc := newPlainHTTPClient()
	defer hc.CloseIdleConnections()
	conn, err := v.dial(ctx, hc)
	if err != nil {
		return nil, fmt.Errorf("securemedia: %w", err)
	}
	// The license is renewed when the rounds have used up its views: the
	// (simulated) payment is part of the bench's setup, not a refusal.
	renew := func(*client.PaymentRequiredError) bool { return true }
	po := client.PlayOptions{ChunksPerRequest: chunksPerRequest, InsecureSkipContentVerification: !verify, Renew: renew}
	st, err := conn.PlayWithLicense(ctx, id, client.ToWriter(io.Discard), po)
	if err != nil {
		closeConn(conn)
		return nil, fmt.Errorf("securemedia play: %w", err)
	}
	if err := closeConn(conn); err != nil {
		return nil, fmt.Errorf("securemedia close: %w", err)
	}
	if st.Bytes != size || st.Verified != verify {
		return nil, fmt.Errorf("securemedia play: %d of %d bytes, verified %v", st.Bytes, size, st.Verified)
	}
	return st, nil
}

// httpsOnce is one baseline round: a fresh HTTPS connection (full mutual
// TLS 1.3 handshake) and a GET of the whole file into io.Discard; it
// returns the cipher suite TLS chose.
func (b *tlsBaseline) httpsOnce(ctx context.Context, url string, size int64) (cipher string, err error) {
	hc := b.newHTTPClient()
	defer hc.CloseIdleConnections()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return "", err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return "", fmt.Errorf("https: %w", err)
	}
	n, err := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil {
		return "", fmt.Errorf("https: %w", err)
	}
	if resp.StatusCode != http.StatusOK || n != size {
		return "", fmt.Errorf("https: status %d, %d of %d bytes", resp.StatusCode, n, size)
	}
	cipher = "?"
	if resp.TLS != nil {
		cipher = tls.CipherSuiteName(resp.TLS.CipherSuite)
	}
	return cipher, nil
}

// atRestOnce opens every chunk of an item from the store, as the server
// does for a play, and nothing else: the share of a play's cost that the
// baseline does not pay (it serves plaintext from disk).
func atRestOnce(s *media.Store, id content.ID) (time.Duration, int64, error) {
	start := time.Now()
	rd, err := s.Open(id)
	if err != nil {
		return 0, 0, err
	}
	defer rd.Close()
	info := rd.Item()
	buf := make([]byte, 0, info.ChunkSize+64)
	var n int64
	for i := range info.Chunks {
		p, err := rd.Chunk(i, buf[:0])
		if err != nil {
			return 0, 0, err
		}
		n += int64(len(p))
	}
	return time.Since(start), n, nil
}

// httpsItemOnce is the like-for-like variant of the baseline: HTTPS as
// above, but the server opens every chunk from the store's at-rest
// encryption and the client checks every chunk against the signed
// manifest (verified first, as a play does), like securemedia.
func (b *tlsBaseline) httpsItemOnce(ctx context.Context, base string, s *media.Store, info content.Item, verify func([][]byte) (*x509.Certificate, error)) error {
	hc := b.newHTTPClient()
	defer hc.CloseIdleConnections()
	signed, err := s.SignedManifest(info.ID)
	if err != nil {
		return err
	}
	m, err := content.VerifyManifest(signed, verify)
	if err != nil {
		return fmt.Errorf("https item: manifest: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/item/"+info.ID.String(), nil)
	if err != nil {
		return err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("https item: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("https item: status %d", resp.StatusCode)
	}
	buf := make([]byte, m.ChunkSize)
	for i := range m.Chunks {
		p := buf[:m.ChunkLen(i)]
		if _, err := io.ReadFull(resp.Body, p); err != nil {
			return fmt.Errorf("https item: chunk %d: %w", i, err)
		}
		if err := m.CheckChunk(i, p); err != nil {
			return fmt.Errorf("https item: %w", err)
		}
		if _, err := io.Discard.Write(p); err != nil {
			return err
		}
	}
	return nil
}
