package protocol

import (
	"bytes"
	"crypto/x509"
	"io"
	"testing"
	"time"
)

// Fuzz targets for every decoder of the protocol. `go test` runs their seed
// corpus (f.Add plus testdata/fuzz); `go test -fuzz FuzzX` explores.

func seedHandshake(f *testing.F) *result {
	p := newPair(f)
	c := *p.client
	c.Groups = []GroupID{GroupX25519, GroupP256}
	return mustHandshake(f, &c, p.server)
}

func FuzzAcceptHelloFlight(f *testing.F) {
	res := seedHandshake(f)
	f.Add(res.transcript[0])
	f.Add([]byte{})
	f.Add(frame(typeClientHello, nil))
	p := newPair(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		hs, reply, err := Accept(p.server, data)
		if err == nil && hs == nil && len(reply) == 0 {
			t.Fatal("no error, no handshake and no retry")
		}
		if err != nil && hs != nil {
			t.Fatal("error with a handshake")
		}
	})
}

// FuzzReadHello reads hello flights as a server under load does, with a
// cookie key and a client address: a first hello, or a retry flight that
// echoes a cookie. Seeds: testdata/fuzz/FuzzReadHello (a cookie retry
// flight of the golden case, which the fixed key and clock verify).
func FuzzReadHello(f *testing.F) {
	res := seedHandshake(f)
	f.Add(res.transcript[0])
	p := newPair(f)
	s := *p.server
	s.CookieKey, s.Now = goldenCookieKey, func() time.Time { return goldenNow }
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := ReadHello(&s, data, goldenClient)
		if (h == nil) == (err == nil) {
			t.Fatalf("ReadHello = %v, %v", h, err)
		}
		if err != nil {
			return
		}
		if h.Retried() {
			if _, err := h.Retry(true); err == nil {
				t.Fatal("a retry flight answered with a retry")
			}
			return
		}
		if hrr, err := h.Retry(true); err != nil || len(hrr) == 0 {
			t.Fatalf("no cookie retry for a first hello: %v", err)
		}
	})
}

func FuzzClientReadServerFlight(f *testing.F) {
	res := seedHandshake(f)
	f.Add(res.transcript[1])
	f.Add((&helloRetryRequest{version: Version, suite: DH_AES128_GCM_SHA256, group: GroupP256}).marshal())
	f.Add((&helloRetryRequest{version: Version, suite: DH_AES128_GCM_SHA256, group: GroupX25519, cookie: make([]byte, cookieSize)}).marshal())
	p := newPair(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		c, _ := NewClientHandshake(p.client)
		if _, err := c.Hello(); err != nil {
			t.Fatal(err)
		}
		retry, err := c.ReadServerFlight(data)
		if err == nil && !retry {
			t.Fatal("a fuzzed server flight authenticated")
		}
	})
}

func FuzzServerFinish(f *testing.F) {
	res := seedHandshake(f)
	f.Add(res.transcript[2])
	p := newPair(f)
	c, _ := NewClientHandshake(p.client)
	hello, _ := c.Hello()
	f.Fuzz(func(t *testing.T, data []byte) {
		hs, _, err := Accept(p.server, hello)
		if err != nil || hs == nil {
			t.Skip()
		}
		if _, sess, _, err := hs.Finish(data); err == nil || sess != nil {
			t.Fatal("a fuzzed finish record authenticated")
		}
	})
}

// FuzzParseClientFinish: what parses is the finish as sent, byte for
// byte. Seeds: a finish without a user, and one of each user kind.
func FuzzParseClientFinish(f *testing.F) {
	_, fin, _, _ := finishInClear(f, newPair(f))
	f.Add(fin.marshal())
	device := append(append([]byte(nil), fin.deviceCert.raw...), fin.deviceVerify.raw...)
	a := &WebAuthnAssertion{CredentialID: []byte{1}, AuthenticatorData: make([]byte, 37), ClientDataJSON: []byte("{}"), Signature: []byte{1}}
	f.Add(append(append(append(append([]byte(nil), device...), byte(userWebAuthn)), a.marshal()...), fin.finished.raw...))
	card := append(marshalCertificate(typeUserCertificate, [][]byte{{1}}), (&certificateVerify{scheme: 0x0807, signature: []byte{1}}).marshal(typeUserCertificateVerify)...)
	f.Add(append(append(append(append([]byte(nil), device...), byte(userCertificate)), card...), fin.finished.raw...))
	f.Fuzz(func(t *testing.T, data []byte) {
		cf, err := parseClientFinish(data)
		if err != nil {
			return
		}
		if !bytes.Equal(cf.marshal(), data) {
			t.Fatal("the finish does not round-trip")
		}
		if (cf.kind == userWebAuthn) != (cf.webauthn != nil) || len(cf.user) == 0 || cf.user[0] != byte(cf.kind) {
			t.Fatalf("kind %s with user part %x", cf.kind, cf.user)
		}
	})
}

