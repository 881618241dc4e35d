// Package protocol is the securemedia session protocol, version 1
// (DESIGN.md §4): cipher-suite and group negotiation, an ephemeral key
// exchange, mutual certificate authentication over one signed transcript,
// a TLS 1.3-style key schedule with separate keys per direction, binary
// records with sequence numbers and a replay window, per-chunk keys, and
// in-channel rekeying.
//
// It sits between the HTTP layer (package server and package client) and the
// cryptographic building blocks (protocol/internal/...). It is the channel
// only: what travels in its request and response records (the catalog,
// licenses, fetches) is package message, opaque here; chunk records carry
// media bytes under per-chunk keys. It knows nothing of HTTP, disks or wall
// clocks: randomness and time come from Config, so a handshake is
// reproducible in tests.
//
// The message flow:
//
//	client                                   server
//	ClientHello            ───────────────▶
//	                       ◀─────────────── HelloRetryRequest   (only when the client sent no share for the chosen group)
//	ClientHello (again)    ───────────────▶
//	                       ◀─────────────── ServerHello, Certificate, CertificateVerify   (in clear)
//	{Certificate, CertificateVerify,
//	 [UserCertificate, UserCertificateVerify],
//	 Finished}             ───────────────▶   (one record under the client handshake key)
//	                       ◀─────────────── {Finished}   (one record under the server handshake key)
//	[requests]             ◀──────────────▶ [responses, chunks]   (application epochs 1, 2, ...)
//
// Everything after ServerHello's flight is encrypted and authenticated.
package protocol
