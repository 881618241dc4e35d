// Package provision makes what package token reads: throwaway identity
// cards for demos and tests (a SoftHSM2 token laid out with the identity
// card's labels, CreateDemoCard, or the same layout in files on machines
// without SoftHSM2, CreateSoftwareCard), the throwaway citizen CA that
// issues them and its CRLs, and the media store's key-encryption key on a
// PKCS#11 token (CreateKEK).
//
// It runs at setup time, from "securemedia token demo-card", "securemedia
// init", "securemedia token create-kek" and the tests; a running server or
// client needs only package token.
package provision
