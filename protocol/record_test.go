package protocol

import (
	"bytes"
	"errors"
	"fmt"
	"testing"

	"securemedia/protocol/internal/aead"
)

func TestPaddedSizesAreTheBuckets(t *testing.T) {
	tests := []struct {
		typ  RecordType
		n    int
		want int // 0: too large for the type
	}{
		{RecordRequest, 0, 256},
		{RecordRequest, 252, 256},
		{RecordRequest, 253, 1 << 10},
		{RecordResponse, 1<<10 - 4, 1 << 10},
		{RecordResponse, 1<<10 - 3, 4 << 10},
		{RecordResponse, 4<<10 - 3, 16 << 10},
		{RecordResponse, 16<<10 - 3, 64 << 10},
		{RecordResponse, 64<<10 - 3, 256 << 10},
		{RecordResponse, 256<<10 - 3, 1 << 20},
		{RecordResponse, 1<<20 - 3, 2 << 20},
		{RecordResponse, 2<<20 - 4, 2 << 20},
		{RecordResponse, 2<<20 - 3, maxRecordPlaintext},
		{RecordResponse, 2<<20 + 14, maxRecordPlaintext}, // the largest operation body in a response
		{RecordResponse, MaxRecordPayload, maxRecordPlaintext},
		{RecordResponse, MaxRecordPayload + 1, 0},
		{RecordHandshake, 3000, 4 << 10},
		{RecordHandshake, 64<<10 - 4, 64 << 10},
		{RecordHandshake, 64<<10 - 3, maxHandshakePlaintext},
		{RecordHandshake, maxHandshakePlaintext - recordLengthSize, maxHandshakePlaintext},
		{RecordHandshake, maxHandshakePlaintext - recordLengthSize + 1, 0},
	}
	for _, tt := range tests {
		name := fmt.Sprintf("a %v payload of %d bytes pads to %d", tt.typ, tt.n, tt.want)
		if tt.want == 0 {
			name = fmt.Sprintf("a %v payload of %d bytes is too large", tt.typ, tt.n)
		}
		t.Run(name, func(t *testing.T) {
			got, ok := paddedSize(tt.typ, tt.n)
			if ok != (tt.want != 0) || got != tt.want {
				t.Fatalf("paddedSize = %d, %v", got, ok)
			}
		})
	}
}

func TestTheLargestRecordsStayWithinTheLimits(t *testing.T) {
	for _, s := range suiteTable {
		if got := RecordHeaderSize + s.sealedSize(maxHandshakePlaintext); got > MaxHandshakeFlight {
			t.Errorf("%v: the largest handshake record is %d bytes, more than a server reads (%d)", s.id, got, MaxHandshakeFlight)
		}
		if got := s.sealedSize(maxRecordPlaintext); got > maxRecordCiphertext {
			t.Errorf("%v: the largest record's ciphertext is %d bytes, more than a reader accepts (%d)", s.id, got, maxRecordCiphertext)
		}
		if got := s.sealedSize(64<<10) - 64<<10 + RecordHeaderSize; got > MaxRecordOverhead {
			t.Errorf("%v: a record is %d bytes longer than its padded plaintext, more than MaxRecordOverhead", s.id, got)
		}
	}
}

// TestTheLargestOperationBodyTravelsInOneRecord: package message bounds an
// operation body at 2 MiB (a signed manifest of the largest item); a
// response carrying one (2 MiB and its 14-byte envelope) is sealed, read
// and opened.
func TestTheLargestOperationBodyTravelsInOneRecord(t *testing.T) {
	c, s := established(t)
	payload := bytes.Repeat([]byte{0x42}, 2<<20+14)
	rec, err := s.Seal(nil, RecordResponse, payload)
	if err != nil {
		t.Fatal(err)
	}
	read, err := ReadRecord(bytes.NewReader(rec), nil)
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := c.Open(read, RecordResponse)
	if err != nil || !bytes.Equal(got, payload) {
		t.Fatalf("the largest response did not arrive intact: %v", err)
	}
}

