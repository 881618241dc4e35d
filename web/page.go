package web

import (
	"embed"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

// The browser player (DESIGN.md §11): the committed bundle, built from
// src/ by `npm run build` (esbuild), and the page's static files, embedded
// so that serving the page needs no Node.js.
//
//go:embed dist
var dist embed.FS

// ContentSecurityPolicy is the page's policy: its own scripts and styles
// only (no inline script, no eval), connections to its own origin only
// (the protocol endpoints), media from the MediaSource blobs it makes,
// nothing framed, no form posted anywhere.
const ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; " +
	"img-src 'self' data:; media-src 'self' blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// PageConfig is what the page is configured with, served at /config.json:
// the trust root its chain validation starts from (public) and the
// WebAuthn relying party id.
type PageConfig struct {
	// Root is the root certificate (DER) of the server's chain and of the
	// content signer's.
	Root []byte
	// RPID is the WebAuthn relying party id ([web] rp_id).
	RPID string
}

// pageConfigJSON is the wire form of PageConfig: the root as PEM.
type pageConfigJSON struct {
	Root string `json:"root"`
	RPID string `json:"rp_id"`
}

// Routes returns the page's routes, for the server's mux (server.Config
// Extra): the page at /, its script and style, and /config.json.
func Routes(c PageConfig) (map[string]http.Handler, error) {
	if len(c.Root) == 0 || c.RPID == "" {
		return nil, errors.New("web: the page needs a root certificate and an rp_id")
	}
	files, err := fs.Sub(dist, "dist")
	if err != nil {
		return nil, err
	}
	cfg, err := json.Marshal(pageConfigJSON{Root: string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Root})), RPID: c.RPID})
	if err != nil {
		return nil, err
	}
	routes := map[string]http.Handler{
		"GET /{$}": file(files, "index.html"),
		"GET /config.json": http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			headers(w, "application/json")
			w.Write(cfg)
		}),
	}
	entries, err := fs.ReadDir(files, ".")
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if n := e.Name(); !e.IsDir() && n != "index.html" {
			routes["GET /"+n] = file(files, n)
		}
	}
	return routes, nil
}

// file serves one embedded file with the page's headers.
func file(files fs.FS, name string) http.Handler {
	types := map[string]string{".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		data, err := fs.ReadFile(files, name)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		headers(w, types[strings.ToLower(path.Ext(name))])
		w.Write(data)
	})
}

// headers sets what every response of the page carries: its type, the
// policy, no sniffing, no referrer (the invite code lives in the fragment,
// which browsers never send, and no URL of the page leaves it), and no
// caching, so that a new bundle is used at once and nothing lingers.
func headers(w http.ResponseWriter, contentType string) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Security-Policy", ContentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
}
