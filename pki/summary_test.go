package pki

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net"
	"os"
	"slices"
	"strings"
	"testing"
)

// newUnencryptedCA makes a CA with unencrypted keys in a temporary directory.
func newUnencryptedCA(t *testing.T) *CA {
	t.Helper()
	dir := t.TempDir()
	if err := InitCA(dir, InitOptions{KeyAlgorithm: ECDSAP256}); err != nil {
		t.Fatal(err)
	}
	ca, err := OpenCA(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	return ca
}

func TestDescribeSummarizesAChainLeafFirst(t *testing.T) {
	ca := newUnencryptedCA(t)
	is, err := ca.Issue(IssueRequest{Profile: UsageServer, CommonName: "media.example", DNSNames: []string{"media.example"}, IPs: []net.IP{net.IPv4(127, 0, 0, 1)}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := Describe(is.ChainPEM)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Type != "certificate" || got[1].Type != "certificate" || got[0].CRL != nil {
		t.Fatalf("Describe of a leaf and its intermediate = %+v", got)
	}
	leaf, inter := got[0].Certificate, got[1].Certificate
	sum := sha256.Sum256(is.Cert.Raw)
	switch {
	case leaf.Subject != is.Cert.Subject.String() || leaf.Serial != is.Cert.SerialNumber.Text(16):
		t.Errorf("leaf names %q serial %s", leaf.Subject, leaf.Serial)
	case leaf.Key != "ECDSA P-256" || leaf.CA || leaf.PathLen != nil:
		t.Errorf("leaf key %q, CA %v", leaf.Key, leaf.CA)
	case !slices.Equal(leaf.SANs, []string{"media.example", "127.0.0.1"}):
		t.Errorf("leaf SANs %q", leaf.SANs)
	case !slices.Equal(leaf.ExtKeyUsage, []string{"serverAuth"}) || !slices.Contains(leaf.KeyUsage, "digitalSignature"):
		t.Errorf("leaf usages %q %q", leaf.KeyUsage, leaf.ExtKeyUsage)
	case len(leaf.CRLDistPoint) != 1 || !strings.HasSuffix(leaf.CRLDistPoint[0], "/crl/intermediate.crl"):
		t.Errorf("leaf CRL DP %q", leaf.CRLDistPoint)
	case leaf.SHA256 != hex.EncodeToString(sum[:]):
		t.Errorf("leaf fingerprint %s", leaf.SHA256)
	case !inter.CA || inter.PathLen == nil || *inter.PathLen != 0 || !slices.Contains(inter.KeyUsage, "keyCertSign"):
		t.Errorf("intermediate CA %v path length %v usages %q", inter.CA, inter.PathLen, inter.KeyUsage)
	}

	user, err := ca.Issue(IssueRequest{Profile: UsageUser, CommonName: "Ana", SerialNumberAttr: "PT-1"})
	if err != nil {
		t.Fatal(err)
	}
	got, err = Describe(user.Cert.Raw) // DER
	if err != nil || len(got) != 1 {
		t.Fatalf("Describe of a DER certificate = %+v, %v", got, err)
	}
	if eku := got[0].Certificate.ExtKeyUsage; !slices.Contains(eku, "user ("+OIDUser.String()+")") {
		t.Errorf("user certificate's private usage is named %q", eku)
	}
}

func TestDescribeListsWhatACRLRevokes(t *testing.T) {
	ca := newUnencryptedCA(t)
	is, err := ca.Issue(IssueRequest{Profile: UsageClient, CommonName: "device-1"})
	if err != nil {
		t.Fatal(err)
	}
	if err := ca.Revoke(is.Cert.SerialNumber, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := ca.CRLs(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(ca.CRLPaths()[1])
	if err != nil {
		t.Fatal(err)
	}
	got, err := Describe(data)
	if err != nil || len(got) != 1 || got[0].Type != "crl" {
		t.Fatalf("Describe of a CRL = %+v, %v", got, err)
	}
	crl := got[0].CRL
	if crl.Issuer != ca.Intermediate().Subject.String() || crl.Number == "" || crl.NextUpdate == nil {
		t.Errorf("CRL issuer %q number %q next update %v", crl.Issuer, crl.Number, crl.NextUpdate)
	}
	if len(crl.Revoked) != 1 || crl.Revoked[0].Serial != is.Cert.SerialNumber.Text(16) || crl.Revoked[0].Reason != "keyCompromise" {
		t.Errorf("CRL revokes %+v", crl.Revoked)
	}
	// The JSON names are what `pki show --json` documents.
	b, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"type":"crl"`, `"this_update":`, `"revoked":[{"serial":"`, `"reason":"keyCompromise"`} {
		if !strings.Contains(string(b), key) {
			t.Errorf("JSON %s lacks %s", b, key)
		}
	}
}

func TestDescribeRefusesWhatIsNeitherACertificateNorACRL(t *testing.T) {
	if got, err := Describe([]byte("not a certificate at all")); err == nil || !strings.Contains(err.Error(), "neither a certificate") {
		t.Fatalf("Describe of garbage = %+v, %v", got, err)
	}
}

func TestParseSerialReadsHexAndPrefixedDecimal(t *testing.T) {
	for _, c := range []struct {
		in   string
		want string // hex; "" for a refusal
	}{
		{"5f3a", "5f3a"},
		{"0x5F3A", "5f3a"},
		{"5f:3a", "5f3a"},
		{" 5f3a\n", "5f3a"},
		{"0d24378", "5f3a"},
		{"xyz", ""},
		{"", ""},
		{"0x", ""},
		{"-5f", ""},
		{"0d+12", ""},
	} {
		n, err := ParseSerial(c.in)
		switch {
		case c.want == "" && err == nil:
			t.Errorf("ParseSerial(%q) = %s, want a refusal", c.in, n.Text(16))
		case c.want != "" && (err != nil || n.Text(16) != c.want):
			t.Errorf("ParseSerial(%q) = %v, %v; want %s", c.in, n, err, c.want)
		}
	}
}
