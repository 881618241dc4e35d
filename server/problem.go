package server

import (
	"encoding/json"
	"net/http"
)

// problem is an RFC 9457 problem document. Titles and details are fixed
// strings chosen here, never the text of an internal error.
type problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail,omitempty"`
}

const problemBase = "urn:securemedia:problem:"

// Problem kinds.
var (
	probMalformed      = problem{Type: problemBase + "malformed", Title: "Malformed message", Status: http.StatusBadRequest}
	probVersion        = problem{Type: problemBase + "protocol-version", Title: "Unsupported protocol version", Status: http.StatusBadRequest}
	probNegotiation    = problem{Type: problemBase + "handshake-failure", Title: "Handshake failure", Status: http.StatusBadRequest}
	probCertificate    = problem{Type: problemBase + "bad-certificate", Title: "Certificate refused", Status: http.StatusForbidden}
	probAuthentication = problem{Type: problemBase + "authentication-failed", Title: "Authentication failed", Status: http.StatusForbidden}
	probRecord         = problem{Type: problemBase + "record-rejected", Title: "Record rejected", Status: http.StatusBadRequest}
	probNoSession      = problem{Type: problemBase + "no-session", Title: "No such session", Status: http.StatusNotFound}
	probTooLarge       = problem{Type: problemBase + "too-large", Title: "Request body too large", Status: http.StatusRequestEntityTooLarge}
	probBusy           = problem{Type: problemBase + "busy", Title: "Too many sessions", Status: http.StatusTooManyRequests}
	probDraining       = problem{Type: problemBase + "draining", Title: "Server stopping", Status: http.StatusServiceUnavailable}
	probUnavailable    = problem{Type: problemBase + "unavailable", Title: "Service unavailable", Status: http.StatusServiceUnavailable}
	probMethod         = problem{Type: problemBase + "method", Title: "Method not allowed", Status: http.StatusMethodNotAllowed}
	probNotFound       = problem{Type: problemBase + "not-found", Title: "Not found", Status: http.StatusNotFound}
	probInternal       = problem{Type: problemBase + "internal", Title: "Internal error", Status: http.StatusInternalServerError}
)

func writeProblem(w http.ResponseWriter, p problem, detail string) {
	p.Detail = detail
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}
