package benchmark

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// MaxSize bounds a size given on the command line (the bench writes a file
// of that size and an encrypted copy of it).
const MaxSize = 1 << 40

// sizeUnits are the suffixes ParseSize accepts, longest first so that
// "MiB" is not read as "B".
var sizeUnits = []struct {
	suffix string
	factor int64
}{
	{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40},
	{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12},
	{"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}, {"T", 1 << 40},
	{"B", 1},
}

// ParseSize reads a byte count such as "256MiB", "4MB", "1G" or "65536":
// binary units for KiB/MiB/GiB/TiB and the one-letter forms, decimal for
// KB/MB/GB/TB. It accepts 1 byte to MaxSize.
func ParseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	factor := int64(1)
	for _, u := range sizeUnits {
		if len(t) > len(u.suffix) && strings.EqualFold(t[len(t)-len(u.suffix):], u.suffix) {
			factor, t = u.factor, strings.TrimSpace(t[:len(t)-len(u.suffix)])
			break
		}
	}
	n, err := strconv.ParseUint(t, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("size %q: want a number of bytes with an optional unit (KiB, MiB, GiB, KB, MB, GB)", s)
	}
	if n == 0 || n > math.MaxInt64/uint64(factor) || int64(n)*factor > MaxSize {
		return 0, fmt.Errorf("size %q: out of range 1 B..1 TiB", s)
	}
	return int64(n) * factor, nil
}

// FormatSize prints n bytes with a binary unit ("256 MiB", "1.5 GiB").
func FormatSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	v := float64(n) / float64(div)
	if v == math.Trunc(v) {
		return fmt.Sprintf("%.0f %ciB", v, "KMGTPE"[exp])
	}
	return fmt.Sprintf("%.1f %ciB", v, "KMGTPE"[exp])
}
