package benchmark

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"

	"securemedia/client"
	"securemedia/internal/config"
	"securemedia/internal/deploy"
	"securemedia/media"
	"securemedia/protocol"
	"securemedia/token"
)

// Deployment is what Run measures: a workspace's server and client
// configuration, the server's media store opened with the content-signing
// key (Run adds the benchmark items to it), and the viewer's opened token
// (identity card) that logs in with every handshake.
type Deployment struct {
	Server *config.Server
	Client *config.Client
	Store  *media.Store
	// User is the viewer's token; nil when the server requires no user.
	User token.Authenticator
}

// runningServer is the securemedia server of a run, on a loopback port.
type runningServer struct {
	url   string
	setup *deploy.Server
	stop  context.CancelFunc
	done  chan error
}

// serverMode says how much of the server's configuration is wired.
type serverMode int

const (
	// asConfigured is the server as `securemedia server` runs it: users
	// (identity cards) and licenses as server.toml says.
	asConfigured serverMode = iota
	// deviceOnly authenticates the client device and nothing else, and
	// enforces no license: the same work as mutual TLS, for the handshake
	// comparison with the same key types.
	deviceOnly
)

// startServer wires the server as `securemedia server` does
// (deploy.NewServer, then Serve) on a free loopback port.
func startServer(ctx context.Context, d Deployment, mode serverMode) (*runningServer, error) {
	st, err := deploy.NewServer(d.Server, d.Store, deploy.ServerOptions{})
	if err != nil {
		return nil, fmt.Errorf("server configuration: %w", err)
	}
	if mode == deviceOnly {
		pc := *st.Config.Protocol
		pc.RequireUser, pc.VerifyUser = false, nil
		st.Config.Protocol = &pc
		st.Config.Licenses = nil
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		st.Close()
		return nil, err
	}
	sctx, stop := context.WithCancel(ctx)
	rs := &runningServer{url: "http://" + ln.Addr().String(), setup: st, stop: stop, done: make(chan error, 1)}
	go func() { rs.done <- st.Serve(sctx, ln) }()
	return rs, nil
}

// close stops the server, waits for it (in-flight requests finish) and
// closes its stores.
func (rs *runningServer) close() error {
	rs.stop()
	err := <-rs.done
	if cerr := rs.setup.Close(); err == nil {
		err = cerr
	}
	return err
}

// viewer is the client side of a run: the configuration loaded from
// client.toml the way `securemedia play` loads it, restricted to one suite
// and one group.
type viewer struct {
	setup *deploy.Client
}

func newViewer(ctx context.Context, d Deployment, url string, suite protocol.SuiteID, group protocol.GroupID, user token.Authenticator) (*viewer, error) {
	st, err := deploy.NewClient(ctx, d.Client, deploy.ClientOptions{Server: url, User: user, Suite: suite.String(), Group: group.String()})
	if err != nil {
		return nil, fmt.Errorf("client configuration: %w", err)
	}
	return &viewer{setup: st}, nil
}

// dial runs a full handshake over hc (a fresh transport per measurement,
// so that no TCP connection is shared between rounds).
func (v *viewer) dial(ctx context.Context, hc *http.Client) (*client.Conn, error) {
	cfg := v.setup.Config
	cfg.HTTPClient = hc
	return client.Dial(ctx, cfg)
}

// finishApart is v with the handshake's finish sent on its own, not with
// the first request (client.Config.FinishWithFirstRequest): the bench
// measures both in one run.
func (v *viewer) finishApart() *viewer {
	st := *v.setup
	st.Config.FinishWithFirstRequest = false
	return &viewer{setup: &st}
}

// closeTimeout bounds the authenticated close of a session.
const closeTimeout = 5 * time.Second

func closeConn(conn *client.Conn) error {
	ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
	defer cancel()
	return conn.Close(ctx)
}

// newPlainHTTPClient is a fresh HTTP/1.1 client for the session protocol,
// with the same transport settings as the client library's default.
func newPlainHTTPClient() *http.Client {
	return &http.Client{Transport: &http.Transport{
		MaxIdleConnsPerHost:   4,
		IdleConnTimeout:       90 * time.Second,
		ResponseHeaderTimeout: 30 * time.Second,
	}}
}
