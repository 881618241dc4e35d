package provision

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"time"

	"github.com/miekg/pkcs11"
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"securemedia/internal/secret"
	"securemedia/token"
)

// DefaultDemoLabel is the token label of a demo identity card.
const DefaultDemoLabel = "CARTAO DE CIDADAO"

// DemoCardOptions shape a demo identity card; the zero value is a card like
// the real one (RSA-2048, valid a year from an hour ago).
type DemoCardOptions struct {
	// Label is the token label (default DefaultDemoLabel).
	Label string
	// HolderName is the certificate's CN (default "Demo Citizen").
	HolderName string
	// SerialNumber is the citizen id in the subject's serialNumber
	// attribute, e.g. "BI123456789" (default: random BI number).
	SerialNumber string
	// PIN is the user PIN (default: 6 random digits).
	PIN []byte
	// KeyType is "rsa2048" (default, as the card) or "p256".
	KeyType string
	// NotBefore and Validity set the user certificate's validity
	// (defaults: an hour ago, one year). A past window makes an expired card.
	NotBefore time.Time
	Validity  time.Duration
	// Module is the SoftHSM2 module (default: SoftHSMModule).
	Module string
	// CA issues the card; nil creates a new citizen CA and writes it to dir.
	CA *CitizenCA
	// Now is the clock for the CA and CRLs (default time.Now).
	Now func() time.Time
}

// DemoCard is a demo identity card and where its files are.
type DemoCard struct {
	// Module, ConfigPath and TokenDir locate the SoftHSM2 token; empty for
	// a software card.
	Module, ConfigPath, TokenDir string
	// Label is the token label.
	Label string
	// PIN is the user PIN; PINFile holds it (0600).
	PIN     []byte
	PINFile string
	// The citizen PKI and the user's certificate.
	RootCert, SubCACert, UserCert *x509.Certificate
	CA                            *CitizenCA
	// SerialNumber is the citizen id the certificate carries.
	SerialNumber string
	// Files: the user certificate (PEM), the chain (PEM, leaf first), the
	// software key (software cards only), and the CA certificates and
	// CRLs (only when the card created its CA).
	UserCertPath, ChainPath, KeyPath string
	RootCertPath, SubCACertPath      string
	RootCRLPath, SubCACRLPath        string
}

// Software reports whether the card is a key file rather than a token.
func (d *DemoCard) Software() bool { return d.Module == "" }

// Config is the Config that opens the card (identity-card profile, by label).
func (d *DemoCard) Config() token.Config {
	return token.Config{
		Module:  d.Module,
		Label:   d.Label,
		Profile: token.CitizenCard,
		PIN:     func() ([]byte, error) { return append([]byte(nil), d.PIN...), nil },
	}
}

// Open opens the card: a Session on the SoftHSM2 token (SOFTHSM2_CONF must
// point at ConfigPath) or the software token.
func (d *DemoCard) Open() (token.Authenticator, error) {
	if d.Software() {
		return token.OpenSoftware(d.KeyPath, d.ChainPath)
	}
	return token.Open(d.Config())
}

