package deploy

import (
	"crypto/x509"
	"fmt"
	"time"

	"securemedia/internal/config"
	"securemedia/pki"
	"securemedia/protocol"
)

// Trust is what a chain validator trusts: certificate files (PEM or DER)
// and CRLs (DER), as a [trust] section or the flags of `pki verify` name
// them.
type Trust struct {
	Roots, Intermediates []string
	CRLs                 [][]byte
	// CheckRevocation needs a fresh CRL for every certificate below the root.
	CheckRevocation bool
	// Now is the validation time; nil means time.Now.
	Now func() time.Time
}

// NewValidator loads t's certificates and builds the chain validator.
func NewValidator(t Trust) (*pki.Validator, error) {
	r, err := pki.LoadCertificates(t.Roots...)
	if err != nil {
		return nil, fmt.Errorf("roots: %w", err)
	}
	var inter []*x509.Certificate
	if len(t.Intermediates) > 0 {
		if inter, err = pki.LoadCertificates(t.Intermediates...); err != nil {
			return nil, fmt.Errorf("intermediates: %w", err)
		}
	}
	return pki.NewValidator(pki.ValidatorOptions{Roots: r, Intermediates: inter, CRLs: t.CRLs, CheckRevocation: t.CheckRevocation, Now: t.Now})
}

// protocolConfig turns a [protocol] section into a protocol.Config without
// identity.
func protocolConfig(p config.Protocol) (*protocol.Config, error) {
	pc := &protocol.Config{Rekey: protocol.RekeyPolicy{Chunks: p.RekeyChunks, Bytes: p.RekeyBytes, Age: p.RekeyAge}}
	for _, n := range p.Suites {
		id, err := protocol.ParseSuite(n)
		if err != nil {
			return nil, err
		}
		pc.Suites = append(pc.Suites, id)
	}
	for _, n := range p.Groups {
		id, err := protocol.ParseGroup(n)
		if err != nil {
			return nil, err
		}
		pc.Groups = append(pc.Groups, id)
	}
	return pc, nil
}
