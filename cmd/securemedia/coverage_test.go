package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// TestEverySubcommandHasAHappyPathAndAnErrorInTheScripts holds the
// command-line contract to its tests: every runnable command of the tree
// runs at least once to success (`exec securemedia PATH ...`) and once to
// a failure (`! exec securemedia PATH ...` or `exitcode N securemedia PATH
// ...`) in testdata/script.
func TestEverySubcommandHasAHappyPathAndAnErrorInTheScripts(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "script", "*.txtar"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no scripts: %v", err)
	}
	var lines []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, strings.Split(string(b), "\n")...)
	}
	happy := regexp.MustCompile(`^exec securemedia (.*)$`)
	failing := regexp.MustCompile(`^(?:! exec|exitcode [0-9]+) securemedia (.*)$`)
	var ok, fails []string
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if m := happy.FindStringSubmatch(l); m != nil {
			ok = append(ok, m[1]+" ")
		}
		if m := failing.FindStringSubmatch(l); m != nil {
			fails = append(fails, m[1]+" ")
		}
	}
	runs := func(invocations []string, path string) bool {
		for _, inv := range invocations {
			// The command path comes first; flags may sit between its words.
			words := strings.Fields(path)
			rest := inv
			found := true
			for _, w := range words {
				i := strings.Index(rest, w+" ")
				if i < 0 || strings.TrimSpace(rest[:i]) != "" && !onlyFlags(rest[:i]) {
					found = false
					break
				}
				rest = rest[i+len(w)+1:]
			}
			if found {
				return true
			}
		}
		return false
	}
	n := 0
	var walk func(c *cobra.Command, path string)
	walk = func(c *cobra.Command, path string) {
		for _, sub := range c.Commands() {
			if sub.Hidden || sub.Name() == "help" || sub.Name() == "completion" {
				continue
			}
			p := strings.TrimSpace(path + " " + sub.Name())
			if sub.Runnable() {
				n++
				if !runs(ok, p) {
					t.Errorf("securemedia %s: no script runs it to success", p)
				}
				if !runs(fails, p) {
					t.Errorf("securemedia %s: no script runs it to a failure", p)
				}
			}
			walk(sub, p)
		}
	}
	walk(newRootCommand(), "")
	t.Logf("%d runnable commands, each run to success and to a failure", n)
	if n < 20 {
		t.Fatalf("only %d runnable commands found", n)
	}
}

// onlyFlags reports whether s holds only flags (words starting with -) and
// their values, as between `securemedia` and its subcommand (`--config X`).
func onlyFlags(s string) bool {
	words := strings.Fields(s)
	return len(words) > 0 && strings.HasPrefix(words[0], "-")
}
