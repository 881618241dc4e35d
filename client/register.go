package client

import (
	"context"
	"fmt"

	"securemedia/message"
)

// The registration of a browser viewer (DESIGN.md §11,
// message/register.go), in a session of a new browser device without a
// user: the creation options of an invite, then the credential the
// authenticator made with them. The browser's page does the same in
// TypeScript; these serve Go tools and tests.

// RegisterOptions returns the WebAuthn creation options of invite, as the
// JSON of PublicKeyCredentialCreationOptions. A refused invite is a
// *StatusError.
func (c *Conn) RegisterOptions(ctx context.Context, invite string) ([]byte, error) {
	r, err := c.call(ctx, message.OpRegisterOptions, (&message.RegisterOptionsRequest{Invite: invite}).Marshal())
	if err != nil {
		return nil, err
	}
	o, err := message.ParseRegisterOptionsResponse(r.Body)
	if err != nil {
		return nil, c.fatal(fmt.Errorf("register-options: %w", err))
	}
	return o.Options, nil
}

// Register registers credential, the JSON of PublicKeyCredential.toJSON()
// made with the options of invite, under the display name (empty: the
// invite's), and binds this session's device to the new viewer. The
// answer names them; log in with a new connection.
func (c *Conn) Register(ctx context.Context, invite string, credential []byte, name string) (*message.RegisterResponse, error) {
	r, err := c.call(ctx, message.OpRegister, (&message.RegisterRequest{Invite: invite, Credential: credential, Name: name}).Marshal())
	if err != nil {
		return nil, err
	}
	reg, err := message.ParseRegisterResponse(r.Body)
	if err != nil {
		return nil, c.fatal(fmt.Errorf("register: %w", err))
	}
	return reg, nil
}
