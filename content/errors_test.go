package content

import (
	"errors"
	"fmt"
	"io/fs"
	"testing"
)

func TestOnlyDamageTellsDamagedItemsFromAnOutage(t *testing.T) {
	integrity := &IntegrityError{Chunk: 3, Reason: "stored chunk does not authenticate"}
	wrongKey := fmt.Errorf("media x: unwrap data key: %w", ErrWrongKEK)
	outage := fmt.Errorf("media x: %w", fs.ErrPermission)
	tests := []struct {
		name string
		errs []error
		want bool
	}{
		{"a failed integrity check is damage", []error{integrity}, true},
		{"a data key under another master key is damage", []error{wrongKey}, true},
		{"damage of both kinds is damage", []error{integrity, wrongKey}, true},
		{"an I/O error among them is an outage", []error{integrity, outage}, false},
		{"a removed token is an outage", []error{errors.New("token: device removed")}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := &DamagedError{IDs: make([]ID, len(tc.errs)), Errs: tc.errs}
			if got := d.OnlyDamage(); got != tc.want {
				t.Fatalf("OnlyDamage = %v, want %v", got, tc.want)
			}
			if !errors.Is(d, tc.errs[0]) {
				t.Fatal("a DamagedError does not unwrap to its items' errors")
			}
		})
	}
}
