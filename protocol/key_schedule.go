package protocol

import (
	"crypto/hmac"
	"encoding/binary"
	"errors"
	"hash"

	"securemedia/protocol/internal/aead"
	"securemedia/protocol/internal/kdf"
)

// The key schedule of DESIGN.md §4, modelled on RFC 8446 §7.1 without the
// PSK branch. Each secret has its own type so that it cannot be used where
// another is expected.
//
//	             0
//	             │
//	shared ─▶ HKDF-Extract = HandshakeSecret          (salt = Derive-Secret(Extract(0,0), "derived", ""))
//	             ├─▶ Derive-Secret(., "c hs traffic", CH…server CertificateVerify) = client_handshake_traffic
//	             ├─▶ Derive-Secret(., "s hs traffic", CH…server CertificateVerify) = server_handshake_traffic
//	             ▼
//	      Derive-Secret(., "derived", "")
//	             │
//	    0 ─▶ HKDF-Extract = MasterSecret (epoch 1)
//	             ├─▶ Derive-Secret(., "c ap traffic", CH…client Finished) = client_application_traffic_1
//	             └─▶ Derive-Secret(., "s ap traffic", CH…client Finished) = server_application_traffic_1
//
// Rekey (epoch n → n+1), th = H(session id ‖ n ‖ client share ‖ server share):
//
//	MasterSecret_{n+1} = HKDF-Extract(salt = Derive-Secret(MasterSecret_n, "rekey", th), ikm = new shared secret)
//	*_application_traffic_{n+1} = Derive-Secret(MasterSecret_{n+1}, "c ap traffic" / "s ap traffic", th)
type (
	handshakeSecret []byte
	masterSecret    []byte
	trafficSecret   []byte
)

// deriveHandshakeSecret implements the first Extract of the schedule.
func (s *suite) deriveHandshakeSecret(shared []byte) handshakeSecret {
	early := kdf.Extract(s.hash, nil, nil)
	defer kdf.Erase(early)
	salt := kdf.DeriveSecret(s.hash, early, labelDerived, s.emptyHash())
	defer kdf.Erase(salt)
	return handshakeSecret(kdf.Extract(s.hash, salt, shared))
}

// trafficSecrets derives the client and server handshake traffic secrets.
func (s *suite) handshakeTrafficSecrets(hs handshakeSecret, th []byte) (client, server trafficSecret) {
	return trafficSecret(kdf.DeriveSecret(s.hash, hs, labelClientHandshake, th)),
		trafficSecret(kdf.DeriveSecret(s.hash, hs, labelServerHandshake, th))
}

// deriveMasterSecret is the second Extract of the schedule.
func (s *suite) deriveMasterSecret(hs handshakeSecret) masterSecret {
	salt := kdf.DeriveSecret(s.hash, hs, labelDerived, s.emptyHash())
	defer kdf.Erase(salt)
	return masterSecret(kdf.Extract(s.hash, salt, nil))
}

// applicationTrafficSecrets derives an epoch's traffic secrets.
func (s *suite) applicationTrafficSecrets(ms masterSecret, th []byte) (client, server trafficSecret) {
	return trafficSecret(kdf.DeriveSecret(s.hash, ms, labelClientApp, th)),
		trafficSecret(kdf.DeriveSecret(s.hash, ms, labelServerApp, th))
}

// nextMasterSecret mixes the old master secret and a fresh shared secret
// (DESIGN.md §4 "Rekey": the new secret mixes the old one and the new shared
// secret, so compromise of either alone does not reveal the new epoch).
func (s *suite) nextMasterSecret(old masterSecret, shared, th []byte) masterSecret {
	salt := kdf.DeriveSecret(s.hash, old, labelRekey, th)
	defer kdf.Erase(salt)
	return masterSecret(kdf.Extract(s.hash, salt, shared))
}

// finishedMAC is HMAC(finished_key, transcript hash), RFC 8446 §4.4.4.
func (s *suite) finishedMAC(base trafficSecret, th []byte) []byte {
	return kdf.Finished(s.hash, base, th)
}

// recordCipher expands a traffic secret into a record key and IV (RFC 8446
// §7.3) and builds the record protection.
func (s *suite) recordCipher(ts trafficSecret) (*aead.Cipher, error) {
	key := kdf.ExpandLabel(s.hash, ts, labelKey, nil, s.keyLen)
	iv := kdf.ExpandLabel(s.hash, ts, labelIV, nil, s.ivLen)
	defer kdf.Erase(key, iv)
	return aead.New(s.kind, s.hash, key, iv)
}

// chunkCipher derives the key of one media chunk, one-way from the traffic
// secret, the media id and the chunk index (DESIGN.md §4 "Per-chunk keys"):
// key ‖ iv = HKDF-Expand-Label(traffic, "chunk", media id ‖ index, keyLen+ivLen).
func (s *suite) chunkCipher(ts trafficSecret, media [MediaIDSize]byte, index uint32) (*aead.Cipher, error) {
	var ctx [MediaIDSize + 4]byte
	copy(ctx[:], media[:])
	binary.BigEndian.PutUint32(ctx[MediaIDSize:], index)
	km := kdf.ExpandLabel(s.hash, ts, labelChunk, ctx[:], s.keyLen+s.ivLen)
	defer kdf.Erase(km)
	return aead.New(s.kind, s.hash, km[:s.keyLen], km[s.keyLen:])
}

func (s *suite) emptyHash() []byte { return s.hash.New().Sum(nil) }

// transcript is the running hash of the handshake messages. Until the suite
// is known (the client's first hello), messages are buffered.
type transcript struct {
	buf [][]byte
	h   hash.Hash
}

func (t *transcript) add(raw ...[]byte) {
	for _, r := range raw {
		if t.h != nil {
			t.h.Write(r)
		} else {
			t.buf = append(t.buf, r)
		}
	}
}

// start fixes the hash once the suite is chosen, hashing what was buffered.
func (t *transcript) start(s *suite) {
	t.h = s.hash.New()
	for _, r := range t.buf {
		t.h.Write(r)
	}
	t.buf = nil
}

// clone returns an independent copy of a started transcript.
func (t *transcript) clone() (transcript, error) {
	c, ok := t.h.(hash.Cloner)
	if !ok {
		return transcript{}, errors.New("protocol: transcript hash cannot be cloned")
	}
	h, err := c.Clone()
	if err != nil {
		return transcript{}, err
	}
	return transcript{h: h}, nil
}

// sum is the hash of the transcript so far.
func (t *transcript) sum() []byte { return t.h.Sum(nil) }

// equalMAC compares MACs in constant time.
func equalMAC(a, b []byte) bool { return hmac.Equal(a, b) }
