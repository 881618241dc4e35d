// Package pki is the public-key infrastructure that mutual authentication in
// securemedia stands on (DESIGN.md §5): offline CA tooling (a root and an
// intermediate, certificate profiles, revocation, CRLs), private-key storage,
// and the one chain validator with revocation checking (RFC 5280 §6.3) that
// every party uses — the server for device and user chains, the client for
// server and content chains, and `securemedia pki verify` for operators.
//
// # CA directory layout
//
// InitCA writes, under its directory:
//
//	root.crt              the root CA certificate (PEM), the trust anchor
//	root.key              its private key (0600, PKCS#8 PEM, optionally encrypted)
//	intermediate.crt      the intermediate CA certificate (PEM), pathLen 0
//	intermediate.key      its private key (0600)
//	ca.json               CA state: key algorithm, CRL base URL and period,
//	                      CRL numbers, the revocation list
//	crl/root.crl          the root's CRL (DER), covers the intermediate
//	crl/intermediate.crl  the intermediate's CRL (DER), covers the leaves
//	issued/SERIAL.crt     a copy of every certificate issued (PEM)
//
// Leaves are issued by the intermediate; their CRL distribution point is
// CRLBaseURL + "intermediate.crl", and the intermediate's is CRLBaseURL +
// "root.crl", which is what CRLHandler serves.
//
// # Validation
//
// Validator builds the path itself (RFC 5280 §6.1), matching issuer and
// subject names as RFC 5280 §7.1 says (RFC 4518 string preparation: case,
// insignificant spaces and string types do not count; see name.go), with
// at most 100 signature checks per path build; crypto/x509 still checks the
// name and policy constraints of the rare paths that carry them. It then
// applies the rules of the usage: server needs serverAuth and digitalSignature (and
// the name, when one is asked for), client needs clientAuth, content,
// license and user need their private EKUs (OIDContentSigning,
// OIDLicenseSigning, OIDUser), any checks no EKU. A CA in the path that
// lists EKUs must allow the usage. With revocation on, every certificate of
// the path but the trust anchor needs a fresh, correctly signed CRL from its
// issuer (RFC 5280 §6.3), found by the issuer's name under the same rules
// and signed by the issuer's key or by another key of the same CA whose
// operator-configured certificate validates by its own path to the same
// trust anchor (§6.3.3 (f): a rolled-over CA key, a delegated CRL signer);
// see ValidationError for the reasons of a refusal. CRLSet.Status and
// Validator.CRLStatus report the CRLs relied on and when each goes stale,
// and CRLStatuses.StaleWithin picks those to replace soon.
//
// # Private keys
//
// Keys are PKCS#8 in PEM. An encrypted key is a PEM block of type
// "SECUREMEDIA ENCRYPTED PRIVATE KEY" whose headers carry the Argon2id
// parameters and salt and whose body is the XChaCha20-Poly1305 sealing
// (random nonce prepended) of the PKCS#8 DER, with the block type and the
// parameters as associated data (Go has no PKCS#8 encryption).
package pki
