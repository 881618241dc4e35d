package replay

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

// step is one record arriving: Check, and Commit when Check accepts.
type step struct {
	seq  uint64
	want error
}

func TestWindow(t *testing.T) {
	const size = 128
	tests := []struct {
		name  string
		steps []step
	}{
		{"sequence zero is accepted first and then rejected", []step{
			{0, nil}, {0, ErrReplayed},
		}},
		{"in-order numbers are all accepted", []step{
			{0, nil}, {1, nil}, {2, nil}, {3, nil}, {200, nil}, {201, nil},
		}},
		{"out-of-order numbers within the window are accepted once", []step{
			{10, nil}, {5, nil}, {7, nil}, {6, nil}, {5, ErrReplayed}, {10, ErrReplayed}, {0, nil},
		}},
		{"a duplicate of the newest number is replayed", []step{
			{42, nil}, {42, ErrReplayed},
		}},
		{"the oldest number inside the window is still accepted", []step{
			{size - 1, nil}, {0, nil}, {0, ErrReplayed},
		}},
		{"a number one behind the window is too old", []step{
			{size, nil}, {0, ErrTooOld}, {1, nil},
		}},
		{"a jump of more than the window forgets everything before it", []step{
			{0, nil}, {1, nil}, {size + 10, nil}, {1, ErrTooOld}, {11, nil}, {10, ErrTooOld},
		}},
		{"a jump of more than twice the window clears the whole ring", []step{
			{3, nil}, {64, nil}, {130, nil}, {3*size + 5, nil},
			{3*size + 5 - 64, nil}, {3*size + 5 - 122, nil}, {130, ErrTooOld}, {3 * size, nil},
		}},
		{"numbers skipped by an advance stay acceptable", []step{
			{0, nil}, {100, nil}, {50, nil}, {99, nil}, {1, nil}, {50, ErrReplayed},
		}},
		{"the ring wraps many times while in order", ringWrapSteps(size)},
		{"numbers near the maximum are handled without overflow", []step{
			{math.MaxUint64 - 200, nil}, {math.MaxUint64, nil}, {math.MaxUint64 - 1, nil},
			{math.MaxUint64, ErrReplayed}, {math.MaxUint64 - 200, ErrTooOld}, {math.MaxUint64 - 127, nil},
		}},
		{"the first commit may be far from zero", []step{
			{1 << 40, nil}, {0, ErrTooOld}, {1<<40 - 1, nil},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := New(size)
			for i, s := range tt.steps {
				err := w.Check(s.seq)
				if !errors.Is(err, s.want) || (err == nil) != (s.want == nil) {
					t.Fatalf("step %d: Check(%d) = %v, want %v", i, s.seq, err, s.want)
				}
				if err == nil {
					w.Commit(s.seq)
				}
			}
		})
	}
}

func ringWrapSteps(size uint64) []step {
	var steps []step
	for seq := uint64(0); seq < 10*size; seq++ {
		steps = append(steps, step{seq, nil})
		if seq >= size {
			steps = append(steps, step{seq - size, ErrTooOld})
		}
		steps = append(steps, step{seq - seq%3, ErrReplayed})
	}
	return steps
}

func TestCheckDoesNotChangeState(t *testing.T) {
	w := New(64)
	for range 3 {
		if err := w.Check(5); err != nil {
			t.Fatalf("Check(5) = %v", err)
		}
	}
	w.Commit(5)
	if err := w.Check(5); !errors.Is(err, ErrReplayed) {
		t.Fatalf("Check(5) after Commit = %v, want ErrReplayed", err)
	}
	if err := w.Check(1000); err != nil {
		t.Fatalf("Check(1000) = %v", err)
	}
	if err := w.Check(6); err != nil {
		t.Fatalf("Check(6) after Check(1000) = %v, want nil", err)
	}
}

func TestCommitBehindTheWindowIsIgnored(t *testing.T) {
	w := New(64)
	w.Commit(1000)
	w.Commit(1) // too old: must not mark anything inside the window
	for seq := uint64(1000 - 63); seq < 1000; seq++ {
		if err := w.Check(seq); err != nil {
			t.Fatalf("Check(%d) = %v after an ignored commit", seq, err)
		}
	}
}

func TestNewRoundsSize(t *testing.T) {
	tests := []struct {
		name string
		in   int
		want int
	}{
		{"a negative size becomes the minimum", -5, 64},
		{"zero becomes the minimum", 0, 64},
		{"a size under 64 becomes 64", 1, 64},
		{"a multiple of 64 is kept", 128, 128},
		{"other sizes round up to a multiple of 64", 129, 192},
		{"the default size is kept", DefaultSize, DefaultSize},
		{"a huge size is capped", math.MaxInt, MaxSize},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := New(tt.in).Size(); got != tt.want {
				t.Fatalf("New(%d).Size() = %d, want %d", tt.in, got, tt.want)
			}
		})
	}
}

// modelWindow is the naive reference: a set of seen numbers and the
// highest one, with the same window rule.
type modelWindow struct {
	seen    map[uint64]bool
	highest uint64
	any     bool
	size    uint64
}

func (m *modelWindow) check(seq uint64) error {
	if !m.any || seq > m.highest {
		return nil
	}
	if m.highest-seq >= m.size {
		return ErrTooOld
	}
	if m.seen[seq] {
		return ErrReplayed
	}
	return nil
}

func (m *modelWindow) commit(seq uint64) {
	m.seen[seq] = true
	if !m.any || seq > m.highest {
		m.highest, m.any = seq, true
	}
}

// TestWindowMatchesModel drives the window and the naive model with the
// same random traffic (mostly small steps forward, some reordering,
// duplicates and jumps) and requires identical answers.
func TestWindowMatchesModel(t *testing.T) {
	for _, size := range []int{64, 100, 256, DefaultSize} {
		for seed := range uint64(8) {
			rng := rand.New(rand.NewPCG(seed, uint64(size)))
			w := New(size)
			m := &modelWindow{seen: map[uint64]bool{}, size: uint64(w.Size())}
			var next uint64
			for i := range 20000 {
				var seq uint64
				switch r := rng.IntN(100); {
				case r < 60:
					seq = next
					next++
				case r < 85: // reordered or duplicate: somewhere behind
					seq = next - min(next, rng.Uint64N(uint64(2*size)+1))
				case r < 95: // skip ahead
					next += rng.Uint64N(uint64(size) / 2)
					seq = next
				default: // large jump
					next += rng.Uint64N(uint64(3 * size))
					seq = next
				}
				got, want := w.Check(seq), m.check(seq)
				if got != want {
					t.Fatalf("size %d seed %d step %d: Check(%d) = %v, model says %v", size, seed, i, seq, got, want)
				}
				if got == nil {
					w.Commit(seq)
					m.commit(seq)
				}
			}
		}
	}
}

func BenchmarkCheckCommitInOrder(b *testing.B) {
	w := New(DefaultSize)
	var seq uint64
	for b.Loop() {
		if w.Check(seq) == nil {
			w.Commit(seq)
		}
		seq++
	}
}
