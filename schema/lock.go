package schema

// Lock is the content of permcat.lock: every permission key ever compiled
// with its stable numeric ID.
type Lock struct {
	Catalog string
	Entries []LockEntry // sorted by ID

	catalogAt Pos // where ParseLock read Catalog
}

// LockEntry is one ID. Key is the current key (or the last key, when
// retired). Former lists keys the ID was known by before (via `formerly`).
type LockEntry struct {
	ID      uint32
	Key     string
	Retired bool
	Former  []string
}
