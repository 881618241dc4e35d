// Package web is the browser side of securemedia (DESIGN.md §11): the
// session protocol's client in TypeScript under src/, built with esbuild
// into the committed bundle dist/securemedia.js, so that serving it needs
// no Node.js. This package's tests run the Node.js client against a live
// server; see README.md in this directory.
package web
