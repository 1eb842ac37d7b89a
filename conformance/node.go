package conformance

import _ "embed"

// NodeRunner is the TypeScript source of runner.ts: its run function checks
// a generated module against a Table (as parsed from JSON) and returns one
// line per failed case.
//
//go:embed runner.ts
var NodeRunner string

// NodeShim declares the parts of node's API (node:fs readFileSync, console,
// process.exitCode) a driver of NodeRunner needs, so that type-checking it
// needs no @types/node. Compile it with lib es2022 and no DOM.
//
//go:embed node-shim.d.ts
var NodeShim string
