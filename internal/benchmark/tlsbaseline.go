package benchmark

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"securemedia/content"
	"securemedia/media"
	"securemedia/pki"
	"securemedia/protocol"
)

// tlsBaseline is the reference the issue names: Go's net/http and
// crypto/tls (TLS 1.3, mutual authentication with the workspace's own
// server and client-device certificates) on loopback: its servers run in
// the server process beside the securemedia server, its clients in the
// bench process.
type tlsBaseline struct {
	server, client *tls.Config
	// keyType names the server's key ("ECDSA P-256", ...).
	keyType string
}

// tlsCurve maps a session group to the TLS 1.3 group with the same key
// exchange; ok is false for groups TLS 1.3 in Go does not offer (FFDHE).
func tlsCurve(g protocol.GroupID) (tls.CurveID, bool) {
	switch g {
	case protocol.GroupX25519:
		return tls.X25519, true
	case protocol.GroupP256:
		return tls.CurveP256, true
	case protocol.GroupP384:
		return tls.CurveP384, true
	case protocol.GroupX25519MLKEM768:
		return tls.X25519MLKEM768, true
	}
	return 0, false
}

// newTLSBaseline builds both TLS configurations from the deployment's
// certificates and keys. Session tickets are off, so that every handshake
// is a full one with certificates and signatures on both sides.
func newTLSBaseline(d Deployment, group protocol.GroupID) (*tlsBaseline, error) {
	curve, ok := tlsCurve(group)
	if !ok {
		return nil, fmt.Errorf("group %s has no TLS 1.3 counterpart in Go; compare with x25519, p256, p384 or x25519mlkem768", group)
	}
	srvChain, srvKey, err := pki.LoadIdentity(d.Server.Path(d.Server.Identity.Certificate), d.Server.Path(d.Server.Identity.Key), nil)
	if err != nil {
		return nil, fmt.Errorf("server identity: %w", err)
	}
	cliChain, cliKey, err := pki.LoadIdentity(d.Client.Path(d.Client.Identity.Certificate), d.Client.Path(d.Client.Identity.Key), nil)
	if err != nil {
		return nil, fmt.Errorf("client identity: %w", err)
	}
	serverRoots, err := certPool(d.Server.Paths(d.Server.Trust.Roots))
	if err != nil {
		return nil, fmt.Errorf("server trust: %w", err)
	}
	clientRoots, err := certPool(d.Client.Paths(d.Client.Trust.Roots))
	if err != nil {
		return nil, fmt.Errorf("client trust: %w", err)
	}
	leaf, err := x509.ParseCertificate(srvChain[0])
	if err != nil {
		return nil, err
	}
	curves := []tls.CurveID{curve}
	b := &tlsBaseline{
		server: &tls.Config{
			MinVersion:             tls.VersionTLS13,
			Certificates:           []tls.Certificate{{Certificate: srvChain, PrivateKey: srvKey}},
			ClientAuth:             tls.RequireAndVerifyClientCert,
			ClientCAs:              serverRoots,
			CurvePreferences:       curves,
			SessionTicketsDisabled: true,
		},
		client: &tls.Config{
			MinVersion:       tls.VersionTLS13,
			Certificates:     []tls.Certificate{{Certificate: cliChain, PrivateKey: cliKey}},
			RootCAs:          clientRoots,
			ServerName:       "127.0.0.1",
			CurvePreferences: curves,
		},
		keyType: pki.DescribeKey(leaf.PublicKey),
	}
	return b, nil
}

func certPool(paths []string) (*x509.CertPool, error) {
	certs, err := pki.LoadCertificates(paths...)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	for _, c := range certs {
		pool.AddCert(c)
	}
	return pool, nil
}

// fileServer serves two files over HTTPS (HTTP/1.1, as the session
// protocol uses) with http.ServeFile from disk: the streamed file under
// /media, the small file of the whole-play comparison under /small.
type fileServer struct {
	base string
	srv  *http.Server
	done chan error
}

