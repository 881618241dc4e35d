package token

import "encoding/binary"

// hostLittleEndian reports the byte order modules use for CK_ULONG values.
func hostLittleEndian() bool {
	return binary.NativeEndian.Uint16([]byte{1, 0}) == 1
}
