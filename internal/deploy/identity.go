package deploy

import (
	"crypto/x509"
	"fmt"

	"securemedia/internal/config"
	"securemedia/pki"
	"securemedia/protocol"
)

// newValidator builds a chain validator from trust files and CRLs.
func newValidator(roots, intermediates []string, crls [][]byte, revocation bool) (*pki.Validator, error) {
	r, err := pki.LoadCertificates(roots...)
	if err != nil {
		return nil, fmt.Errorf("roots: %w", err)
	}
	var inter []*x509.Certificate
	if len(intermediates) > 0 {
		if inter, err = pki.LoadCertificates(intermediates...); err != nil {
			return nil, fmt.Errorf("intermediates: %w", err)
		}
	}
	return pki.NewValidator(pki.ValidatorOptions{Roots: r, Intermediates: inter, CRLs: crls, CheckRevocation: revocation})
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