// It also serves, under /item/ID, a store item opened chunk by chunk from
// its at-rest encryption, for the like-for-like variant.
func startFileServer(b *tlsBaseline, path, small string, store *media.Store) (*fileServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /media", func(w http.ResponseWriter, r *http.Request) { http.ServeFile(w, r, path) })
	mux.HandleFunc("GET /small", func(w http.ResponseWriter, r *http.Request) { http.ServeFile(w, r, small) })
	mux.HandleFunc("GET /item/{id}", func(w http.ResponseWriter, r *http.Request) { serveItem(w, store, r.PathValue("id")) })
	fs := &fileServer{
		base: "https://" + ln.Addr().String(),
		srv: &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second,
			ErrorLog: log.New(io.Discard, "", 0)},
		done: make(chan error, 1),
	}
	// Serving a TLS listener directly keeps the server on HTTP/1.1.
	go func() { fs.done <- fs.srv.Serve(tls.NewListener(ln, b.server)) }()
	return fs, nil
}

func (fs *fileServer) close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := fs.srv.Shutdown(ctx)
	if serr := <-fs.done; !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	return err
}

// serveItem writes the plaintext of a store item, each chunk read and
// opened from the at-rest container as the securemedia server does.
func serveItem(w http.ResponseWriter, store *media.Store, name string) {
	id, err := content.ParseID(name)
	if err != nil {
		http.Error(w, "no such item", http.StatusNotFound)
		return
	}
	rd, err := store.Open(id)
	if err != nil {
		http.Error(w, "no such item", http.StatusNotFound)
		return
	}
	defer rd.Close()
	info := rd.Item()
	w.Header().Set("Content-Length", strconv.FormatInt(info.Size, 10))
	buf := make([]byte, 0, info.ChunkSize+64)
	for i := range info.Chunks {
		p, err := rd.Chunk(i, buf[:0])
		if err != nil {
			return // the short body fails the client
		}
		if _, err := w.Write(p); err != nil {
			return
		}
	}
}

// newTLSHTTPClient is a fresh HTTPS client with its own transport.
func (b *tlsBaseline) newHTTPClient() *http.Client {
	return &http.Client{Transport: &http.Transport{
		TLSClientConfig:       b.client,
		DisableCompression:    true,
		ResponseHeaderTimeout: 30 * time.Second,
	}}
}

// handshakeServer completes a mutual TLS handshake on every connection,
// then writes one byte so that the client knows the server verified its
// certificate (TLS 1.3 lets the client finish first), and hangs up.
type handshakeServer struct {
	addr string
	ln   net.Listener
	wg   sync.WaitGroup
}

// handshakeDeadline bounds one baseline handshake on the server side.
const handshakeDeadline = 10 * time.Second

func startHandshakeServer(b *tlsBaseline) (*handshakeServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	hs := &handshakeServer{addr: ln.Addr().String(), ln: ln}
	hs.wg.Add(1)
	go func() {
		defer hs.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			hs.wg.Add(1)
			go func() {
				defer hs.wg.Done()
				defer c.Close()
				c.SetDeadline(time.Now().Add(handshakeDeadline))
				tc := tls.Server(c, b.server)
				if tc.Handshake() == nil {
					tc.Write([]byte{1})
				}
			}()
		}
	}()
	return hs, nil
}

func (hs *handshakeServer) close() {
	hs.ln.Close()
	hs.wg.Wait()
}

// handshake runs one full mutual TLS 1.3 handshake on a fresh connection.
func (b *tlsBaseline) handshake(ctx context.Context, addr string) error {
	d := tls.Dialer{Config: b.client}
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(handshakeDeadline))
	var one [1]byte
	if _, err := io.ReadFull(c, one[:]); err != nil {
		return fmt.Errorf("tls handshake: server did not confirm: %w", err)
	}
	return nil
}
