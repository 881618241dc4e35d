package benchmark

import (
	"fmt"
	"strings"

	"github.com/dustin/go-humanize"
)

// MaxSize bounds a size given on the command line (the bench writes a file
// of that size and an encrypted copy of it).
const MaxSize = 1 << 40

// ParseSize reads a byte count such as "256MiB", "4MB", "1GiB" or
// "65536" (go-humanize's units: KiB/MiB/GiB binary, KB/MB/GB decimal). It
// accepts 1 byte to MaxSize.
func ParseSize(s string) (int64, error) {
	n, err := humanize.ParseBytes(strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("size %q: want a number of bytes with an optional unit (KiB, MiB, GiB, KB, MB, GB)", s)
	}
	if n == 0 || n > MaxSize {
		return 0, fmt.Errorf("size %q: out of range 1 B..1 TiB", s)
	}
	return int64(n), nil
}

// FormatSize prints n bytes with a binary unit ("256 MiB", "1.5 GiB").
func FormatSize(n int64) string { return humanize.IBytes(uint64(n)) }
