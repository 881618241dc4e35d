package main

import (
	"bufio"
	"crypto/x509"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"securemedia/pki"
)

// unitKeys reads the active "Key=Value" lines of a systemd unit file, by
// section: "Service.ExecStart" and so on, in order.
func unitKeys(t *testing.T, path string) map[string][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	keys := map[string][]string{}
	section := ""
	for sc := bufio.NewScanner(f); sc.Scan(); {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, ";"):
		case strings.HasPrefix(line, "["):
			section = strings.Trim(line, "[]")
		default:
			k, v, _ := strings.Cut(line, "=")
			keys[section+"."+k] = append(keys[section+"."+k], v)
		}
	}
	return keys
}

// installedPaths are the paths the units name, replaced here by the
// binary under test and a workspace.
const (
	unitBinary = "/usr/local/bin/securemedia"
	unitState  = "/var/lib/securemedia"
)

// TestTheCRLTimerRefreshesTheCRLsInTime checks deploy/securemedia-crl.*:
// systemd accepts both units, the service's command reissues the CRLs of
// a workspace's CA (a higher CRL number), and the timer runs
// it often enough that a CRL never reaches the server's warning window
// while the timer works.
func TestTheCRLTimerRefreshesTheCRLsInTime(t *testing.T) {
	service, timer := filepath.Join("..", "..", "deploy", "securemedia-crl.service"), filepath.Join("..", "..", "deploy", "securemedia-crl.timer")
	bin, err := exec.LookPath("securemedia")
	if err != nil {
		t.Fatal(err)
	}
	svc := unitKeys(t, service)
	if svc["Service.Type"][0] != "oneshot" || len(svc["Service.ExecStart"]) != 1 {
		t.Fatalf("the service: Type %q, ExecStart %q", svc["Service.Type"], svc["Service.ExecStart"])
	}

	if analyze, err := exec.LookPath("systemd-analyze"); err == nil {
		dir := t.TempDir()
		for _, p := range []string{service, timer} {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile(filepath.Join(dir, filepath.Base(p)), []byte(strings.ReplaceAll(string(b), unitBinary, bin)), 0o644)
		}
		out, err := exec.Command(analyze, "verify", "--man=no", filepath.Join(dir, "securemedia-crl.timer"), filepath.Join(dir, "securemedia-crl.service")).CombinedOutput()
		if err != nil || len(out) > 0 {
			t.Fatalf("systemd-analyze verify: %v\n%s", err, out)
		}
	} else {
		t.Log("systemd-analyze is not installed: the units' syntax is not checked")
	}

	// The service's command, against a workspace in place of /var/lib/securemedia.
	ws := newWorkspace(t)
	argv := strings.Fields(svc["Service.ExecStart"][0])
	if len(argv) != 5 || argv[0] != unitBinary || strings.Join(argv[1:4], " ") != "pki crl --dir" {
		t.Fatalf("ExecStart = %q, want %s pki crl --dir DIR", argv, unitBinary)
	}
	if rw := svc["Service.ReadWritePaths"]; len(rw) != 1 || !strings.HasPrefix(argv[4], rw[0]) {
		t.Fatalf("ReadWritePaths %q does not cover the CA directory %s", rw, argv[4])
	}
	for i := range argv {
		argv[i] = strings.ReplaceAll(argv[i], unitState, ws)
	}
	crl := filepath.Join(ws, "pki", "ca", "crl", "intermediate.crl")
	before := parseCRLFile(t, crl)
	if r := runCLI(t, "", nil, nil, argv[1:]...); r.code != 0 {
		t.Fatalf("%q: %s", argv, r.stderr)
	}
	after := parseCRLFile(t, crl)
	if after.Number.Cmp(before.Number) <= 0 || after.NextUpdate.Before(before.NextUpdate) {
		t.Fatalf("the service's command did not reissue the CRL: number %v → %v, next update %v → %v", before.Number, after.Number, before.NextUpdate, after.NextUpdate)
	}

	// The timer: daily, caught up after downtime, well inside the CRL
	// period less the server's default warning window.
	tm := unitKeys(t, timer)
	if tm["Timer.Persistent"][0] != "true" || tm["Timer.Unit"][0] != "securemedia-crl.service" || tm["Install.WantedBy"][0] != "timers.target" {
		t.Fatalf("the timer: %v", tm)
	}
	every := map[string]time.Duration{"hourly": time.Hour, "daily": 24 * time.Hour}[tm["Timer.OnCalendar"][0]]
	period := after.NextUpdate.Sub(after.ThisUpdate)
	const warning = 3 * 24 * time.Hour // deploy's default [pki] crl_warning
	if every == 0 || every+time.Hour >= period-warning {
		t.Fatalf("the timer runs %q (+ up to 1h of delay), CRLs last %v and the server warns %v before: no margin", tm["Timer.OnCalendar"], period, warning)
	}
}

func parseCRLFile(t *testing.T, path string) *x509.RevocationList {
	t.Helper()
	ders, err := pki.LoadCRLs(path)
	if err != nil {
		t.Fatal(err)
	}
	crl, err := x509.ParseRevocationList(ders[0])
	if err != nil {
		t.Fatal(err)
	}
	return crl
}
