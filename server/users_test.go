package server_test

import (
	"bytes"
	"context"
	"crypto"
	"errors"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"securemedia/client"
	"securemedia/content"
	"securemedia/internal/syncbuf"
	"securemedia/internal/testbed"
	"securemedia/token"
	"securemedia/token/provision"
)

func userBed(t *testing.T, o testbed.UsersOptions, log io.Writer) *testbed.Bed {
	return testbed.New(t, testbed.Options{ChunkSize: testChunk, Users: &o, Log: log})
}

// refusal dials with cfg and returns the problem the server answered.
func refusal(t *testing.T, cfg client.Config) *client.ProblemError {
	t.Helper()
	c, err := client.Dial(context.Background(), cfg)
	if err == nil {
		c.Close(context.Background())
		t.Fatal("the handshake succeeded")
	}
	var pe *client.ProblemError
	if !errors.As(err, &pe) {
		t.Fatalf("err = %v, want a problem document", err)
	}
	return pe
}

func TestARegistryThatDoesNotAnswerIsAnOutageToRetryNotARefusedCertificate(t *testing.T) {
	bed := userBed(t, testbed.UsersOptions{}, nil)
	bed.Users.Store.Close() // the registry is unreachable
	cfg := bed.ClientConfig(t)
	cfg.Backoff = client.Backoff{Attempts: 1}
	pe := refusal(t, cfg)
	if pe.Status != http.StatusServiceUnavailable || pe.RetryAfter <= 0 || !strings.Contains(pe.Detail, "registry") {
		t.Fatalf("%d %q Retry-After %v, want 503 with Retry-After: the registry did not answer", pe.Status, pe.Detail, pe.RetryAfter)
	}
}

func TestAUserLogsInOverHTTPAndTheirIdentityIsLogged(t *testing.T) {
	log := &syncbuf.Buffer{}
	bed := userBed(t, testbed.UsersOptions{}, log)
	c := bed.Dial(t, bed.ClientConfig(t))
	defer c.Close(context.Background())
	if _, err := c.Catalog(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(log.String(), "session established") || !strings.Contains(log.String(), "user=BI100000001") {
		t.Fatalf("the server log does not name the user:\n%s", log)
	}
}

func TestAServerWithUsersRefusesASessionWithoutOne(t *testing.T) {
	bed := userBed(t, testbed.UsersOptions{}, nil)
	cfg := bed.ClientConfig(t)
	cfg.Protocol.User = nil
	if pe := refusal(t, cfg); pe.Status != 403 || !strings.Contains(pe.Detail, "user authentication required") {
		t.Fatalf("got %v", pe)
	}
}

func TestUsersAreRefusedWithTheReasonInTheProblem(t *testing.T) {
	bed := userBed(t, testbed.UsersOptions{}, nil)
	u := bed.Users
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		card func(t *testing.T) *provision.DemoCard
		want string
	}{
		{"an unregistered user is refused", func(t *testing.T) *provision.DemoCard {
			return u.NewCard(t, provision.DemoCardOptions{SerialNumber: "BI200000002"})
		}, "user not registered"},
		{"a disabled user is refused", func(t *testing.T) *provision.DemoCard {
			card := u.NewCard(t, provision.DemoCardOptions{SerialNumber: "BI200000003"})
			u.Register(t, card)
			if err := u.Store.SetUserDisabled(ctx, card.SerialNumber, true, time.Now()); err != nil {
				t.Fatal(err)
			}
			return card
		}, "user disabled"},
		{"a revoked card is refused", func(t *testing.T) *provision.DemoCard {
			card := u.NewCard(t, provision.DemoCardOptions{SerialNumber: "BI200000004"})
			u.Register(t, card)
			u.Revoke(t, card.UserCert)
			return card
		}, "certificate revoked"},
		{"an expired card is refused", func(t *testing.T) *provision.DemoCard {
			card := u.NewCard(t, provision.DemoCardOptions{SerialNumber: "BI200000005",
				NotBefore: time.Now().Add(-48 * time.Hour), Validity: 24 * time.Hour})
			u.Register(t, card)
			return card
		}, "certificate expired"},
		{"a re-issued card under a registered id is refused until registered", func(t *testing.T) *provision.DemoCard {
			return u.NewCard(t, provision.DemoCardOptions{SerialNumber: u.Card.SerialNumber})
		}, "not the registered one"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			card := tc.card(t)
			pe := refusal(t, u.ClientConfig(t, u.OpenCard(t, card)))
			if pe.Status != 403 || !strings.Contains(pe.Detail, tc.want) {
				t.Fatalf("got %v, want 403 with %q", pe, tc.want)
			}
			if strings.Contains(pe.Detail, card.SerialNumber) {
				t.Fatal("the clear-text problem names the user")
			}
		})
	}
	if est, _ := bed.Server.Sessions(); est != 0 {
		t.Fatalf("%d sessions established by refused users", est)
	}
}

