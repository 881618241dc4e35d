package protocol

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"securemedia/protocol/internal/aead"
)

// RecordType is the content type of a record (DESIGN.md §4 "Records").
type RecordType uint8

// Record types. Requests travel client → server; responses and chunks
// server → client; handshake records carry the encrypted finish messages.
const (
	RecordHandshake RecordType = 1
	RecordRequest   RecordType = 2
	RecordResponse  RecordType = 3
	RecordChunk     RecordType = 4
)

func (t RecordType) String() string {
	switch t {
	case RecordHandshake:
		return "handshake"
	case RecordRequest:
		return "request"
	case RecordResponse:
		return "response"
	case RecordChunk:
		return "chunk"
	}
	return fmt.Sprintf("record(%d)", uint8(t))
}

// recordHeader is version ‖ type ‖ epoch ‖ sequence ‖ length, all
// big-endian; it is authenticated as the AEAD's associated data, and the
// per-record nonce is derived from the sequence number.
type recordHeader struct {
	typ    RecordType
	epoch  uint32
	seq    uint64
	length uint32
}

func (h recordHeader) appendTo(b []byte) []byte {
	b = binary.BigEndian.AppendUint16(b, Version)
	b = append(b, byte(h.typ))
	b = binary.BigEndian.AppendUint32(b, h.epoch)
	b = binary.BigEndian.AppendUint64(b, h.seq)
	return binary.BigEndian.AppendUint32(b, h.length)
}

// parseRecord splits one record into its header, its ciphertext and what
// follows. Framing errors are ErrRecordRejected like every other record
// failure.
func parseRecord(b []byte) (h recordHeader, aad, ct, rest []byte, err error) {
	if len(b) < recordHeaderSize {
		return h, nil, nil, nil, fmt.Errorf("%w: short header", ErrRecordRejected)
	}
	if v := binary.BigEndian.Uint16(b); v != Version {
		return h, nil, nil, nil, fmt.Errorf("%w: version 0x%04x", ErrRecordRejected, v)
	}
	h.typ = RecordType(b[2])
	h.epoch = binary.BigEndian.Uint32(b[3:])
	h.seq = binary.BigEndian.Uint64(b[7:])
	h.length = binary.BigEndian.Uint32(b[15:])
	if h.length > maxRecordCiphertext {
		return h, nil, nil, nil, fmt.Errorf("%w: length %d", ErrRecordRejected, h.length)
	}
	end := recordHeaderSize + int(h.length)
	if len(b) < end {
		return h, nil, nil, nil, fmt.Errorf("%w: truncated", ErrRecordRejected)
	}
	return h, b[:recordHeaderSize], b[recordHeaderSize:end], b[end:], nil
}

// sealedSize is the ciphertext length of an n-byte payload: AEADs add a
// 16-byte tag; CBC suites pad to the next block (PKCS#7, 1 to 16 bytes) and
// add a tag of half the hash size (RFC 7518 §5.2.2.1 T_LEN).
func (s *suite) sealedSize(n int) int {
	if s.kind == aead.AES128CBCHMAC {
		return (n/16+1)*16 + s.hash.Size()/2
	}
	return n + 16
}

// sealRecord appends one sealed record to dst.
func (s *suite) sealRecord(dst []byte, c *aead.Cipher, typ RecordType, epoch uint32, seq uint64, payload []byte) ([]byte, error) {
	if len(payload) > MaxRecordPayload {
		return nil, fmt.Errorf("protocol: record payload of %d bytes exceeds %d", len(payload), MaxRecordPayload)
	}
	n := s.sealedSize(len(payload))
	start := len(dst)
	dst = recordHeader{typ: typ, epoch: epoch, seq: seq, length: uint32(n)}.appendTo(dst)
	aad := dst[start : start+recordHeaderSize]
	out := c.Seal(dst, seq, aad, payload)
	if len(out)-start != recordHeaderSize+n {
		return nil, errors.New("protocol: sealed size disagrees with the suite (broken invariant)")
	}
	return out, nil
}

// ReadRecord reads exactly one record (header and body) from r, bounded by
// the record size limit, into buf (reused when large enough). It returns
// io.EOF only at a record boundary; a record cut short wraps the reader's
// error (io.ErrUnexpectedEOF, a network error), so that a caller can tell
// a lost connection from a malformed record.
func ReadRecord(r io.Reader, buf []byte) ([]byte, error) {
	var hdr [recordHeaderSize]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, io.EOF
		}
		return nil, fmt.Errorf("%w: truncated header: %w", ErrRecordRejected, err)
	}
	length := binary.BigEndian.Uint32(hdr[15:])
	if binary.BigEndian.Uint16(hdr[:]) != Version || length > maxRecordCiphertext {
		return nil, fmt.Errorf("%w: bad header", ErrRecordRejected)
	}
	n := recordHeaderSize + int(length)
	if cap(buf) < n {
		buf = make([]byte, n)
	}
	rec := buf[:n]
	copy(rec, hdr[:])
	if _, err := io.ReadFull(r, rec[recordHeaderSize:]); err != nil {
		return nil, fmt.Errorf("%w: truncated body: %w", ErrRecordRejected, err)
	}
	return rec, nil
}

// RecordTypeOf returns the type in a record's header (not yet
// authenticated: use it only to choose how to open the record).
func RecordTypeOf(record []byte) (RecordType, bool) {
	if len(record) < recordHeaderSize {
		return 0, false
	}
	return RecordType(record[2]), true
}

// RecordSequence returns the sequence number in a record's header, or
// false when the bytes are not a record header. A client uses it to match a
// response's InReplyTo with the request it sealed.
func RecordSequence(record []byte) (uint64, bool) {
	if len(record) < recordHeaderSize {
		return 0, false
	}
	return binary.BigEndian.Uint64(record[7:]), true
}
