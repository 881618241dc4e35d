// Package provisiontest gives tests throwaway identity cards on SoftHSM2,
// made by package provision, and skips a test that needs one when SoftHSM2
// is not installed.
package provisiontest

import (
	"os"
	"testing"

	"securemedia/token"
	"securemedia/token/provision"
)

// PIN is the user PIN of the cards NewCard makes unless told otherwise.
const PIN = "246810"

// RequireSoftHSM returns the SoftHSM2 module, or skips t.
func RequireSoftHSM(t testing.TB) string {
	t.Helper()
	mod, ok := provision.SoftHSMModule()
	if !ok {
		t.Skip("SoftHSM2 is not installed (apt-get install softhsm2); skipping the PKCS#11 test")
	}
	return mod
}

// NewCard creates a demo card on SoftHSM2 in a fresh directory, with PIN
// and the citizen id BI123456789 unless o says otherwise. SOFTHSM2_CONF,
// which CreateDemoCard sets, is restored when t ends.
func NewCard(t testing.TB, o provision.DemoCardOptions) *provision.DemoCard {
	t.Helper()
	RequireSoftHSM(t)
	t.Setenv(token.SoftHSMConfigEnv, os.Getenv(token.SoftHSMConfigEnv))
	if o.PIN == nil {
		o.PIN = []byte(PIN)
	}
	if o.SerialNumber == "" {
		o.SerialNumber = "BI123456789"
	}
	d, err := provision.CreateDemoCard(t.TempDir(), o)
	if err != nil {
		t.Fatalf("CreateDemoCard: %v", err)
	}
	return d
}

// Open opens the card c selects and closes it when t ends.
func Open(t testing.TB, c token.Config) *token.Session {
	t.Helper()
	s, err := token.Open(c)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
