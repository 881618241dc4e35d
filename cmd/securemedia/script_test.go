package main

import (
	"errors"
	"net"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"securemedia/token/provision"
	"strconv"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain runs the test binary as securemedia when testscript (or a Go
// test, through securemediaCommand) invokes it under that name; otherwise
// it runs the tests with a securemedia on PATH.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"securemedia":        func() { os.Exit(run(os.Args[1:])) },
		httpsBaselineCommand: func() { os.Exit(httpsBaseline(os.Args[1:])) },
	})
}

// TestScripts runs the command-line contract in testdata/script: every
// subcommand's happy path and its errors, with exit codes, stdout and
// stderr, against the real binary.
func TestScripts(t *testing.T) {
	browsers := &browserViewers{}
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		Setup:               setupScript,
		Condition: func(cond string) (bool, error) {
			switch cond {
			case "softhsm":
				_, ok := provision.SoftHSMModule()
				return ok, nil
			}
			return false, errors.New("unknown condition " + cond)
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exitcode": cmdExitcode,
			"waitfor":  cmdWaitfor,
			"capture":  cmdCapture,
			"browser":  browsers.cmd,
		},
	})
}

// setupScript gives each script:
//
//	PORT            a free loopback port for a server of its own
//	ADMIN_PORT      another, for its admin listener
//	SOFTHSM_MODULE  the SoftHSM2 PKCS#11 module, when installed
//	NO_COLOR=1      plain output
func setupScript(env *testscript.Env) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	env.Setenv("PORT", strconv.Itoa(port))
	if ln, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
		return err
	}
	env.Setenv("ADMIN_PORT", strconv.Itoa(ln.Addr().(*net.TCPAddr).Port))
	ln.Close()
	if module, ok := provision.SoftHSMModule(); ok {
		env.Setenv("SOFTHSM_MODULE", module)
	}
	env.Setenv("NO_COLOR", "1")
	return nil
}

// cmdExitcode runs a program and requires its exit code:
//
//	exitcode N program [args...]
//
// Its stdout and stderr are kept for the stdout and stderr commands, as
// exec keeps them; exec itself only tells success from failure.
func cmdExitcode(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! exitcode")
	}
	if len(args) < 2 {
		ts.Fatalf("usage: exitcode N program [args...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exitcode: %q is not a number", args[0])
	}
	got := 0
	var ee *exec.ExitError
	switch err := ts.Exec(args[1], args[2:]...); {
	case errors.As(err, &ee):
		got = ee.ExitCode()
	case err != nil:
		ts.Fatalf("exitcode: %v", err)
	}
	if got != want {
		ts.Fatalf("%s exited %d, want %d", args[1], got, want)
	}
}

// waitforTimeout bounds how long waitfor polls.
const waitforTimeout = 30 * time.Second

// cmdWaitfor waits until an HTTP server answers at URL (any status):
//
//	waitfor URL
//
// A server started in the background with exec ... & is then ready.
func cmdWaitfor(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: waitfor URL")
	}
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(waitforTimeout)
	for {
		resp, err := client.Get(args[0])
		if err == nil {
			resp.Body.Close()
			return
		}
		if time.Now().After(deadline) {
			ts.Fatalf("no answer from %s after %v: %v", args[0], waitforTimeout, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// cmdCapture sets an environment variable to what a regular expression
// finds in a file, or in the last command's stdout or stderr:
//
//	capture NAME stdout|stderr|FILE REGEXP
//
// NAME is the first parenthesized group of the first match (multi-line
// mode: ^ and $ match at line ends). A later command then takes what an
// earlier one printed (a media id, a serial number).
func cmdCapture(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: capture NAME stdout|stderr|FILE REGEXP")
	}
	re, err := regexp.Compile("(?m)" + args[2])
	if err != nil {
		ts.Fatalf("capture: %v", err)
	}
	m := re.FindStringSubmatch(ts.ReadFile(args[1]))
	if len(m) < 2 {
		ts.Fatalf("capture: no match for %q (with a group) in %s", args[2], args[1])
	}
	ts.Setenv(args[0], m[1])
}
