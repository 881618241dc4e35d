package pki

import (
	"context"
	"fmt"
	"io"
	"net/http"
)

// FetchCRLs downloads CRLs (as served by CRLHandler) and returns their DER.
// Each response must be 200, at most 16 MiB, and parse as CRLs; the
// signatures are checked later, by the Validator, so a CRL fetched over
// plain HTTP is as trustworthy as one read from disk.
func FetchCRLs(ctx context.Context, client *http.Client, urls []string) ([][]byte, error) {
	if client == nil {
		client = http.DefaultClient
	}
	var out [][]byte
	for _, u := range urls {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return nil, fmt.Errorf("fetch crl %s: %w", u, err)
		}
		resp, err := client.Do(req)
		if err != nil {
			return nil, fmt.Errorf("fetch crl: %w", err)
		}
		body, err := io.ReadAll(io.LimitReader(resp.Body, maxCRLFile+1))
		resp.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("fetch crl %s: %w", u, err)
		}
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("fetch crl %s: http status %d", u, resp.StatusCode)
		}
		if len(body) > maxCRLFile {
			return nil, fmt.Errorf("fetch crl %s: larger than %d bytes", u, maxCRLFile)
		}
		crls, err := ParseCRLs(body)
		if err != nil {
			return nil, fmt.Errorf("fetch crl %s: %w", u, err)
		}
		out = append(out, crls...)
	}
	return out, nil
}
