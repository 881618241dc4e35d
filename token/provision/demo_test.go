package provision_test

import (
	"os"
	"securemedia/token"
	"securemedia/token/provision"
	"securemedia/token/provision/provisiontest"
	"strings"
	"testing"
	"time"
)

func TestTwoCardsShareADirectoryAndACA(t *testing.T) {
	provisiontest.RequireSoftHSM(t)
	t.Setenv(token.SoftHSMConfigEnv, os.Getenv(token.SoftHSMConfigEnv))
	dir := t.TempDir()
	a, err := provision.CreateDemoCard(dir, provision.DemoCardOptions{KeyType: "p256", Label: "CARD A", SerialNumber: "BI111111111", PIN: []byte(provisiontest.PIN)})
	if err != nil {
		t.Fatal(err)
	}
	b, err := provision.CreateDemoCard(dir, provision.DemoCardOptions{KeyType: "p256", Label: "CARD B", SerialNumber: "BI222222222", PIN: []byte(provisiontest.PIN), CA: a.CA})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := provision.CreateDemoCard(dir, provision.DemoCardOptions{KeyType: "p256", Label: "CARD B", SerialNumber: "BI333333333", CA: a.CA}); err == nil {
		t.Error("a second card with the same label was created")
	}
	for _, d := range []*provision.DemoCard{a, b} {
		s := provisiontest.Open(t, d.Config())
		if got := s.Certificate().Subject.SerialNumber; got != d.SerialNumber {
			t.Errorf("card %q carries %q, want %q", d.Label, got, d.SerialNumber)
		}
		if err := s.Certificate().CheckSignatureFrom(a.CA.SubCA); err != nil {
			t.Errorf("card %q is not issued by the shared sub-CA: %v", d.Label, err)
		}
		s.Close()
	}
}

func TestCreateDemoCardRefusesWhileSoftHSMIsInUse(t *testing.T) {
	d := provisiontest.NewCard(t, provision.DemoCardOptions{KeyType: "p256"})
	provisiontest.Open(t, d.Config())
	if _, err := provision.CreateDemoCard(t.TempDir(), provision.DemoCardOptions{KeyType: "p256"}); err == nil || !strings.Contains(err.Error(), "already in use") {
		t.Fatalf("err = %v, want a refusal", err)
	}
}

func TestAnExpiredCardCanBeMade(t *testing.T) {
	past := time.Now().Add(-48 * time.Hour)
	d := provisiontest.NewCard(t, provision.DemoCardOptions{KeyType: "p256", NotBefore: past, Validity: time.Hour})
	if !d.UserCert.NotAfter.Before(time.Now()) {
		t.Fatalf("NotAfter = %v, want in the past", d.UserCert.NotAfter)
	}
	// The token still signs: refusing expired identities is the server's job.
	s := provisiontest.Open(t, d.Config())
	if len(s.Chain()) != 3 {
		t.Fatal("no chain")
	}
}

func TestDemoCardOptionsAreChecked(t *testing.T) {
	for _, tc := range []struct {
		name string
		o    provision.DemoCardOptions
	}{
		{"an unknown key type is refused", provision.DemoCardOptions{KeyType: "rsa1024"}},
		{"a citizen id that would escape the directory is refused", provision.DemoCardOptions{SerialNumber: "../../x"}},
		{"a validity that ends before it starts is refused", provision.DemoCardOptions{KeyType: "p256", Validity: -time.Hour}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := provision.CreateSoftwareCard(t.TempDir(), tc.o); err == nil {
				t.Fatal("CreateSoftwareCard succeeded")
			}
		})
	}
}
