package benchmark

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"securemedia/internal/config"
	"securemedia/internal/deploy"
	"securemedia/media"
)

// workspaceArgon2 are the master-key costs of the throwaway workspace:
// the store's key derivation runs once at start and is not what is
// measured, so it is kept cheap.
func workspaceArgon2() *media.Argon2Params {
	return &media.Argon2Params{Time: 1, Memory: 8 << 10, Threads: 1}
}

// NewWorkspace creates a throwaway workspace in dir, an empty directory
// (deploy.InitWorkspace with a software identity card and cheap
// Argon2id), and opens it as the server and the client would: the
// Deployment that Run measures, with the identity card opened. Close it,
// then remove dir.
func NewWorkspace(ctx context.Context, dir string) (*Deployment, error) {
	// The software card writes into an existing directory only.
	if err := os.MkdirAll(filepath.Join(dir, deploy.TokenDir), 0o700); err != nil {
		return nil, err
	}
	ws, err := deploy.InitWorkspace(ctx, deploy.InitOptions{Dir: dir, SoftwareToken: true, Argon2: workspaceArgon2()}, io.Discard)
	if err != nil {
		return nil, fmt.Errorf("bench workspace: %w", err)
	}
	d := &Deployment{}
	if d.Server, err = config.LoadServer(ws.ServerConfig); err != nil {
		return nil, err
	}
	if d.Client, err = config.LoadClient(ws.ClientConfig); err != nil {
		return nil, err
	}
	if d.Store, err = deploy.OpenMediaStore(d.Server, deploy.StoreOptions{WithSigner: true, Argon2: workspaceArgon2()}); err != nil {
		return nil, err
	}
	if d.Client.Token.Configured() {
		if d.User, err = deploy.OpenUserToken(d.Client, ""); err != nil {
			return nil, fmt.Errorf("bench identity card: %w", err)
		}
	}
	return d, nil
}

// Close releases the identity card NewWorkspace opened.
func (d *Deployment) Close() error {
	if d.User != nil {
		return d.User.Close()
	}
	return nil
}
