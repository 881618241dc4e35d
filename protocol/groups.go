package protocol

import (
	"fmt"
	"strings"

	"securemedia/protocol/internal/kex"
)

// GroupID identifies a key-exchange group on the wire. The values are the
// TLS NamedGroup code points.
type GroupID uint16

// The six groups of DESIGN.md §4.
const (
	GroupP256           GroupID = 0x0017
	GroupP384           GroupID = 0x0018
	GroupX25519         GroupID = 0x001d
	GroupFFDHE2048      GroupID = 0x0100
	GroupFFDHE3072      GroupID = 0x0101
	GroupX25519MLKEM768 GroupID = 0x11ec
)

type group struct {
	id   GroupID
	name string
	kex  kex.Group
}

// groupTable lists the groups in the default preference order: the hybrid
// post-quantum group first (preferred where both offer it), then x25519
// (the default classical group), the NIST curves, then finite-field groups.
var groupTable = func() []*group {
	defs := []struct {
		id   GroupID
		name string
	}{
		{GroupX25519MLKEM768, "x25519mlkem768"},
		{GroupX25519, "x25519"},
		{GroupP256, "p256"},
		{GroupP384, "p384"},
		{GroupFFDHE3072, "ffdhe3072"},
		{GroupFFDHE2048, "ffdhe2048"},
	}
	out := make([]*group, len(defs))
	for i, d := range defs {
		g, err := kex.ByName(d.name)
		if err != nil {
			panic("protocol: group table: " + err.Error()) // broken invariant, not input
		}
		out[i] = &group{id: d.id, name: d.name, kex: g}
	}
	return out
}()

func groupByID(id GroupID) *group {
	for _, g := range groupTable {
		if g.id == id {
			return g
		}
	}
	return nil
}

func (id GroupID) String() string {
	if g := groupByID(id); g != nil {
		return g.name
	}
	return fmt.Sprintf("group(0x%04x)", uint16(id))
}

// ParseGroup maps a group name (case-insensitive) to its id.
func ParseGroup(name string) (GroupID, error) {
	n := strings.ToLower(strings.ReplaceAll(name, "_", ""))
	for _, g := range groupTable {
		if g.name == n {
			return g.id, nil
		}
	}
	return 0, fmt.Errorf("unknown group %q (known: %s)", name, strings.Join(GroupNames(), ", "))
}

// DefaultGroups returns every group in the default preference order.
func DefaultGroups() []GroupID {
	out := make([]GroupID, len(groupTable))
	for i, g := range groupTable {
		out[i] = g.id
	}
	return out
}

// GroupNames lists the group names in the default preference order.
func GroupNames() []string {
	out := make([]string, len(groupTable))
	for i, g := range groupTable {
		out[i] = g.name
	}
	return out
}
