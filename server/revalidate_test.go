package server_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"securemedia/client"
	"securemedia/internal/testbed"
	"securemedia/pki"
	"securemedia/token/provision"
)

// revokeDevice revokes the bed's client device and has the server reload
// its CRLs, as it does every minute and on SIGHUP.
func revokeDevice(t *testing.T, bed *testbed.Bed) {
	t.Helper()
	ca, err := pki.OpenCA(bed.WS.CADir, nil)
	if err != nil {
		t.Fatal(err)
	}
	certs, err := pki.LoadCertificates(bed.WS.ClientChain)
	if err != nil {
		t.Fatal(err)
	}
	if err := ca.Revoke(certs[0].SerialNumber, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := ca.CRLs(); err != nil {
		t.Fatal(err)
	}
	bed.ReloadCRLs(t)
}

// playRevokedAt plays id on c one chunk per fetch and calls revoke once
// chunk 2 reached the sink; it wants the next fetch refused as a lost
// session and a new handshake refused as revoked.
func playRevokedAt(t *testing.T, c *client.Conn, cfg client.Config, id string, grant []byte, revoke func()) {
	t.Helper()
	var sink bytes.Buffer
	st, err := c.Play(context.Background(), mediaID(t, id), &sink, client.PlayOptions{ChunksPerRequest: 1, Grant: grant,
		Progress: func(st client.PlayStats) {
			if st.Chunks == 2 {
				revoke()
			}
		}})
	if !errors.Is(err, client.ErrTransport) || !strings.Contains(err.Error(), "404") {
		t.Fatalf("the fetch after the revocation: %v, want the session gone (404)", err)
	}
	if st.Chunks != 2 {
		t.Fatalf("%d chunks played, want the 2 before the revocation", st.Chunks)
	}
	_, err = client.Dial(context.Background(), cfg)
	var pe *client.ProblemError
	if !errors.As(err, &pe) || pe.Status != http.StatusForbidden || !strings.Contains(pe.Detail, "revoked") {
		t.Fatalf("a new handshake after the revocation: %v, want 403 revoked", err)
	}
}

func TestADeviceRevokedWhileItsSessionIsLiveHasItsNextFetchRefused(t *testing.T) {
	bed := testbed.New(t, testbed.Options{ChunkSize: testChunk})
	id := bed.AddMedia(t, "Revoked mid-play", randomMedia(t, 6*testChunk))
	ctx := context.Background()
	cfg := bed.ClientConfig(t)
	c := bed.Dial(t, cfg)
	other := bed.ClientConfig(t)
	other.Protocol.Certificate, other.Protocol.PrivateKey = newDevice(t, bed)
	o := bed.Dial(t, other)
	defer o.Close(ctx)

	playRevokedAt(t, c, cfg, id, nil, func() { revokeDevice(t, bed) })
	if _, err := o.Catalog(ctx); err != nil {
		t.Fatalf("the session of a device that was not revoked: %v", err)
	}
	if est, _ := bed.Server.Sessions(); est != 1 {
		t.Fatalf("%d live sessions, want only the other device's", est)
	}
}

func TestAUserCardRevokedWhileItsSessionIsLiveHasItsNextFetchRefused(t *testing.T) {
	bed := testbed.New(t, testbed.Options{ChunkSize: testChunk, Users: &testbed.UsersOptions{}})
	id := bed.AddMedia(t, "Card revoked mid-play", randomMedia(t, 6*testChunk))
	ctx := context.Background()
	cfg := bed.ClientConfig(t)
	c := bed.Dial(t, cfg)
	g, err := c.StartPlay(ctx, mediaID(t, id))
	if err != nil {
		t.Fatal(err)
	}
	u := bed.Users
	second := u.NewCard(t, provision.DemoCardOptions{SerialNumber: "BI200000009", HolderName: "Rui Outro"})
	u.Register(t, second)
	o := bed.Dial(t, u.ClientConfig(t, u.OpenCard(t, second)))
	defer o.Close(ctx)

	playRevokedAt(t, c, cfg, id, g.Grant, func() { u.Revoke(t, u.Card.UserCert) })
	if _, err := o.Catalog(ctx); err != nil {
		t.Fatalf("the session of a user whose card was not revoked: %v", err)
	}
}

func TestABrowserSessionOutlivesACRLReloadItsRegistryIsItsTrust(t *testing.T) {
	bed := browserBed(t, nil, nil)
	v := registerViewer(t, bed, "Alice Martin")
	ctx := context.Background()
	c := bed.Dial(t, v.config(t, bed))
	defer c.Close(ctx)
	revokeDevice(t, bed) // a PKI device, not this one; the reload checks every session
	if _, err := c.Catalog(ctx); err != nil {
		t.Fatalf("a browser viewer's session after a CRL reload: %v", err)
	}
}
