// Package media keeps media encrypted at rest: the server's media store.
//
// It sits at the start of the data path of one play (DESIGN.md §3): Store
// reads encrypted chunk i and opens it with the item's data key before the
// session layer seals it for the wire. When an item is added, Store signs
// its content.Manifest with the content-signing key; the client checks every
// chunk against that manifest with package content, which it links without
// this package (no keys at rest, no Argon2, no disk).
//
// At rest (DESIGN.md §8) every item is a directory under dataDir/media named
// by its random 128-bit id:
//
//	content  the container: a MACed header, then the chunks sealed in the
//	         manner of age's STREAM (chunk counter and last-chunk flag in the
//	         nonce), so truncation, removal, reordering and duplication of
//	         chunks are all detected and any chunk can be opened alone
//	key      the item's random data key wrapped by the key-encryption key
//	         (KEK); rotating the KEK rewrites only this small file
//	meta     the signed manifest and the license policy, sealed under the
//	         data key so that titles and chunk hashes are not readable either
//	info     the item's description (title, sizes, type, duration, date,
//	         policy), sealed the same way apart from the manifest, so that
//	         listing or opening an item never decrypts its chunk hashes
//	         (items without one are described from their manifest)
//
// The KEK is derived from an operator passphrase with Argon2id (see
// PassphraseKEK) or, behind the same KEK interface, held in a PKCS#11 token.
// Plaintext never touches the disk: Add seals as it reads.
package media