// TestARecordsLengthDependsOnlyOnItsBucket: what an observer sees of a
// record, its length, is the same for every payload of a bucket, and for
// every chunk of an item (DESIGN.md §4 "Sizes").
func TestARecordsLengthDependsOnlyOnItsBucket(t *testing.T) {
	for _, id := range benchSuites {
		t.Run(id.String(), func(t *testing.T) {
			c, s := establishedWith(t, id)
			lengths := map[int]int{} // padded size → record length
			sizes := []int{252, 253, 1020, 1021, 4092, 4093, 16380, 16381}
			for n := 0; n <= 17<<10; n += 1 + n/64 {
				sizes = append(sizes, n)
			}
			for _, n := range sizes {
				payload := bytes.Repeat([]byte{0xa5}, n)
				rec, err := c.Seal(nil, RecordRequest, payload)
				if err != nil {
					t.Fatal(err)
				}
				padded, _ := paddedSize(RecordRequest, n)
				if l, seen := lengths[padded]; seen && l != len(rec) {
					t.Fatalf("a %d-byte request is a %d-byte record, another of its bucket %d bytes", n, len(rec), l)
				}
				lengths[padded] = len(rec)
				got, _, err := s.Open(rec, RecordRequest)
				if err != nil || !bytes.Equal(got, payload) {
					t.Fatalf("a %d-byte request did not arrive intact: %v", n, err)
				}
			}
			if len(lengths) != 5 {
				t.Fatalf("requests of 0 to 17 KiB took %d record lengths, want 5 (256 B to 64 KiB)", len(lengths))
			}

			const chunkSize = 16 << 10
			want := 0
			for _, n := range []int{chunkSize, chunkSize - 1, 16000, 1, 0} {
				chunk := bytes.Repeat([]byte{0x5a}, n)
				rec, err := s.SealChunk(nil, mediaID{3}, uint32(n), chunk, chunkSize)
				if err != nil {
					t.Fatal(err)
				}
				if want == 0 {
					want = len(rec)
				}
				if len(rec) != want {
					t.Fatalf("a %d-byte chunk is a %d-byte record, a full one %d", n, len(rec), want)
				}
				got, _, err := c.OpenChunk(nil, rec, mediaID{3}, uint32(n))
				if err != nil || !bytes.Equal(got, chunk) {
					t.Fatalf("a %d-byte chunk did not arrive intact: %v", n, err)
				}
			}
		})
	}
}

func TestAChunkLargerThanItsPadSizeIsNotSealed(t *testing.T) {
	_, s := established(t)
	if _, err := s.SealChunk(nil, mediaID{}, 0, make([]byte, 101), 100); err == nil {
		t.Fatal("a 101-byte chunk was padded to 100 bytes")
	}
	if _, err := s.SealChunk(nil, mediaID{}, 0, nil, MaxRecordPayload+1); err == nil {
		t.Fatal("a chunk was padded beyond the record limit")
	}
}

// sealInner seals inner, taken as the padded plaintext whatever it holds,
// as the next record of s of type typ (under the chunk key of media, 0
// for a chunk): what only a broken or hostile peer holding the keys sends.
func sealInner(t *testing.T, s *Session, typ RecordType, media mediaID, inner []byte) []byte {
	t.Helper()
	chunkBytes := -1
	if typ == RecordChunk {
		chunkBytes = len(inner)
	}
	k, seq, err := s.reserve(chunkBytes)
	if err != nil {
		t.Fatal(err)
	}
	defer k.release()
	c := k.cipher
	if typ == RecordChunk {
		if c, err = s.suite.chunkCipher(k.secret, media, 0); err != nil {
			t.Fatal(err)
		}
	}
	return sealRaw(s.suite, c, recordHeader{typ: typ, epoch: k.epoch, seq: seq}, inner)
}

func sealRaw(s *suite, c *aead.Cipher, h recordHeader, inner []byte) []byte {
	h.length = uint32(s.sealedSize(len(inner)))
	hdr := h.appendTo(nil)
	return c.Seal(hdr, h.seq, hdr, inner)
}

// padded is payload ‖ zeros ‖ uint32 length, to size bytes, built here
// apart from putPadded.
func padded(payload []byte, size int, length uint32) []byte {
	b := make([]byte, size)
	copy(b, payload)
	b[size-4], b[size-3], b[size-2], b[size-1] = byte(length>>24), byte(length>>16), byte(length>>8), byte(length)
	return b
}