func FuzzSessionOpen(f *testing.F) {
	p := newPair(f)
	res := mustHandshake(f, p.client, p.server)
	rec, _ := res.client.Seal(nil, RecordRequest, []byte("seed"))
	f.Add(rec)
	chunk, _ := res.server.SealChunk(nil, mediaID{}, 0, []byte("chunk"), 64)
	f.Add(chunk)
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, _, err := res.server.Open(data, RecordRequest); err == nil && !bytes.Equal(data, rec) {
			t.Fatal("a fuzzed record authenticated")
		}
		if _, _, err := res.client.OpenChunk(nil, data, mediaID{}, 0); err == nil && !bytes.Equal(data, chunk) {
			t.Fatal("a fuzzed chunk authenticated")
		}
	})
}

// FuzzReadRecord: ReadRecord returns only bytes it read, and SplitRecord
// agrees with it.
func FuzzReadRecord(f *testing.F) {
	f.Add([]byte{0, 1, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xaa})
	f.Add([]byte{0, 1, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, data []byte) {
		rec, err := ReadRecord(bytes.NewReader(data), nil)
		if err == nil && !bytes.HasPrefix(data, rec) {
			t.Fatal("ReadRecord returned bytes that were not read")
		}
		if err == io.EOF && len(data) != 0 {
			t.Fatal("io.EOF in the middle of a record")
		}
		// SplitRecord, which splits a finish from the request behind it,
		// cuts where ReadRecord stops, and loses no byte.
		first, rest, serr := SplitRecord(data)
		if (serr == nil) != (err == nil) {
			t.Fatalf("ReadRecord: %v, SplitRecord: %v", err, serr)
		}
		if serr == nil && (!bytes.Equal(first, rec) || !bytes.Equal(append(append([]byte(nil), first...), rest...), data)) {
			t.Fatalf("SplitRecord cut %d + %d bytes where ReadRecord read %d", len(first), len(rest), len(rec))
		}
	})
}

// The decoders of the server flight's new parts, each with its round trip:
// what parses re-encodes to the same bytes.

func FuzzParseHelloRetryRequest(f *testing.F) {
	f.Add((&helloRetryRequest{version: Version, suite: DH_AES128_GCM_SHA256, group: GroupP256}).marshal()[handshakeHeaderSize:])
	f.Add((&helloRetryRequest{version: Version, suite: DH_CHACHA20_SHA256, group: GroupX25519, cookie: make([]byte, cookieSize)}).marshal()[handshakeHeaderSize:])
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := parseHelloRetryRequest(data)
		if err == nil && !bytes.Equal(m.marshal()[handshakeHeaderSize:], data) {
			t.Fatal("HelloRetryRequest does not round-trip")
		}
	})
}

func FuzzParseServerHello(f *testing.F) {
	f.Add((&serverHello{version: Version, suite: DH_AES128_GCM_SHA256, group: GroupX25519, share: []byte{1, 2}}).marshal()[handshakeHeaderSize:])
	f.Add((&serverHello{version: Version, suite: DH_AES128_GCM_SHA256, group: GroupX25519, share: []byte{1, 2}, replica: "replica-a"}).marshal()[handshakeHeaderSize:])
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := parseServerHello(data)
		if err != nil {
			return
		}
		if !bytes.Equal(m.marshal()[handshakeHeaderSize:], data) {
			t.Fatal("ServerHello does not round-trip")
		}
		if m.replica != "" && CheckReplicaName(m.replica) != nil {
			t.Fatalf("ServerHello accepted replica %q", m.replica)
		}
	})
}

