package protocol

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"

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
	if len(b) < RecordHeaderSize {
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
	end := RecordHeaderSize + int(h.length)
	if len(b) < end {
		return h, nil, nil, nil, fmt.Errorf("%w: truncated", ErrRecordRejected)
	}
	return h, b[:RecordHeaderSize], b[RecordHeaderSize:end], b[end:], nil
}

// paddedSize is the padded plaintext size of a record of type typ other
// than a chunk whose payload is n bytes (DESIGN.md §4 "Sizes"): the
// smallest bucket that holds the payload and its length, so that replies
// of different contents have one of a few sizes. A handshake record is
// never padded beyond maxHandshakePlaintext, any other beyond
// maxRecordPlaintext; when the payload needs more, ok is false.
func paddedSize(typ RecordType, n int) (size int, ok bool) {
	limit := maxRecordPlaintext
	if typ == RecordHandshake {
		limit = maxHandshakePlaintext
	}
	need := n + recordLengthSize
	if n < 0 || need > limit {
		return 0, false
	}
	for _, bucket := range [...]int{256, 1 << 10, 4 << 10, 16 << 10, 64 << 10, 256 << 10, 1 << 20, 2 << 20} {
		if need <= bucket {
			return min(bucket, limit), true
		}
	}
	return limit, true
}

// putPadded writes the padded plaintext of payload over all of inner:
// payload ‖ zeros ‖ uint32 len(payload) (doc.go, "Records"). payload may
// already sit at the start of inner, in place, or anywhere else.
func putPadded(inner, payload []byte) {
	end := len(inner) - recordLengthSize
	if len(payload) > 0 && &inner[0] != &payload[0] {
		copy(inner, payload)
	}
	clear(inner[len(payload):end])
	binary.BigEndian.PutUint32(inner[end:], uint32(len(payload)))
}

// readPadded returns the payload of a padded plaintext, or false when its
// length does not fit or a byte of its padding is not zero. It runs only
// on authenticated plaintext.
func readPadded(inner []byte) ([]byte, bool) {
	end := len(inner) - recordLengthSize
	if end < 0 {
		return nil, false
	}
	n := binary.BigEndian.Uint32(inner[end:])
	if uint64(n) > uint64(end) {
		return nil, false
	}
	pad := inner[n:end]
	if bytes.Count(pad, []byte{0}) != len(pad) {
		return nil, false
	}
	return inner[:n], true
}

// sealedSize is the ciphertext length of an n-byte padded plaintext:
// AEADs add a 16-byte tag; CBC suites pad to the next block (PKCS#7, 1 to
// 16 bytes) and add a tag of half the hash size (RFC 7518 §5.2.2.1 T_LEN).
func (s *suite) sealedSize(n int) int {
	if s.kind == aead.AES128CBCHMAC {
		return (n/16+1)*16 + s.hash.Size()/2
	}
	return n + 16
}

// sealRecord appends one record of type typ (not a chunk) to dst, its
// payload padded to its bucket (paddedSize).
func (s *suite) sealRecord(dst []byte, c *aead.Cipher, typ RecordType, epoch uint32, seq uint64, payload []byte) ([]byte, error) {
	padded, ok := paddedSize(typ, len(payload))
	if !ok {
		return nil, fmt.Errorf("protocol: %v record payload of %d bytes is too large", typ, len(payload))
	}
	return s.sealPadded(dst, c, recordHeader{typ: typ, epoch: epoch, seq: seq}, payload, padded)
}

// sealPadded appends one record to dst: the header h with its length set,
// then payload padded to padded bytes and sealed in place, right after the
// header, with the header as associated data. When payload already sits
// where the padded plaintext goes (dst[len(dst)+RecordHeaderSize:], within
// dst's capacity) nothing of it is copied.
func (s *suite) sealPadded(dst []byte, c *aead.Cipher, h recordHeader, payload []byte, padded int) ([]byte, error) {
	n := s.sealedSize(padded)
	h.length = uint32(n)
	start := len(dst)
	// Growing keeps payload readable: a payload in dst's old array stays
	// where it is until it is copied into the new one.
	dst = slices.Grow(dst, RecordHeaderSize+n)
	rec := dst[start : start+RecordHeaderSize+n]
	inner := rec[RecordHeaderSize : RecordHeaderSize+padded]
	putPadded(inner, payload)
	h.appendTo(rec[:0])
	out := c.Seal(inner[:0], h.seq, rec[:RecordHeaderSize], inner)
	if len(out) != n || &out[0] != &inner[0] {
		return nil, errors.New("protocol: sealed size disagrees with the suite (broken invariant)")
	}
	return dst[:start+RecordHeaderSize+n], nil
}

