package token_test

import (
	"bufio"
	"crypto"
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"securemedia/token"
	"securemedia/token/provision"
	"securemedia/token/provision/provisiontest"
	"strings"
	"sync"
	"testing"
)

// helperEnv makes the test binary a helper process (see TestMain).
const helperEnv = "SECUREMEDIA_TOKEN_TEST_HELPER"

func TestMain(m *testing.M) {
	if os.Getenv(helperEnv) == "login-and-sign" {
		os.Exit(loginAndSign())
	}
	os.Exit(m.Run())
}

// loginAndSign is the helper process: it waits for the PIN on stdin (the
// start signal the parent gives every helper at once), opens the card that
// the environment names, signs digestToSign and prints the signature.
func loginAndSign() int {
	pin, err := bufio.NewReader(os.Stdin).ReadString('\n')
	if err != nil {
		fmt.Fprintln(os.Stderr, "read the PIN:", err)
		return 2
	}
	c := token.Config{Module: os.Getenv("HELPER_MODULE"), Label: os.Getenv("HELPER_LABEL"), Profile: token.CitizenCard,
		PIN: func() ([]byte, error) { return []byte(strings.TrimSpace(pin)), nil }}
	s, err := token.Open(c)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer s.Close()
	digest := sha256.Sum256([]byte(digestToSign))
	sig, err := s.Signer().Sign(nil, digest[:], crypto.SHA256)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Println(hex.EncodeToString(sig))
	return 0
}

const digestToSign = "signed by one of many processes"

// Processes that log into one SoftHSM2 token at once must all succeed:
// SoftHSM2 rewrites the token's state at every login, and without the
// store lock a process starting meanwhile saw no token or no PIN. One
// process of each round gives a wrong PIN: that failure, and only that
// one, is reported, as a wrong PIN.
func TestManyProcessesLogIntoOneTokenAtOnce(t *testing.T) {
	d := provisiontest.NewCard(t, provision.DemoCardOptions{KeyType: "p256"})
	const processes, rounds = 12, 3
	digest := sha256.Sum256([]byte(digestToSign))
	for round := range rounds {
		cmds := make([]*exec.Cmd, processes)
		stdins := make([]io.WriteCloser, processes)
		outs := make([]strings.Builder, processes)
		errs := make([]strings.Builder, processes)
		for i := range cmds {
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), helperEnv+"=login-and-sign", "HELPER_MODULE="+d.Module, "HELPER_LABEL="+d.Label,
				token.SoftHSMConfigEnv+"="+d.ConfigPath)
			cmd.Stdout, cmd.Stderr = &outs[i], &errs[i]
			in, err := cmd.StdinPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			cmds[i], stdins[i] = cmd, in
		}
		// Every helper is running: let them all go at once.
		const wrong = processes / 2
		for i, in := range stdins {
			pin := testPIN
			if i == wrong {
				pin = "000000"
			}
			io.WriteString(in, pin+"\n")
			in.Close()
		}
		var wg sync.WaitGroup
		results := make([]error, processes)
		for i, cmd := range cmds {
			wg.Go(func() { results[i] = cmd.Wait() })
		}
		wg.Wait()
		for i, err := range results {
			if i == wrong {
				if err == nil || !strings.Contains(errs[i].String(), "wrong PIN") {
					t.Errorf("round %d: the process with a wrong PIN: %v: %s", round+1, err, errs[i].String())
				}
				continue
			}
			if err != nil {
				t.Errorf("round %d, process %d: %v: %s", round+1, i+1, err, strings.TrimSpace(errs[i].String()))
				continue
			}
			sig, err := hex.DecodeString(strings.TrimSpace(outs[i].String()))
			if err != nil {
				t.Fatalf("process %d printed %q", i+1, outs[i].String())
			}
			if !ecdsa.VerifyASN1(d.UserCert.PublicKey.(*ecdsa.PublicKey), digest[:], sig) {
				t.Errorf("round %d, process %d: the signature does not verify", round+1, i+1)
			}
		}
	}
}
