package server_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"securemedia/client"
	"securemedia/internal/syncbuf"
	"securemedia/internal/testbed"
	"securemedia/internal/webauthntest"
	"securemedia/license"
	"securemedia/message"
	"securemedia/protocol"
	"securemedia/server"
)

// Browser viewers (DESIGN.md §11) over real HTTP: a software authenticator
// (ECDSA P-256, COSE key, attestation "none") and a browser device key
// with its self-signed certificate, driven by the Go client as the page
// drives the TypeScript one.

// clock is a settable clock that starts at the real time (the PKI checks
// certificates against the real one).
type clock struct {
	mu  sync.Mutex
	off time.Duration
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.off)
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.off += d
}

func browserBed(t *testing.T, now func() time.Time, log io.Writer) *testbed.Bed {
	return testbed.New(t, testbed.Options{ChunkSize: testChunk, Users: &testbed.UsersOptions{Web: true, Now: now}, Log: log})
}

// viewer is a registered browser viewer.
type viewer struct {
	device *testbed.BrowserDevice
	auth   *webauthntest.Authenticator
	user   string
}

func registerViewer(t *testing.T, bed *testbed.Bed, name string) viewer {
	t.Helper()
	v := viewer{device: testbed.NewBrowserDevice(t), auth: testbed.NewAuthenticator(t)}
	var err error
	if v.user, err = bed.RegisterBrowser(t, v.device, v.auth, bed.Users.Invite(t, name, 24*time.Hour), ""); err != nil {
		t.Fatalf("register: %v", err)
	}
	return v
}

func (v viewer) config(t *testing.T, bed *testbed.Bed) client.Config {
	return bed.BrowserConfig(t, v.device, v.auth, v.user)
}

func statusOf(err error) (message.Status, string) {
	var se *client.StatusError
	if errors.As(err, &se) {
		return se.Status, se.Message
	}
	return 255, ""
}

