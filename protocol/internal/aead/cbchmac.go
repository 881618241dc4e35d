package aead

import (
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	_ "crypto/sha256" // registers crypto.SHA256 for crypto.Hash.New
	_ "crypto/sha512" // registers crypto.SHA384 for crypto.Hash.New
	"crypto/subtle"
	"encoding/binary"
	"fmt"
	"hash"
)

// cbcHMAC is AES-CBC with HMAC-SHA-2 in encrypt-then-MAC composition,
// exactly as RFC 7518, Section 5.2.2, exposed as a cipher.AEAD whose nonce is
// the CBC IV.
type cbcHMAC struct {
	block  cipher.Block
	macKey []byte
	hash   func() hash.Hash
	tagLen int
}

// NewCBCHMAC returns the RFC 7518, Section 5.2 AES_CBC_HMAC_SHA2 algorithm
// as a cipher.AEAD. key is MAC_KEY || ENC_KEY. With crypto.SHA256 the key is
// 16+16 bytes and the tag 16 bytes: byte for byte AEAD_AES_128_CBC_HMAC_SHA_256
// (RFC 7518, Section 5.2.3). With crypto.SHA384 the encryption stays AES-128
// while MAC_KEY and the tag are 24 bytes (the MAC half of Section 5.2.4).
//
// NonceSize is 16: the nonce is the CBC IV, which must be unpredictable
// and is not part of the output. Seal returns C || T; Open verifies T with
// hmac.Equal before it decrypts, and only then checks the padding, failing
// with ErrAuthentication either way.
func NewCBCHMAC(key []byte, h crypto.Hash) (cipher.AEAD, error) {
	macLen, err := cbcMACKeyLen(h)
	if err != nil {
		return nil, err
	}
	if len(key) != macLen+aes.BlockSize {
		return nil, fmt.Errorf("aead: cbc-hmac key with %v is %d bytes, want %d", h, len(key), macLen+aes.BlockSize)
	}
	block, err := aes.NewCipher(key[macLen:])
	if err != nil {
		return nil, fmt.Errorf("aead: cbc-hmac: %w", err)
	}
	return &cbcHMAC{
		block:  block,
		macKey: append([]byte(nil), key[:macLen]...),
		hash:   h.New,
		tagLen: macLen, // T_LEN equals the MAC key length in RFC 7518, Section 5.2.
	}, nil
}

// cbcMACKeyLen returns MAC_KEY_LEN (= T_LEN) for the hash of a CBC suite.
func cbcMACKeyLen(h crypto.Hash) (int, error) {
	switch h {
	case crypto.SHA256:
		return 16, nil
	case crypto.SHA384:
		return 24, nil
	default:
		return 0, fmt.Errorf("aead: unsupported hash %v for cbc-hmac", h)
	}
}

// NonceSize returns the CBC IV size.
func (c *cbcHMAC) NonceSize() int { return aes.BlockSize }

// Overhead returns the largest expansion: a full block of padding and the tag.
func (c *cbcHMAC) Overhead() int { return aes.BlockSize + c.tagLen }

// Seal encrypts and authenticates plaintext (RFC 7518, Section 5.2.2.1) and
// appends C || T to dst. It panics if nonce is not 16 bytes, as cipher.AEAD
// implementations do.
func (c *cbcHMAC) Seal(dst, nonce, plaintext, additionalData []byte) []byte {
	if len(nonce) != aes.BlockSize {
		panic("aead: cbc-hmac: incorrect nonce length")
	}
	padLen := aes.BlockSize - len(plaintext)%aes.BlockSize
	ctLen := len(plaintext) + padLen
	ret, out := sliceForAppend(dst, ctLen+c.tagLen)
	// PKCS #7 padding (RFC 5652, Section 6.3): padLen bytes of value padLen.
	copy(out, plaintext)
	for i := len(plaintext); i < ctLen; i++ {
		out[i] = byte(padLen)
	}
	cipher.NewCBCEncrypter(c.block, nonce).CryptBlocks(out[:ctLen], out[:ctLen])
	c.tag(out[ctLen:ctLen], nonce, out[:ctLen], additionalData)
	return ret
}

// Open verifies and decrypts C || T (RFC 7518, Section 5.2.2.2). Every
// failure, whatever its cause, is ErrAuthentication, and the padding is
// examined only after the tag verified, so there is no padding oracle.
func (c *cbcHMAC) Open(dst, nonce, ciphertext, additionalData []byte) ([]byte, error) {
	if len(nonce) != aes.BlockSize {
		return nil, ErrAuthentication
	}
	if len(ciphertext) < aes.BlockSize+c.tagLen {
		return nil, ErrAuthentication
	}
	ctLen := len(ciphertext) - c.tagLen
	if ctLen%aes.BlockSize != 0 {
		return nil, ErrAuthentication
	}
	ct, tag := ciphertext[:ctLen], ciphertext[ctLen:]
	var want [64]byte
	expected := c.tag(want[:0], nonce, ct, additionalData)
	if !hmac.Equal(expected, tag) {
		return nil, ErrAuthentication
	}
	ret, out := sliceForAppend(dst, ctLen)
	cipher.NewCBCDecrypter(c.block, nonce).CryptBlocks(out, ct)
	padLen, ok := checkPadding(out)
	if ok != 1 {
		clear(out)
		return nil, ErrAuthentication
	}
	return ret[:len(ret)-padLen], nil
}

// tag appends T = HMAC(MAC_KEY, A || IV || C || AL) truncated to T_LEN,
// where AL is the bit length of A as a 64-bit big-endian number
// (RFC 7518, Section 5.2.2.1, steps 4 to 6).
func (c *cbcHMAC) tag(dst, iv, ciphertext, additionalData []byte) []byte {
	mac := hmac.New(c.hash, c.macKey)
	mac.Write(additionalData)
	mac.Write(iv)
	mac.Write(ciphertext)
	var al [8]byte
	binary.BigEndian.PutUint64(al[:], uint64(len(additionalData))*8)
	mac.Write(al[:])
	var sum [64]byte
	full := mac.Sum(sum[:0])
	return append(dst, full[:c.tagLen]...)
}

// checkPadding checks PKCS #7 padding over the last block in constant time
// with respect to the padding value, returning its length and 1 when valid.
// It runs only on authenticated plaintext, so even a timing difference
// would tell an attacker nothing they did not write themselves.
func checkPadding(plaintext []byte) (padLen int, ok int) {
	last := plaintext[len(plaintext)-aes.BlockSize:]
	pad := last[aes.BlockSize-1]
	good := subtle.ConstantTimeLessOrEq(1, int(pad)) & subtle.ConstantTimeLessOrEq(int(pad), aes.BlockSize)
	for i := range aes.BlockSize {
		// Byte i from the end is padding when i < pad; it must then equal pad.
		inPad := subtle.ConstantTimeLessOrEq(i+1, int(pad))
		same := subtle.ConstantTimeByteEq(last[aes.BlockSize-1-i], pad)
		good &= subtle.ConstantTimeSelect(inPad, same, 1)
	}
	return int(pad), good
}

// erase zeroes the MAC key. The AES key schedule inside crypto/aes cannot
// be reached from here.
func (c *cbcHMAC) erase() { clear(c.macKey) }

// sliceForAppend extends in by n bytes, reusing its capacity when it can, and
// returns the whole slice and the new tail (as crypto/cipher does).
func sliceForAppend(in []byte, n int) (head, tail []byte) {
	if total := len(in) + n; cap(in) >= total {
		head = in[:total]
	} else {
		head = make([]byte, total)
		copy(head, in)
	}
	tail = head[len(in):]
	return head, tail
}
