package model

// Reads names look-ups that a transaction is about to make, so that a
// store where every read is a round trip to a server (etcd: kiosks sharing
// one database) makes them in one (Prefetch). Each field lists the values
// as the look-up is given them.
type Reads struct {
	// EnterpriseUSCC: Enterprises().ByUSCC, and the USCC index entry that
	// Enterprises().Put and Create check.
	EnterpriseUSCC []string
	// EnterpriseAccount: Enterprises().ByAccount, and the account index
	// entry that Put and Create check.
	EnterpriseAccount []string
	// Registry: Registry().Get.
	Registry []string
	// AuditHeads: the kiosks whose audit chains Audit().Append extends.
	AuditHeads []string
}

// Prefetcher is implemented by the Tx of a store that can read ahead.
type Prefetcher interface {
	Prefetch(r Reads) error
}

// Prefetch reads the first key of each look-up r names, all in one round
// trip where the store can; the look-ups then find them in the
// transaction. It changes no answer: a look-up answers as of the
// transaction either way, and one that follows an index to its record
// still reads the record. On a store that checks at commit what a
// transaction read (etcd), what Prefetch reads counts as read whether or
// not a look-up follows, so name only look-ups the transaction makes. With
// a Tx that cannot read ahead it does nothing.
func Prefetch(tx Tx, r Reads) error {
	if p, ok := tx.(Prefetcher); ok {
		return p.Prefetch(r)
	}
	return nil
}