func TestABrowserViewerRegistersWithAnInviteThenLogsInWithWebAuthnAndPlays(t *testing.T) {
	log := &syncbuf.Buffer{}
	bed := browserBed(t, nil, log)
	data := randomMedia(t, 3*testChunk+5)
	id := bed.AddMedia(t, "Sunny Afternoon", data)
	ctx := context.Background()
	invite := bed.Users.Invite(t, "Alice Martin", 24*time.Hour)
	device, auth := testbed.NewBrowserDevice(t), testbed.NewAuthenticator(t)

	// The registration session: a new device without a user may only
	// register.
	reg := bed.Dial(t, bed.BrowserConfig(t, device, nil, ""))
	if _, err := reg.Catalog(ctx); !strings.Contains(fmtStatus(err), "forbidden: login required") {
		t.Fatalf("catalog in a registration session: %v", err)
	}
	options, err := reg.RegisterOptions(ctx, invite)
	if err != nil {
		t.Fatal(err)
	}
	var o struct {
		RP               struct{ ID, Name string }
		User             struct{ ID, Name, DisplayName string }
		Challenge        string
		PubKeyCredParams []struct {
			Type string
			Alg  int
		}
		ExcludeCredentials []any
		Attestation        string
		Timeout            int
	}
	if err := json.Unmarshal(options, &o); err != nil {
		t.Fatalf("options %s: %v", options, err)
	}
	handle, _ := base64.RawURLEncoding.DecodeString(o.User.ID)
	challenge, _ := base64.RawURLEncoding.DecodeString(o.Challenge)
	if o.RP.ID != testbed.WebRPID || o.Attestation != "none" || len(o.PubKeyCredParams) != 2 || o.PubKeyCredParams[0].Alg != -7 ||
		o.PubKeyCredParams[1].Alg != -257 || len(o.ExcludeCredentials) != 0 || len(handle) != 32 || len(challenge) < 16 ||
		o.User.DisplayName != "Alice Martin" || o.Timeout <= 0 {
		t.Fatalf("creation options %s", options)
	}
	cred, err := auth.Register(options)
	if err != nil {
		t.Fatal(err)
	}
	r, err := reg.Register(ctx, invite, cred, "")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(r.User, license.WebUserPrefix) || len(r.User) != 20 || r.Name != "Alice Martin" {
		t.Fatalf("registered %+v", r)
	}
	if _, err := reg.Catalog(ctx); err == nil {
		t.Fatal("the registration session logged in by registering")
	}
	reg.Close(ctx)
	u, err := bed.Users.Store.GetUser(ctx, r.User)
	if err != nil || !u.Browser() || u.Name != "Alice Martin" {
		t.Fatalf("the store holds %+v, %v", u, err)
	}
	if d, err := bed.Users.Store.GetDevice(ctx, device.Name); err != nil || d.UserID != r.User {
		t.Fatalf("the device is bound to %+v, %v", d, err)
	}

	// The login: a fresh handshake with a WebAuthn assertion over its
	// transcript, from the registered device; then the catalog and a play
	// as that user.
	conn := bed.Dial(t, bed.BrowserConfig(t, device, auth, r.User))
	defer conn.Close(ctx)
	items, err := conn.Catalog(ctx)
	if err != nil || len(items) != 1 {
		t.Fatalf("catalog: %v", err)
	}
	var sink bytes.Buffer
	if _, err := conn.PlayWithLicense(ctx, mediaID(t, id), client.ToWriter(&sink), client.PlayOptions{}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(sink.Bytes(), data) {
		t.Fatal("the play delivered other bytes")
	}
	l, err := bed.Users.Store.Find(ctx, r.User, id)
	if err != nil || l.ViewsUsed != 1 {
		t.Fatalf("the viewer's license: %+v, %v", l, err)
	}
	plays, err := bed.Users.Store.ListPlays(ctx, license.PlayFilter{UserID: r.User})
	if err != nil || len(plays) != 1 || plays[0].Device != device.Name {
		t.Fatalf("the play names device %v, want %s (%v)", plays, device.Name, err)
	}
	if c, err := bed.Users.Store.GetWebAuthnCredential(ctx, auth.ID); err != nil || c.SignCount != auth.Counter || c.LastUsedAt.IsZero() {
		t.Fatalf("the credential after the login: %+v, %v", c, err)
	}

	// Nothing of the viewer, the invite or the credential in the log at
	// info level (DESIGN.md §2, 1).
	for _, line := range strings.Split(log.String(), "\n") {
		if !strings.Contains(line, "level=INFO") && !strings.Contains(line, "level=WARN") && !strings.Contains(line, "level=ERROR") {
			continue
		}
		for name, needle := range map[string]string{"user id": r.User, "user name": "Alice", "invite code": invite,
			"credential id": base64.RawURLEncoding.EncodeToString(auth.ID), "credential id (hex)": hex.EncodeToString(auth.ID)} {
			if strings.Contains(line, needle) {
				t.Errorf("the %s is in the log at info level: %s", name, line)
			}
		}
	}
}

func fmtStatus(err error) string {
	st, msg := statusOf(err)
	return st.String() + ": " + msg
}

func TestNothingOfABrowserRegistrationOrLoginIsInClearOnTheWire(t *testing.T) {
	bed := browserBed(t, nil, nil)
	tap := testbed.NewWiretap(t, strings.TrimPrefix(bed.URL, "http://"))
	bed.URL = "http://" + tap.Addr
	invite := bed.Users.Invite(t, "Zoë Secret-Name", time.Hour)
	v := viewer{device: testbed.NewBrowserDevice(t), auth: testbed.NewAuthenticator(t)}
	var err error
	if v.user, err = bed.RegisterBrowser(t, v.device, v.auth, invite, ""); err != nil {
		t.Fatal(err)
	}
	c := bed.Dial(t, v.config(t, bed))
	if _, err := c.Catalog(context.Background()); err != nil {
		t.Fatal(err)
	}
	c.Close(context.Background())
	wire := tap.Bytes()
	pub, _ := v.auth.COSEKey()
	for name, needle := range map[string][]byte{
		"invite code":           []byte(invite),
		"user id":               []byte(v.user),
		"user name":             []byte("Secret-Name"),
		"credential id":         v.auth.ID,
		"credential id (b64)":   []byte(base64.RawURLEncoding.EncodeToString(v.auth.ID)),
		"credential public key": pub,
		"device certificate":    v.device.Chain[0][len(v.device.Chain[0])-64:],
		"origin":                []byte(testbed.WebOrigin),
		"client data":           []byte("webauthn.get"),
	} {
		if bytes.Contains(wire, needle) {
			t.Errorf("the %s appears on the wire", name)
		}
	}
	if len(wire) < 2000 {
		t.Fatalf("recorded only %d bytes", len(wire))
	}
}

// refused dials with cfg and returns the 403 problem's detail.
func refused(t *testing.T, bed *testbed.Bed, cfg client.Config) string {
	t.Helper()
	before, _ := bed.Server.Sessions()
	pe := refusal(t, cfg)
	if pe.Status != 403 {
		t.Fatalf("got %v, want 403", pe)
	}
	if after, _ := bed.Server.Sessions(); after != before {
		t.Fatalf("%d sessions established by a refused login", after-before)
	}
	return pe.Detail
}

func TestWebAuthnLoginsThatMustFailAreRefused(t *testing.T) {
	bed := browserBed(t, nil, nil)
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		cfg  func(t *testing.T) client.Config
		want string
	}{
		{"a login from a self-signed device that is not registered", func(t *testing.T) client.Config {
			v := registerViewer(t, bed, "")
			return bed.BrowserConfig(t, testbed.NewBrowserDevice(t), v.auth, v.user)
		}, "browser device not registered for this user"},
		{"a registered device logging in as another user", func(t *testing.T) client.Config {
			a, b := registerViewer(t, bed, ""), registerViewer(t, bed, "")
			return bed.BrowserConfig(t, a.device, b.auth, b.user)
		}, "browser device not registered for this user"},
		{"an assertion of another session, replayed", func(t *testing.T) client.Config {
			v := registerViewer(t, bed, "")
			cfg := v.config(t, bed)
			assert := cfg.Protocol.WebAuthn
			var captured *protocol.WebAuthnAssertion
			cfg.Protocol.WebAuthn = func(challenge []byte) (*protocol.WebAuthnAssertion, error) {
				if captured != nil {
					return captured, nil // what an attacker who saw it would send
				}
				a, err := assert(challenge)
				captured = a
				return a, err
			}
			c := bed.Dial(t, cfg) // the session whose assertion is captured
			c.Close(ctx)
			return cfg
		}, "user authentication refused"},
		{"client data of another origin", func(t *testing.T) client.Config {
			v := registerViewer(t, bed, "")
			v.auth.Origin = "http://localhost.evil.example:8443"
			return v.config(t, bed)
		}, "user authentication refused"},
		{"authenticator data of another RP ID", func(t *testing.T) client.Config {
			v := registerViewer(t, bed, "")
			v.auth.RPID = "evil.example"
			return v.config(t, bed)
		}, "user authentication refused"},
		{"a signature counter going back", func(t *testing.T) client.Config {
			v := registerViewer(t, bed, "")
			for range 2 {
				c := bed.Dial(t, v.config(t, bed))
				c.Close(ctx)
			}
			v.auth.Counter = 0 // the next assertion says 1, the store has 2
			return v.config(t, bed)
		}, "user authentication refused"},
		{"an assertion without user presence", func(t *testing.T) client.Config {
			v := registerViewer(t, bed, "")
			v.auth.Flags = webauthntest.FlagUserVerified
			return v.config(t, bed)
		}, "user authentication refused"},
		{"an unknown credential", func(t *testing.T) client.Config {
			v := registerViewer(t, bed, "")
			v.auth.ID = []byte("a credential nobody registered")
			return v.config(t, bed)
		}, "user authentication refused"},
		{"a removed device", func(t *testing.T) client.Config {
			v := registerViewer(t, bed, "")
			if _, err := bed.Users.Store.RemoveDevice(ctx, v.device.Name, time.Now()); err != nil {
				t.Fatal(err)
			}
			return v.config(t, bed)
		}, "browser device removed"},
		{"a disabled user", func(t *testing.T) client.Config {
			v := registerViewer(t, bed, "")
			if err := bed.Users.Store.SetUserDisabled(ctx, v.user, true, time.Now()); err != nil {
				t.Fatal(err)
			}
			return v.config(t, bed)
		}, "user disabled"},
		{"a browser device with an identity card", func(t *testing.T) client.Config {
			v := registerViewer(t, bed, "")
			cfg := bed.BrowserConfig(t, v.device, nil, "")
			cfg.Protocol.User = client.UserCredentials(bed.Users.Auth)
			return cfg
		}, "a browser device logs in with WebAuthn, not a card"},
		{"a PKI device without a card, on a server that requires users", func(t *testing.T) client.Config {
			cfg := bed.ClientConfig(t)
			cfg.Protocol.User = nil
			return cfg
		}, "user authentication required"},
		{"a PKI device with a WebAuthn login", func(t *testing.T) client.Config {
			v := registerViewer(t, bed, "")
			cfg := v.config(t, bed)
			pki := bed.ClientConfig(t)
			cfg.Protocol.Certificate, cfg.Protocol.PrivateKey = pki.Protocol.Certificate, pki.Protocol.PrivateKey
			return cfg
		}, "browser device not registered for this user"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := tc.cfg(t)
			if got := refused(t, bed, cfg); got != tc.want {
				t.Fatalf("refused with %q, want %q", got, tc.want)
			}
		})
	}
	t.Run("a viewer still logs in after all that", func(t *testing.T) {
		v := registerViewer(t, bed, "")
		c := bed.Dial(t, v.config(t, bed))
		defer c.Close(ctx)
		if _, err := c.Catalog(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

func TestAnInviteRegistersOnceAndExpires(t *testing.T) {
	clk := &clock{}
	bed := browserBed(t, clk.Now, nil)
	ctx := context.Background()
	invite := bed.Users.Invite(t, "", time.Hour)
	first, second := testbed.NewBrowserDevice(t), testbed.NewBrowserDevice(t)
	// Two browsers ask for the options of one invite; the first to
	// register wins.
	dial := func(d *testbed.BrowserDevice) *client.Conn { return bed.Dial(t, bed.BrowserConfig(t, d, nil, "")) }
	c1, c2 := dial(first), dial(second)
	defer c1.Close(ctx)
	defer c2.Close(ctx)
	o1, err := c1.RegisterOptions(ctx, invite)
	if err != nil {
		t.Fatal(err)
	}
	o2, err := c2.RegisterOptions(ctx, invite)
	if err != nil {
		t.Fatal(err)
	}
	a1, a2 := testbed.NewAuthenticator(t), testbed.NewAuthenticator(t)
	cred1, _ := a1.Register(o1)
	cred2, _ := a2.Register(o2)
	if _, err := c1.Register(ctx, invite, cred1, "First"); err != nil {
		t.Fatal(err)
	}
	if _, err := c2.Register(ctx, invite, cred2, "Second"); fmtStatus(err) != "forbidden: this invite was used already" {
		t.Fatalf("a second registration with the invite: %v", err)
	}
	if _, err := c2.RegisterOptions(ctx, invite); fmtStatus(err) != "forbidden: this invite was used already" {
		t.Fatalf("options of a used invite: %v", err)
	}
	// A device that registered registers nobody else.
	other := bed.Users.Invite(t, "", time.Hour)
	o, err := c1.RegisterOptions(ctx, other)
	if err != nil {
		t.Fatal(err)
	}
	cred, _ := testbed.NewAuthenticator(t).Register(o)
	if _, err := c1.Register(ctx, other, cred, ""); fmtStatus(err) != "forbidden: this browser device is registered already: log in" {
		t.Fatalf("a second registration of a device: %v", err)
	}
	// An invite expires; an unknown code is refused; options from another
	// invite do not serve this one; a credential made for other options
	// does not verify.
	short := bed.Users.Invite(t, "", time.Minute)
	c3 := dial(testbed.NewBrowserDevice(t))
	defer c3.Close(ctx)
	o3, err := c3.RegisterOptions(ctx, short)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c3.RegisterOptions(ctx, "nosuchcode"); fmtStatus(err) != "forbidden: unknown invite code" {
		t.Fatalf("an unknown code: %v", err)
	}
	cred3, _ := testbed.NewAuthenticator(t).Register(o3)
	if _, err := c3.RegisterOptions(ctx, bed.Users.Invite(t, "", time.Hour)); err != nil { // replaces the options of short
		t.Fatal(err)
	}
	if _, err := c3.Register(ctx, short, cred3, ""); fmtStatus(err) != "forbidden: ask for the registration options of this invite first (they last a few minutes)" {
		t.Fatalf("a register after the options of another invite: %v", err)
	}
	o3, _ = c3.RegisterOptions(ctx, short)
	if _, err := c3.Register(ctx, short, cred3, ""); fmtStatus(err) != "bad request: the credential did not verify" {
		t.Fatalf("a credential made for other options: %v", err)
	}
	// Options asked in time, a credential registered too late.
	o3, _ = c3.RegisterOptions(ctx, short)
	cred3, _ = testbed.NewAuthenticator(t).Register(o3)
	clk.Advance(2 * time.Minute)
	if _, err := c3.Register(ctx, short, cred3, ""); fmtStatus(err) != "forbidden: this invite has expired: ask for a new one" {
		t.Fatalf("a register after the invite expired: %v", err)
	}
	if _, err := c3.RegisterOptions(ctx, short); fmtStatus(err) != "forbidden: this invite has expired: ask for a new one" {
		t.Fatalf("options of an expired invite: %v", err)
	}
	// A logged-in session, a card holder's, does not register.
	card := bed.Dial(t, bed.ClientConfig(t))
	defer card.Close(ctx)
	if _, err := card.RegisterOptions(ctx, other); fmtStatus(err) != "forbidden: registration needs a session of a new browser device, without a user" {
		t.Fatalf("register-options from a card session: %v", err)
	}
	users, _ := bed.Users.Store.ListUsers(ctx)
	if len(users) != 2 { // the card holder and First
		t.Fatalf("%d users, want the card holder and one viewer", len(users))
	}
}

func TestDisablingAViewerOrRemovingTheirDeviceEndsTheirSessionAtTheNextFetch(t *testing.T) {
	bed := browserBed(t, nil, nil)
	id := bed.AddMedia(t, "Lola", randomMedia(t, 4*testChunk))
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		stop func(v viewer) error
		want string
	}{
		{"user disable", func(v viewer) error { return bed.Users.Store.SetUserDisabled(ctx, v.user, true, time.Now()) }, "user disabled"},
		{"device removal", func(v viewer) error {
			_, err := bed.Users.Store.RemoveDevice(ctx, v.device.Name, time.Now())
			return err
		},
			"browser device removed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := registerViewer(t, bed, "")
			c := bed.Dial(t, v.config(t, bed))
			defer c.Close(ctx)
			g, err := c.StartPlay(ctx, mediaID(t, id))
			if err != nil {
				t.Fatal(err)
			}
			before, _ := bed.Server.Sessions()
			stop := func(st client.PlayStats) {
				if st.Chunks == 1 {
					if err := tc.stop(v); err != nil {
						t.Error(err)
					}
				}
			}
			var sink bytes.Buffer
			st, err := c.Play(ctx, mediaID(t, id), &sink, client.PlayOptions{ChunksPerRequest: 1, Grant: g.Grant, Progress: stop})
			if s, msg := statusOf(err); s != message.StatusForbidden || msg != tc.want || st.Chunks != 1 {
				t.Fatalf("after %d chunks: %v, want forbidden: %s after one", st.Chunks, err, tc.want)
			}
			if after, _ := bed.Server.Sessions(); after != before-1 {
				t.Fatalf("%d sessions after the refusal, want %d: the session goes on", after, before-1)
			}
			if _, err := c.Catalog(ctx); err == nil {
				t.Fatal("the session still answers")
			}
			if got := refused(t, bed, v.config(t, bed)); got != tc.want {
				t.Fatalf("the next login: %q, want %q", got, tc.want)
			}
		})
	}
}

func TestAServerThatRequiresUserVerificationRefusesAMereTouch(t *testing.T) {
	bed := testbed.New(t, testbed.Options{ChunkSize: testChunk, Users: &testbed.UsersOptions{Web: true},
		Server: func(c *server.Config) { c.Web.RequireUserVerification = true }})
	touch := testbed.NewAuthenticator(t)
	touch.Flags = webauthntest.FlagUserPresent
	if _, err := bed.RegisterBrowser(t, testbed.NewBrowserDevice(t), touch, bed.Users.Invite(t, "", time.Hour), ""); fmtStatus(err) != "bad request: the credential did not verify" {
		t.Fatalf("a registration without user verification: %v", err)
	}
	v := registerViewer(t, bed, "")
	c := bed.Dial(t, v.config(t, bed))
	c.Close(context.Background())
	v.auth.Flags = webauthntest.FlagUserPresent
	if got := refused(t, bed, v.config(t, bed)); got != "user authentication refused" {
		t.Fatalf("a login without user verification: %q", got)
	}
}
