package deploy

import (
	"context"
	"time"

	"securemedia/client"
	"securemedia/internal/config"
	"securemedia/token"
)

// closeTimeout bounds the authenticated close of a viewer's session.
const closeTimeout = 3 * time.Second

// Viewer is a connected viewer: the session, the configuration and client
// setup it came from, and the identity card that logged in.
type Viewer struct {
	Conn   *client.Conn
	Config *config.Client
	Setup  *Client
	// Card is the token that logged in; nil when client.toml has no [token].
	Card token.Authenticator
}

// Connect connects the viewer c describes: it opens the identity card of
// [token] (its PIN from pinFile, PINEnv, [token] pin_file or a prompt),
// assembles the client (NewClient, with o; o.User is set here) and runs the
// handshake. A failed handshake is a *DialError. The caller closes the
// viewer.
func Connect(ctx context.Context, c *config.Client, pinFile string, o ClientOptions) (*Viewer, error) {
	v := &Viewer{Config: c}
	if c.Token.Configured() {
		card, err := OpenUserToken(c, pinFile)
		if err != nil {
			return nil, err
		}
		v.Card, o.User = card, card
	}
	fail := func(err error) (*Viewer, error) {
		if v.Card != nil {
			_ = v.Card.Close()
		}
		return nil, err
	}
	var err error
	if v.Setup, err = NewClient(ctx, c, o); err != nil {
		return fail(err)
	}
	if v.Conn, err = client.Dial(ctx, v.Setup.Config); err != nil {
		return fail(&DialError{Server: v.Setup.Config.Server, File: c.File(), TLSRoots: len(c.TLS.Roots) > 0, Err: err})
	}
	return v, nil
}

// Close ends the session on the server, with a deadline of its own so
// that it is sent even when the command's context was cancelled (Ctrl-C),
// and releases the card.
func (v *Viewer) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
	defer cancel()
	_ = v.Conn.Close(ctx)
	if v.Card != nil {
		_ = v.Card.Close()
	}
}

// DialError is a handshake with Server that failed.
type DialError struct {
	Server string
	// File is the client.toml; TLSRoots says whether its [tls] roots are
	// set (the system's roots verify an https:// server otherwise).
	File     string
	TLSRoots bool
	Err      error
}

func (e *DialError) Error() string { return e.Err.Error() }
func (e *DialError) Unwrap() error { return e.Err }
