package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// testBinary is the real securemedia binary, built once by TestMain for
// the tests that drive the CLI as a user would.
var testBinary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "securemedia-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	testBinary = filepath.Join(dir, "securemedia")
	if out, err := exec.Command("go", "build", "-o", testBinary, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
		os.Exit(2)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// cliResult is what one run of the binary produced.
type cliResult struct {
	code           int
	stdout, stderr string
}

// runCLI runs the binary in dir with extra environment and stdin.
func runCLI(t *testing.T, dir string, env []string, stdin []byte, args ...string) cliResult {
	t.Helper()
	cmd := exec.Command(testBinary, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdin = bytes.NewReader(stdin)
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

type cobraCommand = cobra.Command