// TestBadPaddingIsRejectedAsAForgeryIs: a record that authenticates but
// whose length does not fit, whose padding is not zero or, other than a
// chunk, is not padded to its bucket, is ErrRecordRejected, as a forgery
// is, and changes nothing: the genuine record after it still opens.
func TestBadPaddingIsRejectedAsAForgeryIs(t *testing.T) {
	nonZero := padded([]byte("payload"), 256, 7)
	nonZero[100] = 1
	nonZeroChunk := padded([]byte("chunk"), 64, 5)
	nonZeroChunk[59] = 1 // the last byte before the length
	cases := []struct {
		name  string
		typ   RecordType
		inner []byte
	}{
		{"a response whose length exceeds its plaintext", RecordResponse, padded([]byte("payload"), 256, 253)},
		{"a response whose length is all ones", RecordResponse, padded(nil, 256, 0xffffffff)},
		{"a response with a non-zero padding byte", RecordResponse, nonZero},
		{"a response shorter than its length field", RecordResponse, []byte{0, 0, 0}},
		{"an empty response plaintext", RecordResponse, nil},
		{"a response padded to a larger bucket than its own", RecordResponse, padded([]byte("payload"), 1024, 7)},
		{"a response padded to no bucket", RecordResponse, padded([]byte("payload"), 300, 7)},
		{"a response not padded at all", RecordResponse, padded([]byte("payload"), 11, 7)},
		{"a chunk whose length exceeds its plaintext", RecordChunk, padded([]byte("chunk"), 64, 61)},
		{"a chunk with a non-zero padding byte", RecordChunk, nonZeroChunk},
		{"a chunk plaintext shorter than its length field", RecordChunk, []byte{0, 0}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, s := established(t)
			bad := sealInner(t, s, tc.typ, mediaID{}, tc.inner)
			var err error
			if tc.typ == RecordChunk {
				_, _, err = c.OpenChunk(nil, bad, mediaID{}, 0)
			} else {
				_, _, err = c.Open(bad, RecordResponse)
			}
			if !errors.Is(err, ErrRecordRejected) {
				t.Fatalf("open = %v, want ErrRecordRejected", err)
			}
			// The bad record's sequence number was not consumed.
			s.mu.Lock()
			s.sendSeq--
			s.mu.Unlock()
			good, _ := s.Seal(nil, RecordResponse, []byte("genuine"))
			if got, _, err := c.Open(good, RecordResponse); err != nil || string(got) != "genuine" {
				t.Fatalf("the genuine record with the same sequence number: %q, %v", got, err)
			}
		})
	}
}

func TestAFinishRecordWithBadPaddingChangesNothing(t *testing.T) {
	p := newPair(t)
	c, hs := throughServerFlight(t, p)
	bad := sealRaw(c.suite, mustCipher(t, c.suite, c.clientHS), recordHeader{typ: RecordHandshake},
		padded([]byte("flight"), 1024, 6))
	if _, _, _, err := hs.Finish(bad); !errors.Is(err, ErrRecordRejected) || Code(err) != AlertBadRecord {
		t.Fatalf("Finish = %v, want a bad record", err)
	}
	fin, err := c.Finish()
	if err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := hs.Finish(fin); err != nil {
		t.Fatalf("the genuine finish after the bad one: %v", err)
	}
}

