// Package replay is the anti-replay sliding window of the session protocol
// (DESIGN.md §4, "Replay"): per direction and per epoch, the record layer of
// package protocol checks each authenticated record's sequence number here,
// so that parallel HTTP requests may arrive out of order while every
// duplicate or too-old record is rejected.
//
// The window is the bitmap ring of RFC 6479: a ring of 64-bit words, one bit
// per sequence number, where advancing the window clears whole words instead
// of shifting the bitmap.
package replay

import "errors"

// DefaultSize is the window size, in sequence numbers, used by the record
// layer unless configured otherwise.
const DefaultSize = 4096

// Implementation limits.
const (
	// wordBits is the number of sequence numbers one bitmap word covers.
	wordBits = 64
	// wordShift is log2(wordBits): seq >> wordShift is the word's block index.
	wordShift = 6
	// MaxSize bounds the window so that a misconfiguration cannot make New
	// allocate without limit (1 Mi sequence numbers = 16 KiB of bitmap).
	MaxSize = 1 << 20
)

var (
	// ErrReplayed reports a sequence number that was already committed.
	ErrReplayed = errors.New("replay: sequence number already seen")
	// ErrTooOld reports a sequence number that fell behind the window, so
	// that whether it was seen can no longer be told.
	ErrTooOld = errors.New("replay: sequence number behind the window")
)

// Window is an RFC 6479 anti-replay window for sequence numbers starting at
// 0. The zero value is unusable; use New. It is not safe for concurrent use:
// callers hold their own lock across Check, authentication and Commit.
type Window struct {
	// ring holds one bit per sequence number; word i holds the blocks
	// whose index is i modulo len(ring).
	ring []uint64
	// size is the number of sequence numbers behind and including highest
	// that the window still remembers.
	size uint64
	// highest is the largest committed sequence number, valid once any
	// has been committed.
	highest   uint64
	committed bool
}

// New returns an empty window that remembers size sequence numbers. size is
// rounded up to a multiple of 64, raised to at least 64 and capped at
// MaxSize.
func New(size int) *Window {
	size = min(max(size, wordBits), MaxSize)
	words := (size + wordBits - 1) / wordBits
	// One word more than the window covers, as in RFC 6479, Section 2: the
	// word holding highest is only partly inside the window, so the oldest
	// remembered number may sit one word further back.
	return &Window{
		ring: make([]uint64, words+1),
		size: uint64(words * wordBits),
	}
}

// Size returns the number of sequence numbers the window remembers.
func (w *Window) Size() int { return int(w.size) }

// Check reports whether seq would be accepted: nil for a number ahead of the
// window or inside it and not yet committed, ErrReplayed for a committed one
// and ErrTooOld for one behind the window. It does not change the window, so
// a record that then fails authentication leaves no trace.
func (w *Window) Check(seq uint64) error {
	if !w.committed || seq > w.highest {
		return nil
	}
	if w.highest-seq >= w.size {
		return ErrTooOld
	}
	word, bit := w.position(seq)
	if w.ring[word]&bit != 0 {
		return ErrReplayed
	}
	return nil
}

// Commit marks seq as seen. Call it only after the record carrying seq
// authenticated and passed Check. Moving the window forward clears the bits
// of the sequence numbers it skipped, so they stay acceptable until they fall
// behind. Committing a number behind the window does nothing.
func (w *Window) Commit(seq uint64) {
	if !w.committed {
		w.committed = true
		w.highest = seq
	} else if seq > w.highest {
		w.advance(seq)
	} else if w.highest-seq >= w.size {
		return
	}
	word, bit := w.position(seq)
	w.ring[word] |= bit
}

// advance moves the window's head to seq, clearing each word that enters
// the window on the way (RFC 6479, Section 2).
func (w *Window) advance(seq uint64) {
	oldBlock := w.highest >> wordShift
	newBlock := seq >> wordShift
	n := uint64(len(w.ring))
	if newBlock-oldBlock >= n {
		clear(w.ring)
	} else {
		for b := oldBlock + 1; b <= newBlock; b++ {
			w.ring[b%n] = 0
		}
	}
	w.highest = seq
}

// position returns the ring index and bit mask of seq.
func (w *Window) position(seq uint64) (word int, bit uint64) {
	block := seq >> wordShift
	return int(block % uint64(len(w.ring))), 1 << (seq & (wordBits - 1))
}
