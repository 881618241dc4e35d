package protocol

import (
	"errors"
	"fmt"
)

// AlertCode classifies a protocol failure. The peer sees only the class; the
// detail stays in the local log (no oracle: a bad MAC, a bad signature and a
// replay look the same from outside).
type AlertCode uint8

// Alert codes.
const (
	AlertDecodeError AlertCode = iota + 1
	AlertProtocolVersion
	AlertHandshakeFailure // no common suite or group, bad share
	AlertBadCertificate   // chain did not validate
	AlertDecryptError     // a signature or Finished check failed
	AlertBadRecord        // record failed authentication, replay or framing
	AlertInternal
)

var alertNames = [...]string{
	AlertDecodeError:      "decode error",
	AlertProtocolVersion:  "protocol version",
	AlertHandshakeFailure: "handshake failure",
	AlertBadCertificate:   "bad certificate",
	AlertDecryptError:     "decrypt error",
	AlertBadRecord:        "bad record",
	AlertInternal:         "internal error",
}

func (a AlertCode) String() string {
	if int(a) < len(alertNames) && alertNames[a] != "" {
		return alertNames[a]
	}
	return fmt.Sprintf("alert(%d)", uint8(a))
}

// Error is a protocol failure: a code for the peer and a detail for the log.
type Error struct {
	Code AlertCode
	Err  error
}

func (e *Error) Error() string {
	if e.Err == nil {
		return "protocol: " + e.Code.String()
	}
	return "protocol: " + e.Code.String() + ": " + e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

func newError(code AlertCode, format string, args ...any) *Error {
	return &Error{Code: code, Err: fmt.Errorf(format, args...)}
}

// Code returns the alert code of err, or AlertInternal if err is not a
// protocol error.
func Code(err error) AlertCode {
	var pe *Error
	if errors.As(err, &pe) {
		return pe.Code
	}
	return AlertInternal
}

// ErrRecordRejected is the single error for a record that failed
// authentication, the replay window or framing.
var ErrRecordRejected = errors.New("record rejected")

// ErrUserRequired and ErrUserNotAccepted refuse a handshake for the
// presence or absence of a user; their text names no identity, so a
// server may show it to the peer.
var (
	ErrUserRequired    = errors.New("user authentication required")
	ErrUserNotAccepted = errors.New("user authentication is not accepted by this server")
)

// ErrRekeyRequired is returned by SealChunk once the epoch is past twice a
// rekey threshold: no more data under these keys.
var ErrRekeyRequired = errors.New("rekey required")

// ErrRekeyInProgress is returned by PrepareRekey while another rekey is
// prepared and not yet committed: a session runs one rekey at a time.
var ErrRekeyInProgress = errors.New("a rekey is in progress")

// ErrSessionClosed is returned by a Session after Close or a fatal error.
var ErrSessionClosed = errors.New("session closed")
