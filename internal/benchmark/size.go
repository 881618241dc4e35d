package benchmark

import (
	"fmt"
	"math"
	"math/big"
	"strings"
)

// MaxSize bounds a size given on the command line (the bench writes a file
// of that size and an encrypted copy of it).
const MaxSize = 1 << 40

// sizeUnits are the units ParseSize reads (go-humanize's spellings, which
// the flag documented before: KiB/MiB/GiB binary, KB/MB/GB and the
// one-letter forms decimal), lower-cased.
var sizeUnits = map[string]int64{
	"": 1, "b": 1, "byte": 1, "bytes": 1,
	"kib": 1 << 10, "ki": 1 << 10, "kb": 1e3, "k": 1e3,
	"mib": 1 << 20, "mi": 1 << 20, "mb": 1e6, "m": 1e6,
	"gib": 1 << 30, "gi": 1 << 30, "gb": 1e9, "g": 1e9,
	"tib": 1 << 40, "ti": 1 << 40, "tb": 1e12, "t": 1e12,
}

// formatUnits are the units FormatSize prints, largest first.
var formatUnits = []struct {
	name string
	size int64
}{
	{"TiB", 1 << 40}, {"TB", 1e12}, {"GiB", 1 << 30}, {"GB", 1e9},
	{"MiB", 1 << 20}, {"MB", 1e6}, {"KiB", 1 << 10}, {"KB", 1e3},
}

// maxSizeDigits bounds the number part of a size, so that no input makes
// the exact arithmetic below work on huge numbers.
const maxSizeDigits = 40

// ParseSize reads a byte count such as "256MiB", "4MB", "1GiB", "1.5G" or
// "65536" (KiB/MiB/GiB/TiB binary, KB/MB/GB/TB and K/M/G/T decimal, any
// case, spaces allowed). The number is read exactly, as a decimal
// fraction, not through a float: "1.234MB" is 1234000 bytes. A fraction of
// a byte is dropped. It accepts 1 byte to MaxSize.
func ParseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	end := 0
	for end < len(t) && (t[end] >= '0' && t[end] <= '9' || t[end] == '.' || t[end] == ',') {
		end++
	}
	num := strings.ReplaceAll(t[:end], ",", "")
	unit, ok := sizeUnits[strings.ToLower(strings.TrimSpace(t[end:]))]
	var r big.Rat
	if !ok || num == "" || num == "." || len(num) > maxSizeDigits || strings.Count(num, ".") > 1 {
		return 0, fmt.Errorf("size %q: want a number of bytes with an optional unit (KiB, MiB, GiB, KB, MB, GB)", s)
	}
	if _, ok := r.SetString(num); !ok {
		return 0, fmt.Errorf("size %q: want a number of bytes with an optional unit (KiB, MiB, GiB, KB, MB, GB)", s)
	}
	r.Mul(&r, new(big.Rat).SetInt64(unit))
	n := new(big.Int).Quo(r.Num(), r.Denom()) // whole bytes, rounded down
	if n.Sign() <= 0 || n.Cmp(big.NewInt(MaxSize)) > 0 {
		return 0, fmt.Errorf("size %q: out of range 1 B..1 TiB", s)
	}
	return n.Int64(), nil
}

// FormatSize prints n bytes exactly, so that ParseSize reads back n: in
// the unit that gives the shortest figure with at most two decimals
// ("256 MiB", "1.5 GiB", "1 GB", "3.4 MB"), binary units first on a tie,
// else in bytes ("1000341505 B").
func FormatSize(n int64) string {
	best := fmt.Sprintf("%d B", n)
	if n <= 0 || n > math.MaxInt64/100 {
		return best
	}
	for _, u := range formatUnits {
		if n < u.size || (n*100)%u.size != 0 {
			continue // below the unit, or more than two decimals
		}
		whole, hundredths := n/u.size, (n*100/u.size)%100
		s := fmt.Sprintf("%d %s", whole, u.name)
		switch {
		case hundredths%10 == 0 && hundredths != 0:
			s = fmt.Sprintf("%d.%d %s", whole, hundredths/10, u.name)
		case hundredths != 0:
			s = fmt.Sprintf("%d.%02d %s", whole, hundredths, u.name)
		}
		if len(s) < len(best) {
			best = s
		}
	}
	return best
}