// replaySigner returns the first signature it ever made, as an attacker
// who captured it would send it.
type replaySigner struct {
	crypto.Signer
	mu    sync.Mutex
	first []byte
}

func (s *replaySigner) Sign(r io.Reader, d []byte, o crypto.SignerOpts) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.first != nil {
		return s.first, nil
	}
	sig, err := s.Signer.Sign(r, d, o)
	s.first = sig
	return sig, err
}

func TestAUserSignatureReplayedIntoAnotherSessionIsRefused(t *testing.T) {
	bed := userBed(t, testbed.UsersOptions{}, nil)
	cfg := bed.ClientConfig(t)
	cfg.Protocol.User.Signer = &replaySigner{Signer: cfg.Protocol.User.Signer}
	c := bed.Dial(t, cfg)
	c.Close(context.Background())
	if pe := refusal(t, cfg); pe.Status != 403 {
		t.Fatalf("replayed signature: got %v", pe)
	}
	if est, _ := bed.Server.Sessions(); est != 0 {
		t.Fatalf("%d sessions established", est)
	}
}

func TestAWrongPINGivesAClearErrorAndNoSession(t *testing.T) {
	bed := userBed(t, testbed.UsersOptions{SoftHSM: true}, nil)
	card := bed.Users.Card
	// PKCS#11 logs in per process: close the bed's session so that the
	// PIN is asked again.
	if err := bed.Users.Auth.Close(); err != nil {
		t.Fatal(err)
	}
	cfg := card.Config()
	cfg.PIN = func() ([]byte, error) { return []byte("000000"), nil }
	s, err := token.Open(cfg)
	if err == nil {
		s.Close()
		t.Fatal("a wrong PIN opened the card")
	}
	if !errors.Is(err, token.ErrWrongPIN) || !strings.Contains(err.Error(), "PIN") {
		t.Fatalf("err = %v, want a clear wrong-PIN error", err)
	}
	if est, half := bed.Server.Sessions(); est+half != 0 {
		t.Fatalf("%d sessions after a wrong PIN", est+half)
	}
	// The right PIN still logs in.
	s, err = token.Open(card.Config())
	if err != nil {
		t.Fatalf("the right PIN after a wrong one: %v", err)
	}
	defer s.Close()
	c := bed.Dial(t, bed.Users.ClientConfig(t, s))
	c.Close(context.Background())
}

func TestAnIdentityCardThatDisappearsFailsTheNextLoginCleanly(t *testing.T) {
	bed := userBed(t, testbed.UsersOptions{SoftHSM: true}, nil)
	id := bed.AddMedia(t, "Sunny Afternoon", randomMedia(t, 3*testChunk))
	cfg := bed.ClientConfig(t)
	c := bed.Dial(t, cfg)
	defer c.Close(context.Background())
	if err := os.RemoveAll(bed.Users.Card.TokenDir); err != nil {
		t.Fatal(err)
	}
	_, err := client.Dial(context.Background(), cfg)
	if !errors.Is(err, token.ErrTokenRemoved) {
		t.Fatalf("login with the card gone: err = %v, want ErrTokenRemoved", err)
	}
	// The established session does not depend on the card.
	mid, _ := content.ParseID(id)
	var sink bytes.Buffer
	if _, err := c.PlayWithLicense(context.Background(), mid, client.ToWriter(&sink), client.PlayOptions{}); err != nil {
		t.Fatalf("the established session stopped working: %v", err)
	}
	if err := bed.Users.Auth.Close(); err != nil {
		t.Fatalf("closing the removed card: %v", err)
	}
	if err := os.MkdirAll(bed.Users.Card.TokenDir, 0o700); err != nil {
		t.Fatal(err)
	}
	if est, _ := bed.Server.Sessions(); est != 1 {
		t.Fatalf("%d established sessions, want only the first", est)
	}
}
