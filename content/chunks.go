package content

import "fmt"

// The geometry of an item: its plaintext is cut into chunks of ChunkSize
// bytes, the last one holding the remainder. The chunk is the unit of the
// at-rest container, of the session protocol's chunk stream and of the
// manifest's hashes alike.
const (
	// MinChunkSize and MaxChunkSize bound the chunk size of an item.
	MinChunkSize = 16 << 10
	MaxChunkSize = 4 << 20
	// DefaultChunkSize is the chunk size of an item added without one.
	DefaultChunkSize = 256 << 10
	// MaxChunks bounds the chunks of one item so that its signed manifest
	// (32 bytes per chunk, about 1 MiB here, see MaxSignedManifestLen)
	// travels in one record of the session protocol. An item holds at most
	// 8 GiB at the default chunk size of 256 KiB, 512 MiB at MinChunkSize
	// and 128 GiB at MaxChunkSize: larger media need a larger chunk size.
	MaxChunks = 1 << 15
)

// ChunkCount is the number of chunks of a plaintext of size bytes: an empty
// plaintext is one empty final chunk; otherwise the last chunk may be full.
func ChunkCount(size int64, chunkSize int) int64 {
	if size == 0 {
		return 1
	}
	return (size + int64(chunkSize) - 1) / int64(chunkSize)
}

// ChunkLen is the plaintext length of chunk i: chunkSize for all but the
// last, the remainder for the last. For an index past the end it is not
// positive, so no chunk ever matches it.
func ChunkLen(size int64, chunkSize int, i uint32) int {
	start := int64(i) * int64(chunkSize)
	if rest := size - start; rest < int64(chunkSize) {
		return int(rest)
	}
	return chunkSize
}

// CheckGeometry validates a size and a chunk size together.
func CheckGeometry(size int64, chunkSize int) error {
	if chunkSize < MinChunkSize || chunkSize > MaxChunkSize {
		return fmt.Errorf("chunk size %d out of range %d..%d", chunkSize, MinChunkSize, MaxChunkSize)
	}
	if size < 0 || size > int64(MaxChunks)*int64(chunkSize) {
		return fmt.Errorf("size %d out of range for chunk size %d", size, chunkSize)
	}
	return nil
}
