// Package deploy is the assembly layer (DESIGN.md §3): it turns the
// configuration files, server.toml and client.toml (package config), into
// running objects — the media store under its master key, the content
// signer, the server with its validators, license store and CRL reloads,
// the client's connection settings and the viewer's token, and a whole
// workspace for `securemedia init`. It is the only package that knows the
// file formats: server and client take their own Config structs.
//
// Errors that an operator fixes in a configuration file are *Error, naming
// the file and keys; the command line turns them into hints.
package deploy
