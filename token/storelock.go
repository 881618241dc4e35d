package token

import (
	"os"
	"path/filepath"
	"strings"

	"securemedia/internal/fsutil"
)

// SoftHSMConfigEnv is the environment variable SoftHSM2 reads its
// configuration file from, at C_Initialize.
const SoftHSMConfigEnv = "SOFTHSM2_CONF"

// defaultSoftHSMConfigs are where SoftHSM2 builds look for their
// configuration when SOFTHSM2_CONF is unset (Debian's first).
var defaultSoftHSMConfigs = [...]string{
	"/etc/softhsm/softhsm2.conf",
	"/etc/softhsm2.conf",
	"/usr/local/etc/softhsm2.conf",
}

// maxSoftHSMConfig bounds the SoftHSM2 configuration file we read.
const maxSoftHSMConfig = 64 << 10

// A storeLock serializes the calls of every process of this package into
// one SoftHSM2 token store: an exclusive flock on a file beside the token
// directory, taken with the module's mutex around every call.
//
// SoftHSM2 keeps a token's state (label, flags, PIN blobs) in the file
// token.object and rewrites it at every C_Login, to record the PIN-count
// flags. Version 2.6.1 (Debian 12's) releases its fcntl lock on the file
// before the new content leaves stdio's buffer: strace shows ftruncate,
// F_UNLCK, and only then the write, at fclose. Another process reading the
// file in that window sees it empty or short. At C_Initialize, which loads
// every token of the store, the token then has no label (C_GetTokenInfo
// says uninitialized: "no matching token") or no user PIN (C_Login:
// CKR_USER_PIN_NOT_INITIALIZED), and stays so for that process. Eight
// concurrent logins were enough to see both.
//
// The lock closes the window between processes that use this package.
// Other programs on the same store (softhsm2-util, pkcs11-tool) do not
// take it. Where the lock file cannot be opened (a store directory we may
// not write beside), calls go unserialized, as they did before.
type storeLock struct{ f *os.File }

// openStoreLock returns the store lock of the module at path, or nil when
// the module is not SoftHSM2 or its store cannot be found. SoftHSM2 reads
// its configuration at C_Initialize, so this must be called just before.
func openStoreLock(module string) *storeLock {
	if !strings.Contains(strings.ToLower(filepath.Base(module)), "softhsm") {
		return nil
	}
	dir := softHSMTokenDir()
	if dir == "" {
		return nil
	}
	path := filepath.Clean(dir) + ".lock"
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o660)
	if err != nil {
		// A lock file another user of the store created; flock needs
		// no write access.
		if f, err = os.Open(path); err != nil {
			return nil
		}
	}
	return &storeLock{f: f}
}

// softHSMTokenDir reads directories.tokendir from the configuration
// SoftHSM2 will use; "" when there is none.
func softHSMTokenDir() string {
	conf := os.Getenv(SoftHSMConfigEnv)
	if conf == "" {
		for _, p := range defaultSoftHSMConfigs {
			if _, err := os.Stat(p); err == nil {
				conf = p
				break
			}
		}
	}
	if conf == "" {
		return ""
	}
	b, err := fsutil.ReadFileLimit(conf, maxSoftHSMConfig)
	if err != nil {
		return ""
	}
	// SoftHSM2's syntax: "key = value" lines, '#' starts a comment line.
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "#") {
			continue
		}
		if key, value, ok := strings.Cut(line, "="); ok && strings.TrimSpace(key) == "directories.tokendir" {
			return strings.TrimSpace(value)
		}
	}
	return ""
}

// lock takes the lock, waiting for other processes. A nil lock, or one
// closed with its module, does nothing.
func (l *storeLock) lock() {
	if l != nil && l.f != nil {
		fsutil.Lock(l.f, true)
	}
}

// unlock releases the lock.
func (l *storeLock) unlock() {
	if l != nil && l.f != nil {
		fsutil.Lock(l.f, false)
	}
}

// close closes the lock file, which releases the lock if held.
func (l *storeLock) close() {
	if l != nil && l.f != nil {
		l.f.Close()
		l.f = nil
	}
}
