package main

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestUserCommandsRegisterAndDisable(t *testing.T) {
	cfg := licenseWorkspace(t)
	out, err := licenseCLI(t, "user", "add", "--config", cfg, "--cert", userCertFile(t, "PNOBE-12345678", true))
	if err != nil || !strings.Contains(out, "registered user PNOBE-12345678 (Alice Martin)") {
		t.Fatalf("add PEM printed %q, %v", out, err)
	}
	if _, err := licenseCLI(t, "user", "add", "--config", cfg, "--cert", userCertFile(t, "PNOBE-2", false), "--name", "Bob"); err != nil {
		t.Fatalf("add DER: %v", err)
	}
	if _, err := licenseCLI(t, "user", "disable", "--config", cfg, "PNOBE-2"); err != nil {
		t.Fatal(err)
	}
	out, err = licenseCLI(t, "user", "list", "--config", cfg, "--json")
	if err != nil {
		t.Fatal(err)
	}
	var users []userJSON
	if err := json.Unmarshal([]byte(out), &users); err != nil {
		t.Fatalf("list --json printed %q: %v", out, err)
	}
	if len(users) != 2 || users[0].ID != "PNOBE-12345678" || users[0].Disabled || users[1].Name != "Bob" || !users[1].Disabled {
		t.Fatalf("users %+v", users)
	}
	if _, err := licenseCLI(t, "user", "enable", "--config", cfg, "PNOBE-2"); err != nil {
		t.Fatal(err)
	}
	if out, _ := licenseCLI(t, "user", "list", "--config", cfg); strings.Contains(out, "disabled") {
		t.Fatalf("user still disabled after enable: %q", out)
	}
}

func TestUserCommandsRefuseBadInput(t *testing.T) {
	cfg := licenseWorkspace(t)
	if _, err := licenseCLI(t, "user", "add", "--config", cfg, "--cert", userCertFile(t, "PNOBE-1", true)); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"a certificate without a serialNumber", []string{"user", "add", "--config", cfg, "--cert", userCertFile(t, "", true)}, "no serialNumber"},
		{"a user registered twice", []string{"user", "add", "--config", cfg, "--cert", userCertFile(t, "PNOBE-1", false)}, "already registered"},
		{"a missing certificate file", []string{"user", "add", "--config", cfg, "--cert", "/nonexistent.crt"}, "no such file"},
		{"a file that is not a certificate", []string{"user", "add", "--config", cfg, "--cert", cfg}, "certificate"},
		{"disabling an unknown user", []string{"user", "disable", "--config", cfg, "nobody"}, "unknown user"},
	}
	for _, c := range cases {
		t.Run(c.name+" is refused", func(t *testing.T) {
			_, err := licenseCLI(t, c.args...)
			var h *hintError
			if !errors.As(err, &h) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want an error with a hint mentioning %q", err, c.want)
			}
		})
	}
}
