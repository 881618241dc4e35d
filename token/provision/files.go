package provision

import (
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// writeNew writes b to a new file with mode perm, refusing to overwrite.
func writeNew(path string, b []byte, perm os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Close()
}

// replaceFile writes b to path through a new file beside it renamed over
// it, so that a reader sees the old content or the new, never part of one.
func replaceFile(path string, b []byte, perm os.FileMode) error {
	next := path + ".next"
	if err := os.Remove(next); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err // a file left by an interrupted refresh that we cannot remove
	}
	if err := writeNew(next, b, perm); err != nil {
		return err
	}
	if err := os.Rename(next, path); err != nil {
		os.Remove(next)
		return err
	}
	return nil
}

func writeCertificates(path string, ders ...[]byte) error {
	var out []byte
	for _, der := range ders {
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})...)
	}
	return writeNew(path, out, 0o644)
}

// writeKey writes a PKCS#8 PEM private key with mode 0600.
func writeKey(path string, key crypto.Signer) error {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return fmt.Errorf("encode key for %s: %w", path, err)
	}
	block := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	clear(der)
	err = writeNew(path, block, 0o600)
	clear(block)
	return err
}
