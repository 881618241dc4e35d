package benchmark

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"

	"securemedia/internal/config"
	"securemedia/internal/deploy"
	"securemedia/protocol"
)

// ServerCommand is the hidden subcommand of the securemedia binary that
// runs ServeServers: Run starts the binary again with it, so that the
// servers' CPU time is their own process's and the bench process's is the
// clients' alone.
const ServerCommand = "bench-server"

// serverArgs is what the server process is told on its command line.
type serverArgs struct {
	serverConfig, clientConfig string
	group                      protocol.GroupID
	// file and small are the plain files the HTTPS server serves under
	// /media and /small.
	file, small string
}

func (a serverArgs) args() []string {
	return []string{"--server-config", a.serverConfig, "--client-config", a.clientConfig,
		"--group", a.group.String(), "--file", a.file, "--small", a.small}
}

func parseServerArgs(args []string) (serverArgs, error) {
	var a serverArgs
	var group string
	fs := flag.NewFlagSet(ServerCommand, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&a.serverConfig, "server-config", "", "server.toml of the bench workspace")
	fs.StringVar(&a.clientConfig, "client-config", "", "client.toml of the bench workspace (the TLS baseline's trust)")
	fs.StringVar(&group, "group", DefaultGroup.String(), "key-exchange group of the TLS baseline")
	fs.StringVar(&a.file, "file", "", "file served under /media")
	fs.StringVar(&a.small, "small", "", "file served under /small")
	if err := fs.Parse(args); err != nil {
		return a, fmt.Errorf("%s: %w", ServerCommand, err)
	}
	if a.serverConfig == "" || a.clientConfig == "" || a.file == "" || a.small == "" || fs.NArg() != 0 {
		return a, fmt.Errorf("%s: want --server-config, --client-config, --file and --small, and no arguments", ServerCommand)
	}
	g, err := protocol.ParseGroup(group)
	if err != nil {
		return a, fmt.Errorf("%s: %w", ServerCommand, err)
	}
	a.group = g
	return a, nil
}

// serverAddrs is the first line the server process prints: where each of
// its servers listens.
type serverAddrs struct {
	// Securemedia is the server as configured (users, licenses).
	Securemedia string `json:"securemedia"`
	// DeviceOnly authenticates the device only and enforces no license.
	DeviceOnly string `json:"device_only"`
	// HTTPS is the base URL of the TLS file server.
	HTTPS string `json:"https"`
	// Handshake is the address of the TLS handshake server.
	Handshake string `json:"handshake"`
}

// cpuRequest is the one request the server process answers, a line of
// its standard input; cpuAnswer the line it writes back.
const cpuRequest = "cpu"

type cpuAnswer struct {
	CPUNanos int64 `json:"cpu_ns"`
}

// maxControlLine bounds a line of the control channel, both ways.
const maxControlLine = 4 << 10

// ServeServers is the server side of a bench run, in a process of its own
// (the hidden `securemedia bench-server`, args as Run passes them): it
// opens the workspace's store, starts the securemedia server as
// configured and without users or licenses, the HTTPS file server and the
// TLS handshake server on loopback ports, and prints their addresses as
// one JSON line on out. Then, for every "cpu" line read from in, it
// writes a JSON line with this process's CPU time (user plus system). It
// stops its servers and returns when in reaches its end (the bench closed
// the pipe, or died: no server outlives it) or ctx is done; on ctx, the
// caller's in must still be closed for the reading goroutine to end (the
// process's standard input ends with the process).
func ServeServers(ctx context.Context, args []string, in io.Reader, out io.Writer) (err error) {
	a, err := parseServerArgs(args)
	if err != nil {
		return err
	}
	d := Deployment{}
	if d.Server, err = config.LoadServer(a.serverConfig); err != nil {
		return err
	}
	if d.Client, err = config.LoadClient(a.clientConfig); err != nil {
		return err
	}
	if d.Store, err = deploy.OpenMediaStore(d.Server, deploy.StoreOptions{Argon2: workspaceArgon2()}); err != nil {
		return err
	}
	base, err := newTLSBaseline(d, a.group)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sm, err := startServer(ctx, d, asConfigured)
	if err != nil {
		return err
	}
	defer closeInto(&err, sm.close)
	dev, err := startServer(ctx, d, deviceOnly)
	if err != nil {
		return err
	}
	defer closeInto(&err, dev.close)
	fs, err := startFileServer(base, a.file, a.small, d.Store)
	if err != nil {
		return err
	}
	defer closeInto(&err, fs.close)
	hs, err := startHandshakeServer(base)
	if err != nil {
		return err
	}
	defer hs.close()

	line, err := json.Marshal(serverAddrs{Securemedia: sm.url, DeviceOnly: dev.url, HTTPS: fs.base, Handshake: hs.addr})
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintf(out, "%s\n", line); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- answerCPU(in, out) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return nil
	}
}

// answerCPU answers every "cpu" line of in until its end.
func answerCPU(in io.Reader, out io.Writer) error {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 0, 256), maxControlLine)
	for sc.Scan() {
		if sc.Text() != cpuRequest {
			return fmt.Errorf("%s: unknown request %q", ServerCommand, sc.Text())
		}
		line, err := json.Marshal(cpuAnswer{CPUNanos: int64(processCPU())})
		if err != nil {
			return err
		}
		if _, err := fmt.Fprintf(out, "%s\n", line); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil && !errors.Is(err, io.ErrClosedPipe) {
		return err
	}
	return nil
}

// closeInto runs close and keeps its error in *err when *err is nil.
func closeInto(err *error, close func() error) {
	if cerr := close(); *err == nil {
		*err = cerr
	}
}