func FuzzParseStapledCRLs(f *testing.F) {
	f.Add(marshalStapledCRLs(nil)[handshakeHeaderSize:])
	f.Add(marshalStapledCRLs([][]byte{[]byte("crl one"), []byte("crl two")})[handshakeHeaderSize:])
	f.Fuzz(func(t *testing.T, data []byte) {
		crls, err := parseStapledCRLs(data)
		if err != nil {
			return
		}
		if !bytes.Equal(marshalStapledCRLs(crls)[handshakeHeaderSize:], data) {
			t.Fatal("StapledCRLs does not round-trip")
		}
		if CheckStapledCRLs(crls) != nil {
			t.Fatal("parsed CRLs beyond the bound")
		}
	})
}

func FuzzParseShare(f *testing.F) {
	f.Add(MarshalShare([]byte("share")))
	f.Add([]byte{0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		if s, err := ParseShare(data); err == nil && !bytes.Equal(MarshalShare(s), data) {
			t.Fatal("share does not round-trip")
		}
	})
}

// FuzzLeafPublicKey: where both parse a certificate, the key the
// signature is checked with is the one crypto/x509 reads.
func FuzzLeafPublicKey(f *testing.F) {
	p := newPair(f)
	f.Add(p.server.Certificate[0])
	f.Add(p.ca.cert.Raw)
	f.Add(newPairWithKeys(f, ed25519Key(1), ed25519Key(2), ed25519Key(3)).client.Certificate[0])
	f.Fuzz(func(t *testing.T, der []byte) {
		spki, _, err := leafPublicKey(der)
		cert, xerr := x509.ParseCertificate(der)
		if err == nil && xerr == nil && !bytes.Equal(spki, cert.RawSubjectPublicKeyInfo) {
			t.Fatal("leafPublicKey read another key than crypto/x509")
		}
		if xerr == nil && cert.PublicKeyAlgorithm != x509.UnknownPublicKeyAlgorithm && err != nil {
			t.Fatalf("a certificate crypto/x509 parses with a key it knows: %v", err)
		}
	})
}

// The padded plaintext of a record (record.go, doc.go "Records"), both
// ways round: a payload padded to any size that holds it reads back as
// itself, and what reads as a payload is exactly that payload padded to
// its own size (one encoding per payload and size: a sender cannot leak
// anything through the padding that a receiver accepts).

func FuzzPadPlaintext(f *testing.F) {
	f.Add([]byte("the first chunk of the media"), uint32(64))
	f.Add([]byte{}, uint32(4))
	f.Add(bytes.Repeat([]byte{0}, 252), uint32(256))
	f.Fuzz(func(t *testing.T, payload []byte, size uint32) {
		if uint64(size) < uint64(len(payload))+recordLengthSize || size > 1<<20 {
			return
		}
		inner := bytes.Repeat([]byte{0xee}, int(size)) // whatever was there
		putPadded(inner, payload)
		got, ok := readPadded(inner)
		if !ok || !bytes.Equal(got, payload) || &got[0:1][0] != &inner[0] {
			t.Fatalf("a %d-byte payload padded to %d bytes reads back as %x, %v", len(payload), size, got, ok)
		}
		// The record types' sizes: the smallest bucket that holds it.
		for _, typ := range []RecordType{RecordRequest, RecordHandshake} {
			p, ok := paddedSize(typ, len(payload))
			if !ok || p < len(payload)+recordLengthSize {
				t.Fatalf("%v: paddedSize(%d) = %d, %v", typ, len(payload), p, ok)
			}
			if smaller, ok := paddedSize(typ, p-recordLengthSize+1); ok && smaller <= p {
				t.Fatalf("%v: a payload of %d bytes pads to %d, one larger than fits to %d", typ, len(payload), p, smaller)
			}
		}
	})
}

func FuzzReadPaddedPlaintext(f *testing.F) {
	f.Add(padded([]byte("chunk"), 64, 5))
	f.Add(padded(nil, 256, 0))
	f.Add(padded([]byte("payload"), 256, 253))
	f.Add([]byte{0, 0, 0})
	f.Fuzz(func(t *testing.T, inner []byte) {
		payload, ok := readPadded(inner)
		if !ok {
			return
		}
		again := make([]byte, len(inner))
		putPadded(again, payload)
		if !bytes.Equal(again, inner) {
			t.Fatalf("%x reads as a %d-byte payload that pads to %x", inner, len(payload), again)
		}
	})
}
