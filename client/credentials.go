package client

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"securemedia/pki"
	"securemedia/protocol"
	"securemedia/token"
)

// UserCredentials are the handshake's user credentials from an opened
// token: its chain and signer, with RSA PKCS#1 v1.5 allowed only for a
// token that cannot sign with RSA-PSS (identity cards, DESIGN.md §4).
func UserCredentials(a token.Authenticator) *protocol.UserCredentials {
	return &protocol.UserCredentials{Chain: a.Chain(), Signer: a.Signer(), AllowPKCS1: !a.SupportsPSS()}
}

// maxCRLIndex bounds the CRL index document.
const maxCRLIndex = 64 << 10

// FetchServerCRLs downloads the CRLs a server publishes under /crl/. CRLs
// are signed, so plain HTTP is fine: the validator checks them.
func FetchServerCRLs(ctx context.Context, hc *http.Client, server string) ([][]byte, error) {
	base := strings.TrimRight(server, "/") + "/crl/"
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base, nil)
	if err != nil {
		return nil, err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("CRL index: HTTP %d", resp.StatusCode)
	}
	var urls []string
	sc := bufio.NewScanner(io.LimitReader(resp.Body, maxCRLIndex))
	for sc.Scan() {
		name := strings.TrimSpace(sc.Text())
		if name == "" || strings.ContainsAny(name, "/?#") || len(urls) == 64 {
			continue
		}
		urls = append(urls, base+url.PathEscape(name))
	}
	if len(urls) == 0 {
		return nil, nil
	}
	return pki.FetchCRLs(ctx, hc, urls)
}
