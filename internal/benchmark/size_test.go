package benchmark

import (
	"strings"
	"testing"
)

func TestParseSizeReadsUnits(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want int64
	}{
		{"a bare number is bytes", "65536", 65536},
		{"MiB is binary", "256MiB", 256 << 20},
		{"GiB is binary", "1GiB", 1 << 30},
		{"KiB is binary", "4KiB", 4096},
		{"MB is decimal", "4MB", 4_000_000},
		{"a one-letter unit is decimal (go-humanize)", "2M", 2_000_000},
		{"a fraction of a unit is accepted", "1.5GiB", 3 << 29},
		{"units ignore case and spaces", " 3 mib ", 3 << 20},
		{"B is bytes", "10B", 10},
		{"the largest size is accepted", "1TiB", 1 << 40},
		{"a decimal fraction is read exactly, not through a float", "1.234MB", 1_234_000},
		{"a decimal gigabyte is exact", "1G", 1_000_000_000},
		{"thousands separators are ignored", "1,048,576", 1 << 20},
		{"a fraction of a byte is dropped", "1.5", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseSize(tt.in)
			if err != nil || got != tt.want {
				t.Fatalf("ParseSize(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestParseSizeRefusesNonsense(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"an empty size is refused", "", "want a number"},
		{"a unit alone is refused", "MiB", "want a number"},
		{"zero is refused", "0", "out of range"},
		{"a negative size is refused", "-1MiB", "want a number"},
		{"more than 1 TiB is refused", "2TiB", "out of range"},
		{"an overflowing count is refused", "99999999999999999999GiB", "out of range"},
		{"a product that overflows is refused", "9223372036854775807KiB", "out of range"},
		{"a number too long to be a size is refused", strings.Repeat("9", 41), "want a number"},
		{"two decimal points are refused", "1.2.3MiB", "want a number"},
		{"a point alone is refused", ".MiB", "want a number"},
		{"an unknown unit is refused", "5 parsecs", "want a number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := ParseSize(tt.in)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("ParseSize(%q) = %d, %v; want an error about %q", tt.in, n, err, tt.want)
			}
		})
	}
}

func TestFormatSizeIsExactAndReadable(t *testing.T) {
	for n, want := range map[int64]string{
		10:            "10 B",
		1 << 20:       "1 MiB",
		256 << 10:     "256 KiB",
		256 << 20:     "256 MiB",
		1<<30 + 1<<29: "1.5 GiB",
		1_000_000_000: "1 GB",
		3_400_000:     "3.4 MB",
		1000341504:    "954 MiB",
		1000341505:    "1000341505 B",
		5 << 18:       "1.25 MiB",
	} {
		if got := FormatSize(n); got != want {
			t.Errorf("FormatSize(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestFormatSizeParsesBack checks the round trip on the sizes around every
// unit boundary, where a rounded figure would go wrong.
func TestFormatSizeParsesBack(t *testing.T) {
	for _, u := range formatUnits {
		for _, n := range []int64{u.size - 1, u.size, u.size + 1, u.size * 3 / 2, u.size*954 + 1, u.size * 1000} {
			if n < 1 || n > MaxSize {
				continue
			}
			if back, err := ParseSize(FormatSize(n)); err != nil || back != n {
				t.Errorf("ParseSize(FormatSize(%d) = %q) = %d, %v", n, FormatSize(n), back, err)
			}
		}
	}
}

// FuzzParseSize: any input is refused or yields a size in range, and every
// size formats and parses back to itself (with and without the space).
func FuzzParseSize(f *testing.F) {
	for _, s := range []string{"256MiB", "1GiB", "4MB", "65536", "0", "-1", "MiB", "1.5G", "9223372036854775807KiB", " 3 mib ", "1G", "1.234MB"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseSize(s)
		if err != nil {
			return
		}
		if n < 1 || n > MaxSize {
			t.Fatalf("ParseSize(%q) = %d, out of range", s, n)
		}
		for _, text := range []string{FormatSize(n), strings.ReplaceAll(FormatSize(n), " ", "")} {
			if back, err := ParseSize(text); err != nil || back != n {
				t.Fatalf("FormatSize(%d) = %q parses to %d, %v", n, text, back, err)
			}
		}
	})
}