// openRecord authenticates and decrypts the ciphertext ct of a parsed
// record under c and appends its payload to dst (dst may be ct[:0] to
// open in place). A record other than a chunk must be padded exactly to
// its bucket. A bad length or padding is rejected as a failed
// authentication is: with ErrRecordRejected (no oracle).
func openRecord(c *aead.Cipher, dst []byte, h recordHeader, aad, ct []byte) ([]byte, error) {
	plain, err := c.Open(dst, h.seq, aad, ct)
	if err != nil {
		return nil, fmt.Errorf("%w: authentication", ErrRecordRejected)
	}
	inner := plain[len(dst):]
	payload, ok := readPadded(inner)
	if ok && h.typ != RecordChunk {
		want, fits := paddedSize(h.typ, len(payload))
		ok = fits && want == len(inner)
	}
	if !ok {
		clear(inner)
		return nil, fmt.Errorf("%w: padding", ErrRecordRejected)
	}
	return plain[:len(dst)+len(payload)], nil
}

// ReadRecord reads exactly one record (header and body) from r, bounded by
// the record size limit, into buf (reused when large enough: a client reads
// every chunk record of a play into the same few buffers, so the header is
// read straight into buf too and nothing is allocated). It returns io.EOF
// only at a record boundary; a record cut short wraps the reader's error
// (io.ErrUnexpectedEOF, a network error), so that a caller can tell a lost
// connection from a malformed record.
func ReadRecord(r io.Reader, buf []byte) ([]byte, error) {
	if cap(buf) < RecordHeaderSize {
		buf = make([]byte, RecordHeaderSize)
	}
	hdr := buf[:RecordHeaderSize]
	if _, err := io.ReadFull(r, hdr); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, io.EOF
		}
		return nil, fmt.Errorf("%w: truncated header: %w", ErrRecordRejected, err)
	}
	length := binary.BigEndian.Uint32(hdr[15:])
	if binary.BigEndian.Uint16(hdr) != Version || length > maxRecordCiphertext {
		return nil, fmt.Errorf("%w: bad header", ErrRecordRejected)
	}
	n := RecordHeaderSize + int(length)
	if cap(buf) < n {
		buf = append(make([]byte, 0, n), hdr...)
	}
	rec := buf[:n]
	if _, err := io.ReadFull(r, rec[RecordHeaderSize:]); err != nil {
		return nil, fmt.Errorf("%w: truncated body: %w", ErrRecordRejected, err)
	}
	return rec, nil
}

// SplitRecord splits the first record off b, by its header's length (not
// yet authenticated: the caller opens both parts), and returns it and what
// follows. A server reads a finish and the request that travels with it
// (DESIGN.md §4 "Handshake") from one body this way.
func SplitRecord(b []byte) (first, rest []byte, err error) {
	_, _, ct, rest, err := parseRecord(b)
	if err != nil {
		return nil, nil, err
	}
	return b[:RecordHeaderSize+len(ct)], rest, nil
}

// RecordTypeOf returns the type in a record's header (not yet
// authenticated: use it only to choose how to open the record).
func RecordTypeOf(record []byte) (RecordType, bool) {
	if len(record) < RecordHeaderSize {
		return 0, false
	}
	return RecordType(record[2]), true
}

// RecordSequence returns the sequence number in a record's header, or
// false when the bytes are not a record header. A client uses it to match a
// response's InReplyTo with the request it sealed.
func RecordSequence(record []byte) (uint64, bool) {
	if len(record) < RecordHeaderSize {
		return 0, false
	}
	return binary.BigEndian.Uint64(record[7:]), true
}

// sealHandshakeRecord seals a handshake flight (the client's finish, the
// server's Finished) as one record of type handshake, epoch 0, sequence
// 0, under the handshake traffic secret ts.
func (s *suite) sealHandshakeRecord(ts trafficSecret, flight []byte) ([]byte, error) {
	c, err := s.recordCipher(ts)
	if err != nil {
		return nil, err
	}
	defer c.Erase()
	return s.sealRecord(nil, c, RecordHandshake, 0, 0, flight)
}

// openHandshakeRecord opens the record sealHandshakeRecord made and
// returns the flight. Every failure of the record itself is a bad record
// (ErrRecordRejected), whatever failed.
func (s *suite) openHandshakeRecord(ts trafficSecret, record []byte) ([]byte, error) {
	h, aad, ct, rest, err := parseRecord(record)
	if err != nil || len(rest) != 0 || h.typ != RecordHandshake || h.epoch != 0 || h.seq != 0 {
		return nil, &Error{Code: AlertBadRecord, Err: ErrRecordRejected}
	}
	c, err := s.recordCipher(ts)
	if err != nil {
		return nil, &Error{Code: AlertInternal, Err: err}
	}
	defer c.Erase()
	flight, err := openRecord(c, nil, h, aad, ct)
	if err != nil {
		return nil, &Error{Code: AlertBadRecord, Err: ErrRecordRejected}
	}
	return flight, nil
}
