package config

// MediaSection is the [media] section of server.toml: the master key that
// opens the media store, and the content-signing identity that signs the
// manifests of added media (see package media).
type MediaSection struct {
	// MasterPassphraseFile holds the master passphrase from which the
	// key-encryption key is derived. `securemedia init` writes a generated
	// one (mode 0600) for the demo; in production keep the file on another
	// volume, or leave this empty and use SECUREMEDIA_MASTER_PASSPHRASE or
	// the prompt.
	MasterPassphraseFile string `toml:"master_passphrase_file,omitempty,omitzero"`
	// ContentCertificate is the content-signing certificate chain (PEM or
	// DER, leaf first), carried in every manifest.
	ContentCertificate string `toml:"content_certificate,omitempty,omitzero"`
	// ContentKey is the content-signing private key (needed by `media add`
	// only; the server never signs).
	ContentKey string `toml:"content_key,omitempty,omitzero"`
	// ContentKeyPassphraseFile, when set, holds the passphrase of an
	// encrypted ContentKey.
	ContentKeyPassphraseFile string `toml:"content_key_passphrase_file,omitempty,omitzero"`
	// KEKTokenURI, when set, names the PKCS#11 token and AES key that wrap
	// the data keys instead of the passphrase-derived key, as an RFC 7512
	// URI: "pkcs11:token=SECUREMEDIA%20KEK;object=media-kek". The key is
	// created on the token with `securemedia token create-kek`.
	KEKTokenURI string `toml:"kek_token_uri,omitempty,omitzero"`
	// KEKTokenModule is the PKCS#11 module of that token (else the URI's
	// module-path).
	KEKTokenModule string `toml:"kek_token_module,omitempty,omitzero"`
	// KEKTokenPINFile holds the token's user PIN; SECUREMEDIA_KEK_PIN
	// overrides it, and without either the PIN is asked for.
	KEKTokenPINFile string `toml:"kek_token_pin_file,omitempty,omitzero"`
	// ChunkSize is the chunk size of new items in bytes; zero means 256 KiB.
	ChunkSize int `toml:"chunk_size,omitempty,omitzero"`
	// Cipher seals new items: "aes-256-gcm" (default) or "chacha20-poly1305".
	Cipher string `toml:"cipher,omitempty,omitzero"`
	// DemoPassphraseBesideData lets the server start although
	// MasterPassphraseFile is on the file system of data_dir (a copy of
	// that volume then opens every item). `securemedia init` and the demo
	// set it; the server logs a warning at start.
	DemoPassphraseBesideData bool `toml:"demo_passphrase_beside_data,omitempty,omitzero"`
}
