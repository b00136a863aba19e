package model

// OpLimiter is implemented by a Store whose engine bounds one transaction:
// etcd takes at most 128 compares and 128 write operations in one commit,
// and it compares every key a transaction read (a Scan counts two, a
// Delete two writes). Work that writes in bulk (an import, a seed, a
// purge) sizes its transactions by it, with BatchSize.
type OpLimiter interface {
	// MaxOps is the most compares, and the most write operations, one
	// Update may commit; 0 means no limit.
	MaxOps() int
}

// MaxOps is s's bound on one Update (OpLimiter), 0 when it has none.
func MaxOps(s Store) int {
	if l, ok := s.(OpLimiter); ok {
		return max(l.MaxOps(), 0)
	}
	return 0
}

// BatchSize is how many items one Update of s handles: preferred (at
// least 1) on a store without a limit, and on one with a limit as many as
// fit when each item costs at most perItem compares and perItem writes and
// the transaction needs reserve more of its own (its commit, its cursor
// scan, an audit record). It is never below 1: an item that does not fit
// alone fails with the engine's error rather than looping.
func BatchSize(s Store, preferred, perItem, reserve int) int {
	n := max(preferred, 1)
	if lim := MaxOps(s); lim > 0 {
		n = min(n, (lim-reserve)/max(perItem, 1))
	}
	return max(n, 1)
}