// demoDefaults fills in o's defaults.
func demoDefaults(o DemoCardOptions) (DemoCardOptions, error) {
	if o.Label == "" {
		o.Label = DefaultDemoLabel
	}
	if o.HolderName == "" {
		o.HolderName = "Demo Citizen"
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.SerialNumber == "" {
		n, err := randomDigits(9)
		if err != nil {
			return o, err
		}
		o.SerialNumber = "BI" + n
	}
	if !safeFileName(o.SerialNumber) {
		return o, fmt.Errorf("demo card: citizen id %q: use letters, digits and '-' only", o.SerialNumber)
	}
	if len(o.PIN) == 0 {
		n, err := randomDigits(6)
		if err != nil {
			return o, err
		}
		o.PIN = []byte(n)
	} else {
		o.PIN = append([]byte(nil), o.PIN...)
	}
	switch o.KeyType {
	case "":
		o.KeyType = "rsa2048"
	case "rsa2048", "p256":
	default:
		return o, fmt.Errorf("demo card: key type %q (want rsa2048 or p256)", o.KeyType)
	}
	if o.NotBefore.IsZero() {
		o.NotBefore = o.Now().Add(-time.Hour)
	}
	if o.Validity == 0 {
		o.Validity = 365 * 24 * time.Hour
	}
	return o, nil
}

// CreateDemoCard creates a SoftHSM2 token laid out like an identity card in
// dir: it initializes a token on SoftHSM2's free slot, generates the
// authentication key pair on the token (sensitive, not extractable), issues
// its certificate from a citizen CA, and stores the certificate, sub-CA and
// root objects under the card's labels. Several cards may share dir (and
// a CA, through o.CA); each gets its own label and citizen id.
//
// SoftHSM2 reads SOFTHSM2_CONF when it is initialized, so CreateDemoCard
// sets it in the process environment to dir's configuration; later Opens in
// this process then find the card. It refuses to run while SoftHSM2 is
// already initialized in the process (close every Session first), since it
// would otherwise create the token in that other configuration.
func CreateDemoCard(dir string, o DemoCardOptions) (*DemoCard, error) {
	o, err := demoDefaults(o)
	if err != nil {
		return nil, err
	}
	if o.Module == "" {
		var ok bool
		if o.Module, ok = SoftHSMModule(); !ok {
			return nil, errors.New("demo card: SoftHSM2 is not installed (install softhsm2, or use a software card)")
		}
	}
	conf, tokenDir, err := writeSoftHSMConfig(dir)
	if err != nil {
		return nil, fmt.Errorf("demo card: %w", err)
	}
	if err := os.Setenv(token.SoftHSMConfigEnv, conf); err != nil {
		return nil, err
	}
	m, err := token.LoadModule(o.Module)
	if err != nil {
		return nil, fmt.Errorf("demo card: %w", err)
	}
	defer m.Close()
	if !m.Owns() {
		return nil, errors.New("demo card: SoftHSM2 is already in use in this process; close its sessions first")
	}
	d := &DemoCard{Module: o.Module, ConfigPath: conf, TokenDir: tokenDir, Label: o.Label, PIN: o.PIN, SerialNumber: o.SerialNumber}
	err = m.Do(func(ctx *pkcs11.Ctx) error {
		slot, err := freeSlot(ctx, o.Label)
		if err != nil {
			return fmt.Errorf("demo card: %w in %s", err, tokenDir)
		}
		ca, err := demoCA(dir, o, d)
		if err != nil {
			return err
		}
		user, err := initDemoToken(ctx, slot, o, ca)
		if err != nil {
			return fmt.Errorf("demo card: %w", err)
		}
		return d.writeUserFiles(dir, user, ca, nil)
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// demoCA returns o.CA, or creates a CA and writes it to dir.
func demoCA(dir string, o DemoCardOptions, d *DemoCard) (*CitizenCA, error) {
	ca := o.CA
	if ca == nil {
		var err error
		if ca, err = NewCitizenCA(o.Now()); err != nil {
			return nil, fmt.Errorf("demo card: %w", err)
		}
		if err := ca.WriteFiles(dir, o.Now()); err != nil {
			return nil, fmt.Errorf("demo card: %w", err)
		}
	}
	d.CA, d.RootCert, d.SubCACert = ca, ca.Root, ca.SubCA
	if o.CA != nil {
		return ca, nil // the CA's files are wherever it was first written
	}
	f := ca.Files(dir)
	d.RootCertPath, d.SubCACertPath = f.RootCert, f.SubCACert
	d.RootCRLPath, d.SubCACRLPath = f.RootCRL, f.SubCACRL
	return ca, nil
}

// writeUserFiles writes the user certificate, the chain, the PIN and, for a
// software card, the key; it fills in d's paths.
func (d *DemoCard) writeUserFiles(dir string, user *x509.Certificate, ca *CitizenCA, key crypto.Signer) error {
	d.UserCert = user
	base := filepath.Join(dir, "citizen-"+d.SerialNumber)
	d.UserCertPath, d.ChainPath, d.PINFile = base+".pem", base+"-chain.pem", base+".pin"
	if err := writeCertificates(d.UserCertPath, user.Raw); err != nil {
		return fmt.Errorf("demo card: %w", err)
	}
	if err := writeCertificates(d.ChainPath, user.Raw, ca.SubCA.Raw, ca.Root.Raw); err != nil {
		return fmt.Errorf("demo card: %w", err)
	}
	if err := secret.WriteFile(d.PINFile, d.PIN); err != nil {
		return fmt.Errorf("demo card: %w", err)
	}
	if key != nil {
		d.KeyPath = base + ".key"
		if err := writeKey(d.KeyPath, key); err != nil {
			return fmt.Errorf("demo card: %w", err)
		}
	}
	return nil
}

// The CKA_ID values of the demo card's objects.
var (
	demoAuthID  = []byte{0x45, 0x01}
	demoSubCAID = []byte{0x45, 0x02}
	demoRootID  = []byte{0x45, 0x03}
)

// freeSlot finds SoftHSM2's slot with an uninitialized token, making sure
// no token is labelled label yet.
func freeSlot(ctx *pkcs11.Ctx, label string) (uint, error) {
	ids, err := ctx.GetSlotList(true)
	if err != nil {
		return 0, fmt.Errorf("list slots: %w", err)
	}
	var free []uint
	for _, id := range ids {
		ti, err := ctx.GetTokenInfo(id)
		switch {
		case err != nil:
		case ti.Flags&pkcs11.CKF_TOKEN_INITIALIZED == 0:
			free = append(free, id)
		case ti.Label == label:
			return 0, fmt.Errorf("a token labelled %q already exists", label)
		}
	}
	if len(free) == 0 {
		return 0, errors.New("no free SoftHSM2 slot")
	}
	return free[0], nil
}

// initDemoToken initializes the token in slot, sets the PIN, generates the
// key and stores the certificates.
func initDemoToken(ctx *pkcs11.Ctx, slot uint, o DemoCardOptions, ca *CitizenCA) (*x509.Certificate, error) {
	soPIN, err := randomDigits(16)
	if err != nil {
		return nil, err
	}
	// The SO PIN is not kept: a demo card is recreated, not administered.
	if err := ctx.InitToken(slot, soPIN, o.Label); err != nil {
		return nil, fmt.Errorf("initialize token: %w", err)
	}
	sh, err := ctx.OpenSession(slot, pkcs11.CKF_SERIAL_SESSION|pkcs11.CKF_RW_SESSION)
	if err != nil {
		return nil, fmt.Errorf("open session: %w", err)
	}
	defer ctx.CloseSession(sh)
	if err := ctx.Login(sh, pkcs11.CKU_SO, soPIN); err != nil {
		return nil, fmt.Errorf("log in as SO: %w", err)
	}
	if err := ctx.InitPIN(sh, string(o.PIN)); err != nil {
		return nil, fmt.Errorf("set the user PIN: %w", err)
	}
	if err := ctx.Logout(sh); err != nil {
		return nil, fmt.Errorf("log out SO: %w", err)
	}
	if err := ctx.Login(sh, pkcs11.CKU_USER, string(o.PIN)); err != nil {
		return nil, fmt.Errorf("log in: %w", err)
	}
	pub, err := generateKeyPair(ctx, sh, o.KeyType)
	if err != nil {
		return nil, err
	}
	user, err := ca.IssueUser(pub, o.HolderName, o.SerialNumber, o.NotBefore, o.NotBefore.Add(o.Validity))
	if err != nil {
		return nil, err
	}
	for _, obj := range []struct {
		label string
		id    []byte
		cert  *x509.Certificate
	}{
		{token.LabelAuthCertificate, demoAuthID, user},
		{token.LabelSubCA, demoSubCAID, ca.SubCA},
		{token.LabelRootCA, demoRootID, ca.Root},
	} {
		if _, err := ctx.CreateObject(sh, certObject(obj.label, obj.id, obj.cert)); err != nil {
			return nil, fmt.Errorf("store %q: %w", obj.label, err)
		}
	}
	_ = ctx.Logout(sh)
	return user, nil
}

// generateKeyPair generates the authentication key pair on the token and
// returns its public key.
func generateKeyPair(ctx *pkcs11.Ctx, sh pkcs11.SessionHandle, keyType string) (crypto.PublicKey, error) {
	common := func(class uint) []*pkcs11.Attribute {
		return []*pkcs11.Attribute{
			pkcs11.NewAttribute(pkcs11.CKA_CLASS, class),
			pkcs11.NewAttribute(pkcs11.CKA_TOKEN, true),
			pkcs11.NewAttribute(pkcs11.CKA_LABEL, token.LabelAuthKey),
			pkcs11.NewAttribute(pkcs11.CKA_ID, demoAuthID),
		}
	}
	pubT := append(common(pkcs11.CKO_PUBLIC_KEY), pkcs11.NewAttribute(pkcs11.CKA_VERIFY, true))
	privT := append(common(pkcs11.CKO_PRIVATE_KEY),
		pkcs11.NewAttribute(pkcs11.CKA_PRIVATE, true),
		pkcs11.NewAttribute(pkcs11.CKA_SENSITIVE, true),
		pkcs11.NewAttribute(pkcs11.CKA_EXTRACTABLE, false),
		pkcs11.NewAttribute(pkcs11.CKA_SIGN, true),
	)
	var mech uint
	switch keyType {
	case "p256":
		mech = pkcs11.CKM_EC_KEY_PAIR_GEN
		pubT = append(pubT, pkcs11.NewAttribute(pkcs11.CKA_KEY_TYPE, pkcs11.CKK_EC), pkcs11.NewAttribute(pkcs11.CKA_EC_PARAMS, oidP256DER))
		privT = append(privT, pkcs11.NewAttribute(pkcs11.CKA_KEY_TYPE, pkcs11.CKK_EC))
	default:
		mech = pkcs11.CKM_RSA_PKCS_KEY_PAIR_GEN
		pubT = append(pubT, pkcs11.NewAttribute(pkcs11.CKA_KEY_TYPE, pkcs11.CKK_RSA),
			pkcs11.NewAttribute(pkcs11.CKA_MODULUS_BITS, 2048),
			pkcs11.NewAttribute(pkcs11.CKA_PUBLIC_EXPONENT, []byte{1, 0, 1}))
		privT = append(privT, pkcs11.NewAttribute(pkcs11.CKA_KEY_TYPE, pkcs11.CKK_RSA))
	}
	pubH, _, err := ctx.GenerateKeyPair(sh, []*pkcs11.Mechanism{pkcs11.NewMechanism(mech, nil)}, pubT, privT)
	if err != nil {
		return nil, fmt.Errorf("generate the key pair on the token: %w", err)
	}
	attr := func(typ uint) ([]byte, error) {
		as, err := ctx.GetAttributeValue(sh, pubH, []*pkcs11.Attribute{pkcs11.NewAttribute(typ, nil)})
		if err != nil || len(as) != 1 {
			return nil, fmt.Errorf("read the public key: %v", err)
		}
		return as[0].Value, nil
	}
	if keyType == "p256" {
		point, err := attr(pkcs11.CKA_EC_POINT)
		if err != nil {
			return nil, err
		}
		return parseECPoint(point)
	}
	n, err := attr(pkcs11.CKA_MODULUS)
	if err != nil {
		return nil, err
	}
	e, err := attr(pkcs11.CKA_PUBLIC_EXPONENT)
	if err != nil || len(e) == 0 || len(e) > 4 {
		return nil, fmt.Errorf("read the public exponent: %v", err)
	}
	return &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}, nil
}

// oidP256DER is the DER OBJECT IDENTIFIER of prime256v1 (RFC 5480), the
// CKA_EC_PARAMS of a P-256 key.
var oidP256DER = []byte{0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07}

// p256PointLen is the length of an uncompressed P-256 point (SEC 1 §2.3.3).
const p256PointLen = 1 + 2*32

// parseECPoint decodes CKA_EC_POINT: a DER OCTET STRING holding the
// uncompressed point (PKCS#11 §2.3.3); some modules omit the wrapping.
func parseECPoint(v []byte) (*ecdsa.PublicKey, error) {
	// A bare uncompressed point also starts with 0x04, the OCTET STRING
	// tag, so the wrapping is taken only when it holds a whole point.
	point := v
	s := cryptobyte.String(v)
	var inner cryptobyte.String
	if s.ReadASN1(&inner, cbasn1.OCTET_STRING) && s.Empty() && len(inner) == p256PointLen {
		point = inner
	}
	pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), point)
	if err != nil {
		return nil, fmt.Errorf("EC point: %w", err)
	}
	return pub, nil
}

// certObject is the template of an X.509 certificate object.
func certObject(label string, id []byte, c *x509.Certificate) []*pkcs11.Attribute {
	return []*pkcs11.Attribute{
		pkcs11.NewAttribute(pkcs11.CKA_CLASS, pkcs11.CKO_CERTIFICATE),
		pkcs11.NewAttribute(pkcs11.CKA_CERTIFICATE_TYPE, pkcs11.CKC_X_509),
		pkcs11.NewAttribute(pkcs11.CKA_TOKEN, true),
		pkcs11.NewAttribute(pkcs11.CKA_PRIVATE, false),
		pkcs11.NewAttribute(pkcs11.CKA_LABEL, label),
		pkcs11.NewAttribute(pkcs11.CKA_ID, id),
		pkcs11.NewAttribute(pkcs11.CKA_SUBJECT, c.RawSubject),
		pkcs11.NewAttribute(pkcs11.CKA_ISSUER, c.RawIssuer),
		pkcs11.NewAttribute(pkcs11.CKA_VALUE, c.Raw),
	}
}

// CreateSoftwareCard creates the same citizen-CA layout as CreateDemoCard
// with the key in a 0600 PEM file, for machines without SoftHSM2. The key
// is protected by nothing but the file's mode: demos only.
func CreateSoftwareCard(dir string, o DemoCardOptions) (*DemoCard, error) {
	o, err := demoDefaults(o)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("demo card: %w", err)
	}
	d := &DemoCard{Label: o.Label, PIN: o.PIN, SerialNumber: o.SerialNumber}
	ca, err := demoCA(dir, o, d)
	if err != nil {
		return nil, err
	}
	var key crypto.Signer
	if o.KeyType == "p256" {
		key, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	} else {
		key, err = rsa.GenerateKey(rand.Reader, 2048)
	}
	if err != nil {
		return nil, fmt.Errorf("software card: %w", err)
	}
	user, err := ca.IssueUser(key.Public(), o.HolderName, o.SerialNumber, o.NotBefore, o.NotBefore.Add(o.Validity))
	if err != nil {
		return nil, fmt.Errorf("software card: %w", err)
	}
	if err := d.writeUserFiles(dir, user, ca, key); err != nil {
		return nil, err
	}
	return d, nil
}

// randomDigits returns n uniformly random decimal digits.
func randomDigits(n int) (string, error) {
	b := make([]byte, n)
	for i := range b {
		d, err := rand.Int(rand.Reader, big.NewInt(10))
		if err != nil {
			return "", err
		}
		b[i] = byte('0' + d.Int64())
	}
	return string(b), nil
}

// safeFileName reports whether s can name files without escaping a
// directory: letters, digits and '-', at most 64 bytes.
func safeFileName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, c := range []byte(s) {
		if !(isAlnum(c) || c == '-') {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}
