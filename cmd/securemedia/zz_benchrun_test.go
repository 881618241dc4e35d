package main

import (
	"os"
	"strings"
	"testing"
)

func TestZZBenchRun(t *testing.T) {
	args := os.Getenv("ZZ_BENCH_ARGS")
	if args == "" {
		t.Skip()
	}
	cmd := newBenchCommand()
	cmd.SetArgs(strings.Fields(args))
	cmd.SetOut(os.Stdout)
	cmd.SetErr(os.Stderr)
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
}
