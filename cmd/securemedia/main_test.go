package main

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// securemediaCommand is the one way the Go tests run the binary: the test
// binary itself, which TestMain (testscript.Main) installs on PATH as
// securemedia, as the scripts in testdata/script run it. The Go tests are
// those a script cannot express: a terminal driven key by key, a kill -9
// in the middle of a play, Ctrl-C, a stand-in player, a server log read
// while it runs.
func securemediaCommand(args ...string) *exec.Cmd {
	return exec.Command("securemedia", args...)
}

// cliResult is what one run of the binary produced.
type cliResult struct {
	code           int
	stdout, stderr string
}

// runCLI runs the binary in dir with extra environment; stdin nil means
// /dev/null.
func runCLI(t testing.TB, dir string, env []string, stdin []byte, args ...string) cliResult {
	t.Helper()
	cmd := securemediaCommand(args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	res := cliResult{stdout: stdout.String(), stderr: stderr.String()}
	if ee, ok := err.(*exec.ExitError); ok {
		res.code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(res.stderr, "goroutine ") {
		t.Fatalf("%v panicked:\n%s", args, res.stderr)
	}
	return res
}
