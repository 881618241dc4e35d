// Package deploy is the assembly layer (DESIGN.md §3): it turns the
// configuration files, server.toml and client.toml (package config), into
// running objects — the media store under its master key, the content
// signer, the server with its validators, license store and CRL reloads,
// the client's connection settings, the viewer's token and a connected
// viewer, and a whole workspace for `securemedia init`. It is the only
// package that knows the file formats: server and client take their own
// Config structs.
//
// It also turns what an operator command is given (files, directories,
// names) into the library calls behind it, so that the command line keeps
// only flags, prompts, output and hints: the offline CA and its cached
// passphrase (OpenCA), a validator from certificate and CRL files
// (NewValidator), a file on its way into the media store
// (OpenMediaSource), the user an authentication certificate registers
// (UserFromCertificate), one license by id or by user and media
// (FindLicense), the tokens of a module (ListTokens, ExportCertificate) and
// a token-held key-encryption key (CreateTokenKEK).
//
// Errors that an operator fixes in a configuration file are *Error, naming
// the file and keys; the command line turns them into hints.
package deploy
