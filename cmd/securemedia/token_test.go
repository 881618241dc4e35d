package main

import (
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"securemedia/internal/config"
	"securemedia/internal/deploy"
	"securemedia/internal/signature"
	"securemedia/internal/syncbuf"
	"securemedia/token"
	"securemedia/token/provision"
)

// requireSoftHSMForCLI skips the test without SoftHSM2 and restores
// SOFTHSM2_CONF, which the commands set, when it ends.
func requireSoftHSMForCLI(t *testing.T) string {
	t.Helper()
	mod, ok := provision.SoftHSMModule()
	if !ok {
		t.Skip("SoftHSM2 is not installed (apt-get install softhsm2); skipping the PKCS#11 test")
	}
	t.Setenv(token.SoftHSMConfigEnv, os.Getenv(token.SoftHSMConfigEnv))
	return mod
}

// writeClientTOML writes a client.toml in dir whose [token] uses the card.
func writeClientTOML(t *testing.T, dir string, d *provision.DemoCard) string {
	t.Helper()
	sec, err := deploy.DemoTokenSection(dir, d)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "client.toml")
	if err := config.Write(path, &config.Client{Server: "http://127.0.0.1:8443", Token: sec}); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestEveryTokenCommandHasExamples(t *testing.T) {
	cmd := newTokenCommand()
	for _, c := range append(cmd.Commands(), cmd) {
		if !strings.Contains(c.Example, "securemedia token") {
			t.Errorf("%q has no example", c.CommandPath())
		}
	}
}

// TestADemoSoftwareCardSignsThroughClientTOML opens the card as the
// viewer's commands do, from client.toml's [token] section; the scripts
// drive demo-card and export-cert through the binary.
func TestADemoSoftwareCardSignsThroughClientTOML(t *testing.T) {
	dir := t.TempDir()
	d, err := provision.CreateSoftwareCard(filepath.Join(dir, "card"), provision.DemoCardOptions{KeyType: "p256", SerialNumber: "BI123123123"})
	if err != nil {
		t.Fatal(err)
	}
	cfgPath := writeClientTOML(t, dir, d)
	cfg, err := config.LoadClient(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(cfg.Token.SoftwareKey, "card/") {
		t.Errorf("software_key %q is not relative to the workspace", cfg.Token.SoftwareKey)
	}
	tok, err := deploy.OpenUserToken(cfg, "")
	if err != nil {
		t.Fatalf("openUserToken: %v", err)
	}
	defer tok.Close()
	h := sha256.Sum256([]byte("t"))
	scheme, sig, err := signature.Sign(tok.Signer(), "ctx", h[:], signature.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := signature.Verify(tok.Signer().Public(), scheme, "ctx", h[:], sig, false); err != nil {
		t.Fatal(err)
	}
	cas, err := provision.LoadCitizenCAs(filepath.Join(dir, "card"))
	if err != nil || len(cas) != 1 {
		t.Fatalf("citizen CAs in the card directory: %d, %v", len(cas), err)
	}
	if err := checkIssuedBy(tok.Chain()[0], cas[0]); err != nil {
		t.Error(err)
	}
}

func checkIssuedBy(der []byte, ca *provision.CitizenCA) error {
	c, err := parseCert(der)
	if err != nil {
		return err
	}
	return c.CheckSignatureFrom(ca.SubCA)
}

// TestTheCardPINComesFromTheFlagTheEnvironmentOrClientTOML opens a SoftHSM2
// card as the viewer's commands do, with each source of the PIN.
func TestTheCardPINComesFromTheFlagTheEnvironmentOrClientTOML(t *testing.T) {
	mod := requireSoftHSMForCLI(t)
	dir := t.TempDir()
	card := filepath.Join(dir, "card")
	if _, err := provision.CreateDemoCard(card, provision.DemoCardOptions{KeyType: "p256", SerialNumber: "BI777", PIN: []byte("135790")}); err != nil {
		t.Fatal(err)
	}
	d := &provision.DemoCard{Module: mod, Label: provision.DefaultDemoLabel, ConfigPath: filepath.Join(card, "softhsm2.conf"), PINFile: filepath.Join(card, "citizen-BI777.pin")}
	cfgPath := writeClientTOML(t, dir, d)
	cfg, err := config.LoadClient(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	wrongPIN := filepath.Join(dir, "wrong.pin")
	if err := os.WriteFile(wrongPIN, []byte("000000"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		env     string
		pinFile string
		wantErr error
	}{
		{"the PIN file from client.toml logs in", "", "", nil},
		{"SECUREMEDIA_PIN overrides client.toml's PIN file", "000000", "", token.ErrWrongPIN},
		{"--pin-file overrides SECUREMEDIA_PIN", "000000", filepath.Join(card, "citizen-BI777.pin"), nil},
		{"a wrong --pin-file is refused", "", wrongPIN, token.ErrWrongPIN},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(deploy.PINEnv, tc.env)
			tok, err := deploy.OpenUserToken(cfg, tc.pinFile)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("err = %v, want %v", err, tc.wantErr)
				}
				if hintFor(err) == "" {
					t.Error("the error carries no hint")
				}
				return
			}
			if err != nil {
				t.Fatalf("openUserToken: %v", err)
			}
			defer tok.Close()
			if !strings.Contains(tok.Description(), "CARTAO DE CIDADAO") {
				t.Errorf("description %q does not name the card", tok.Description())
			}
			if len(tok.Chain()) != 3 {
				t.Errorf("chain of %d certificates, want 3", len(tok.Chain()))
			}
		})
	}
}

