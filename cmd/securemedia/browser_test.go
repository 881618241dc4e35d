package main

import (
	"context"
	"fmt"
	"sync"

	"github.com/rogpeppe/go-internal/testscript"

	"securemedia/client"
	"securemedia/internal/config"
	"securemedia/internal/deploy"
	"securemedia/internal/testbed"
	"securemedia/internal/webauthntest"
)

// browserViewers are the browser viewers of the script runs, by work
// directory and name: what
// the page keeps (the device key, in IndexedDB) and what the security key
// holds (the credential), in Go (internal/testbed, internal/webauthntest).
type browserViewers struct {
	mu sync.Mutex
	m  map[string]*browserViewer
}

type browserViewer struct {
	device *testbed.BrowserDevice
	auth   *webauthntest.Authenticator
	user   string
}

// cmd is the script command browser, a browser viewer speaking the session
// protocol as the page does (DESIGN.md §11):
//
//	browser register NAME CLIENT_TOML CODE   # a new device and credential; prints "device HEX" and "user ID"
//	browser login NAME CLIENT_TOML           # a WebAuthn login and the catalog; prints "logged in as ID"
//
// The server and its trust come from client.toml; the relying party is
// testbed.WebRPID and WebOrigin.
func (b *browserViewers) cmd(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 3 || (args[0] == "register") != (len(args) == 4) || (args[0] != "register" && args[0] != "login") {
		ts.Fatalf("usage: browser register NAME CLIENT_TOML CODE | browser login NAME CLIENT_TOML")
	}
	err := b.run(ts, args)
	if neg {
		if err == nil {
			ts.Fatalf("browser %s succeeded", args[0])
		}
		fmt.Fprintln(ts.Stderr(), err)
		return
	}
	if err != nil {
		ts.Fatalf("browser %s: %v", args[0], err)
	}
}

func (b *browserViewers) run(ts *testscript.TestScript, args []string) error {
	ctx := context.Background()
	cc, err := config.LoadClient(ts.MkAbs(args[2]))
	if err != nil {
		return err
	}
	dc, err := deploy.NewClient(ctx, cc, deploy.ClientOptions{})
	if err != nil {
		return err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.m == nil {
		b.m = map[string]*browserViewer{}
	}
	if args[0] == "register" {
		v := &browserViewer{}
		if v.device, err = testbed.MakeBrowserDevice(); err != nil {
			return err
		}
		if v.auth, err = webauthntest.New(testbed.WebRPID, testbed.WebOrigin); err != nil {
			return err
		}
		if v.user, err = testbed.RegisterBrowser(ctx, testbed.AsBrowser(dc.Config, v.device, nil, ""), v.auth, args[3], ""); err != nil {
			return err
		}
		b.m[ts.Getenv("WORK")+"/"+args[1]] = v
		fmt.Fprintf(ts.Stdout(), "device %s\nuser %s\n", v.device.Name, v.user)
		return nil
	}
	v := b.m[ts.Getenv("WORK")+"/"+args[1]]
	if v == nil {
		ts.Fatalf("browser login: no viewer %s registered", args[1])
	}
	c, err := client.Dial(ctx, testbed.AsBrowser(dc.Config, v.device, v.auth, v.user))
	if err != nil {
		return err
	}
	defer c.Close(ctx)
	if _, err := c.Catalog(ctx); err != nil {
		return err
	}
	fmt.Fprintf(ts.Stdout(), "logged in as %s\n", v.user)
	return nil
}