func mustCipher(t *testing.T, s *suite, ts trafficSecret) *aead.Cipher {
	t.Helper()
	c, err := s.recordCipher(ts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// establishedWith is a session pair under suite.
func establishedWith(t *testing.T, suite SuiteID) (c, s *Session) {
	t.Helper()
	p := newPair(t)
	p.client.Suites = []SuiteID{suite}
	res := mustHandshake(t, p.client, p.server)
	return res.client, res.server
}

// TestChunksSealAndOpenInPlace: a chunk read where the record's payload
// goes is sealed there, and a record opens inside itself; both agree with
// the copying paths.
func TestChunksSealAndOpenInPlace(t *testing.T) {
	c, s := established(t)
	chunk := bytes.Repeat([]byte("in place "), 100)
	const prefix = 7 // the record is appended after other bytes
	buf := make([]byte, prefix, prefix+RecordHeaderSize+1024)
	inPlace := buf[prefix+RecordHeaderSize : prefix+RecordHeaderSize+len(chunk)]
	copy(inPlace, chunk)
	rec, err := s.SealChunk(buf, mediaID{}, 0, inPlace, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if &rec[0] != &buf[0] {
		t.Fatal("sealing in place reallocated the buffer")
	}
	r := rec[prefix:]
	got, _, err := c.OpenChunk(r[RecordHeaderSize:RecordHeaderSize], r, mediaID{}, 0)
	if err != nil || !bytes.Equal(got, chunk) {
		t.Fatalf("opening in place: %v", err)
	}
	if &got[0] != &r[RecordHeaderSize] {
		t.Fatal("opening in place wrote elsewhere")
	}
}

// TestAPayloadAnywhereInTheBufferIsSealedIntact: a payload that overlaps
// the record being written, but not where its plaintext goes, is moved
// before anything overwrites it.
func TestAPayloadAnywhereInTheBufferIsSealedIntact(t *testing.T) {
	c, s := established(t)
	want := bytes.Repeat([]byte("overlap "), 40)
	for _, at := range []int{0, 5, RecordHeaderSize - 1, RecordHeaderSize, RecordHeaderSize + 1, RecordHeaderSize + 200} {
		buf := make([]byte, 0, 2048)
		payload := buf[at : at+len(want)]
		copy(payload, want)
		rec, err := s.Seal(buf, RecordResponse, payload)
		if err != nil {
			t.Fatal(err)
		}
		got, _, err := c.Open(rec, RecordResponse)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("a payload at offset %d: %v", at, err)
		}
	}
	// And one in a buffer too small, which grows.
	small := make([]byte, 0, 320)
	payload := small[10:310]
	copy(payload, bytes.Repeat([]byte{0x77}, 300))
	rec, err := s.Seal(small, RecordResponse, payload)
	if err != nil {
		t.Fatal(err)
	}
	if got, _, err := c.Open(rec, RecordResponse); err != nil || !bytes.Equal(got, bytes.Repeat([]byte{0x77}, 300)) {
		t.Fatalf("a payload in a buffer that grew: %v", err)
	}
}

// TestARecordIsReadIntoTheCallersBufferWithoutAllocating: the client reads
// every chunk record of a play into the same few buffers; a buffer too
// small for the header, or for the record, grows and the record is intact.
func TestARecordIsReadIntoTheCallersBufferWithoutAllocating(t *testing.T) {
	_, s := established(t)
	rec, err := s.SealChunk(nil, mediaID{3}, 9, bytes.Repeat([]byte{0x5a}, 700), 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, capacity := range []int{0, RecordHeaderSize - 1, RecordHeaderSize, len(rec) - 1, len(rec), len(rec) + 100} {
		buf := make([]byte, 3, capacity+3)[3:] // a buffer with old bytes in it
		got, err := ReadRecord(bytes.NewReader(rec), buf)
		if err != nil || !bytes.Equal(got, rec) {
			t.Fatalf("into a buffer of %d bytes: %v", capacity, err)
		}
		if grew := cap(buf) == 0 || &got[0] != &buf[:1][0]; grew != (capacity < len(rec)) {
			t.Fatalf("into a buffer of %d bytes for a record of %d: reallocated %v", capacity, len(rec), grew)
		}
	}
	var r bytes.Reader
	buf := make([]byte, 0, len(rec))
	allocs := testing.AllocsPerRun(100, func() {
		r.Reset(rec)
		if _, err := ReadRecord(&r, buf); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Fatalf("reading a record into a large enough buffer allocates %v times", allocs)
	}
}

// TestEverySuiteOpensAChunkInPlaceAndATamperedOneNot: OpenChunk into
// record[RecordHeaderSize:RecordHeaderSize] (what client/play.go does on
// every chunk) under each suite, CBC's IV-first layout included; a tampered
// record opened in place fails and yields no plaintext.
func TestEverySuiteOpensAChunkInPlaceAndATamperedOneNot(t *testing.T) {
	for _, id := range benchSuites {
		t.Run(id.String(), func(t *testing.T) {
			c, s := establishedWith(t, id)
			chunk := bytes.Repeat([]byte("in place "), 1000)
			for i, tamper := range []bool{false, true} {
				rec, err := s.SealChunk(nil, mediaID{}, uint32(i), chunk, 16<<10)
				if err != nil {
					t.Fatal(err)
				}
				if tamper {
					rec[len(rec)/2] ^= 1
				}
				got, _, err := c.OpenChunk(rec[RecordHeaderSize:RecordHeaderSize], rec, mediaID{}, uint32(i))
				if tamper {
					if err == nil || got != nil {
						t.Fatalf("tampered: %v, %d bytes", err, len(got))
					}
					continue
				}
				if err != nil || !bytes.Equal(got, chunk) {
					t.Fatalf("in place: %v", err)
				}
			}
		})
	}
}