func parseCert(der []byte) (*x509.Certificate, error) { return x509.ParseCertificate(der) }

// TestPKICRLRefreshesADemoCardsCitizenCA: `pki crl --dir` on a demo card's
// directory re-issues its citizen CA's CRLs with higher numbers.
func TestPKICRLRefreshesADemoCardsCitizenCA(t *testing.T) {
	dir := t.TempDir()
	if r := runCLI(t, dir, nil, nil, "token", "demo-card", "--dir", "card", "--software", "--key-type", "p256"); r.code != 0 {
		t.Fatalf("demo-card: %d %s", r.code, r.stderr)
	}
	files, err := filepath.Glob(filepath.Join(dir, "card", "*.crl"))
	if err != nil || len(files) != 2 {
		t.Fatalf("demo-card wrote CRLs %v (%v), want the root's and the sub-CA's", files, err)
	}
	numberOf := func(path string) *big.Int {
		t.Helper()
		der, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		crl, err := x509.ParseRevocationList(der)
		if err != nil {
			t.Fatal(err)
		}
		return crl.Number
	}
	var before []*big.Int
	for _, f := range files {
		before = append(before, numberOf(f))
	}
	r := runCLI(t, dir, nil, nil, "pki", "crl", "--dir", "card")
	if r.code != 0 {
		t.Fatalf("pki crl --dir card: %d %s", r.code, r.stderr)
	}
	for i, f := range files {
		rel, _ := filepath.Rel(dir, f)
		if !strings.Contains(r.stdout, rel+"\n") {
			t.Errorf("pki crl does not name %s:\n%s", rel, r.stdout)
		}
		if n := numberOf(f); n.Cmp(before[i]) <= 0 {
			t.Errorf("%s: CRL number %v after %v", rel, n, before[i])
		}
	}
	if r := runCLI(t, dir, nil, nil, "pki", "crl", "--dir", "nowhere"); r.code == 0 || !strings.Contains(r.stderr, "securemedia pki init --dir nowhere") {
		t.Errorf("pki crl on a directory with no CA: %d %s", r.code, r.stderr)
	}
}

// TestTwelvePlaysAtOnceAllLogInToOneSoftHSMToken starts 12 play
// processes at once, each logging in to the same SoftHSM2 demo card
// (SoftHSM2 rewrites its token file at every login; without the store
// lock some processes saw no token or no user PIN). The item has no view
// limit, so the test is about the logins alone.
func TestTwelvePlaysAtOnceAllLogInToOneSoftHSMToken(t *testing.T) {
	requireSoftHSMForCLI(t)
	ws := newWorkspace(t)
	cfg, err := config.LoadClient(filepath.Join(ws, "client.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Token.Software() {
		t.Fatal("init made a software card although SoftHSM2 is installed")
	}
	const plays = 12
	// One user on one device: the server's caps on their sessions (8
	// each by default, the oldest closed beyond) must not end plays here.
	serverPath := filepath.Join(ws, "server.toml")
	scfg, err := config.LoadServer(serverPath)
	if err != nil {
		t.Fatal(err)
	}
	scfg.Limits.MaxSessionsPerUser, scfg.Limits.MaxSessionsPerDevice = 2*plays, 2*plays
	if err := config.Write(serverPath, scfg); err != nil {
		t.Fatal(err)
	}
	file, _ := randomFile(t, 100_000)
	id := addMedia(t, ws, file, "--views", "0")
	srv := startServer(t, ws)
	cmds := make([]*exec.Cmd, plays)
	outs := make([]*syncbuf.Buffer, plays)
	for i := range cmds {
		cmds[i] = securemediaCommand("play", "--config", filepath.Join(ws, "client.toml"), "--server", srv.url, "--media", id, "--sink", "null")
		outs[i] = &syncbuf.Buffer{}
		cmds[i].Stderr = outs[i]
	}
	for _, c := range cmds {
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
	}
	failed := 0
	for i, c := range cmds {
		if err := c.Wait(); err != nil {
			failed++
			t.Errorf("play %d: %v\n%s", i+1, err, outs[i].String())
		}
	}
	if failed > 0 {
		t.Fatalf("%d of %d concurrent plays failed", failed, plays)
	}
	if n := strings.Count(srv.log.String(), "session established"); n != plays {
		t.Fatalf("%d sessions established, want %d", n, plays)
	}
	srv.stop(t)
}
