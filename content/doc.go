// Package content is what the server and the client both know about a
// media item apart from any key: its identity (ID), how it is cut into
// chunks (ChunkLen, the geometry limits), and the signed Manifest that
// proves every chunk authentic (DESIGN.md §8).
//
// It sits at both ends of the data path of one play (DESIGN.md §3): the
// media store writes a Manifest when an item is added and hands its signed
// form to the server; the client verifies that form against the
// content-signing chain and checks chunk i with Manifest.CheckChunk before a
// single byte of it reaches the player. The package holds no keys at rest
// and touches no disk, so a client links it without the at-rest store.
//
// It also names what the server asks of a store, so that the server links
// no store either: an Item describes a stored item, a ChunkReader reads an
// opened item's chunks, and ErrNotFound, *IntegrityError, *DamagedError and
// ErrWrongKEK are the failures the server tells apart.
package content
