package license

import (
	"bufio"
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"
)

// The audit export: the whole log as JSON lines, one event per line, in
// order, each in the form Event.MarshalJSON writes:
//
//	{"seq":1,"time":"2030-01-02T03:04:05.000000006Z","kind":"user-add","user_id":"PNOBE-1",
//	 "detail":"...","prev_hash":"00…00","hash":"9f…"}
//
// Every field the hash covers is there, so an export verifies offline
// (VerifyExport, or ReadExport then VerifyChain) without the database. An
// export cannot prove that it is not truncated: compare the head it ends at
// with the one `audit verify` prints.

// maxExportLine bounds one line of an export: the largest event (three
// identifiers, a kind and a detail at their limits, every byte escaped as
// \u00XX) fits with room to spare.
const maxExportLine = 64 << 10

// eventJSON is an event as exports and listings spell it.
type eventJSON struct {
	Seq       int64     `json:"seq"`
	Time      time.Time `json:"time"`
	Kind      string    `json:"kind"`
	UserID    string    `json:"user_id,omitempty"`
	MediaID   string    `json:"media_id,omitempty"`
	LicenseID string    `json:"license_id,omitempty"`
	Detail    string    `json:"detail,omitempty"`
	PrevHash  string    `json:"prev_hash"`
	Hash      string    `json:"hash"`
}

// MarshalJSON encodes the event with its hashes in hex and its time in
// RFC 3339 with nanoseconds, UTC (exact, so the hash recomputes).
func (e Event) MarshalJSON() ([]byte, error) {
	return json.Marshal(eventJSON{Seq: e.Seq, Time: e.Time.UTC(), Kind: e.Kind, UserID: e.UserID, MediaID: e.MediaID,
		LicenseID: e.LicenseID, Detail: e.Detail, PrevHash: hex.EncodeToString(e.PrevHash[:]), Hash: hex.EncodeToString(e.Hash[:])})
}

// UnmarshalJSON decodes what MarshalJSON encodes, strictly: an unknown
// field or a hash that is not 32 bytes of hex is an error.
func (e *Event) UnmarshalJSON(b []byte) error {
	var j eventJSON
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return fmt.Errorf("audit event: %w", err)
	}
	if dec.More() {
		return errors.New("audit event: trailing data")
	}
	ev := Event{Seq: j.Seq, Time: j.Time.UTC(), Kind: j.Kind, UserID: j.UserID, MediaID: j.MediaID, LicenseID: j.LicenseID, Detail: j.Detail}
	if err := decodeHash(&ev.PrevHash, j.PrevHash); err != nil {
		return fmt.Errorf("audit event %d: prev_hash: %w", j.Seq, err)
	}
	if err := decodeHash(&ev.Hash, j.Hash); err != nil {
		return fmt.Errorf("audit event %d: hash: %w", j.Seq, err)
	}
	*e = ev
	return nil
}

func decodeHash(dst *[32]byte, s string) error {
	if len(s) != 2*len(dst) {
		return fmt.Errorf("want %d hex digits, got %d", 2*len(dst), len(s))
	}
	_, err := hex.Decode(dst[:], []byte(s))
	return err
}

// ExportAudit writes the whole audit log of s to w as JSON lines and
// verifies it as VerifyStore does. The export holds every event even when
// the chain is broken (it is evidence); the break is then returned, an
// *AuditError, after the last line. It returns the number of events and
// the head hash.
func ExportAudit(ctx context.Context, s Store, w io.Writer) (int64, [32]byte, error) {
	bw := bufio.NewWriter(w)
	n, head, err := walkStore(ctx, s, func(e Event) error {
		line, err := e.MarshalJSON()
		if err != nil {
			return fmt.Errorf("audit: encode event %d: %w", e.Seq, err)
		}
		bw.Write(line)
		return bw.WriteByte('\n')
	})
	if ferr := bw.Flush(); ferr != nil && err == nil {
		err = fmt.Errorf("audit: write export: %w", ferr)
	}
	return n, head, err
}

// VerifyExport checks an export read from r: every line decodes strictly,
// and the events chain from the first, in order (ChainVerifier). It returns
// the number of events and the head hash, which the operator compares with
// the store's (`audit verify`) to rule out a truncated export.
func VerifyExport(r io.Reader) (int64, [32]byte, error) {
	var v ChainVerifier
	err := readExport(r, func(e Event) error { return v.Next(e) })
	if err != nil {
		return 0, [32]byte{}, err
	}
	n, h := v.Head()
	return n, h, nil
}

// ReadExport decodes a whole export (for VerifyChain, or to list it).
func ReadExport(r io.Reader) ([]Event, error) {
	var out []Event
	err := readExport(r, func(e Event) error { out = append(out, e); return nil })
	return out, err
}

func readExport(r io.Reader, fn func(Event) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxExportLine)
	for line := 1; sc.Scan(); line++ {
		var e Event
		if err := e.UnmarshalJSON(sc.Bytes()); err != nil {
			return fmt.Errorf("audit export line %d: %w", line, err)
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("audit export: %w", err)
	}
	return nil
}
