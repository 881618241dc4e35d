package provision

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// softHSMPaths are where distributions install the SoftHSM2 module.
var softHSMPaths = [...]string{
	"/usr/lib/softhsm/libsofthsm2.so",
	"/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
	"/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
	"/usr/lib64/pkcs11/libsofthsm2.so",
	"/usr/local/lib/softhsm/libsofthsm2.so",
	"/opt/homebrew/lib/softhsm/libsofthsm2.so",
}

// SoftHSMModule returns the path of the installed SoftHSM2 module, if any.
func SoftHSMModule() (string, bool) {
	for _, p := range softHSMPaths {
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			return p, true
		}
	}
	return "", false
}

// writeSoftHSMConfig writes dir/softhsm2.conf pointing at dir/tokens, unless
// it is already there, and returns its path and the token directory.
func writeSoftHSMConfig(dir string) (conf, tokenDir string, err error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", "", err
	}
	conf = filepath.Join(abs, "softhsm2.conf")
	tokenDir = filepath.Join(abs, "tokens")
	// SoftHSM2's configuration syntax has no quoting: '#' starts a comment
	// and a line break ends the value.
	if strings.ContainsAny(tokenDir, "#\n\r") {
		return "", "", fmt.Errorf("softhsm2: token directory %q: SoftHSM2 cannot use a path with '#' or a line break", tokenDir)
	}
	if err := os.MkdirAll(tokenDir, 0o700); err != nil {
		return "", "", err
	}
	body := fmt.Sprintf("# SoftHSM2 configuration of a securemedia demo identity card\n"+
		"directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n", tokenDir)
	if err := writeNew(conf, []byte(body), 0o600); err != nil && !os.IsExist(err) {
		return "", "", err
	}
	return conf, tokenDir, nil
}
