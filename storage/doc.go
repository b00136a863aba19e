// Package storage implements model.Store: typed repositories written once
// over the small transaction interface of package kv, so the same code runs
// on bbolt (one kiosk, kv/bboltkv) and later on etcd (kiosks sharing one
// database). storetest holds the conformance suites every engine passes.
//
// # Sealing
//
// Every record value is encoded — the compact binary form of codec_bin.go
// for enterprise records, read on every look-up by USCC or account; JSON
// for the others — and sealed with AES-256-GCM (random 96-bit nonce,
// the record's key as additional data, so a value copied under another key
// fails to open). Names, ID numbers and phones therefore never reach the
// file in clear. Look-ups by such values go through blind indexes: the hex
// HMAC-SHA256 of the normalised value under a second key, with a domain
// label per index. Both keys come from a 0600 key file (LoadOrCreateKeys);
// meta/key-check makes opening a store with the wrong key file fail early.
//
// # Key layout
//
// One flat keyspace; "/" separates segments, ids never contain "/".
// H(d, v) is the blind index of value v in domain d.
//
//	meta/schema                          schema version, decimal
//	meta/key-id, meta/key-check          key fingerprint; sealed check value
//	meta/audit/<C(kiosk)>                sealed head of the kiosk's audit chain: last Seq, its HMAC
//	meta/demo                            demo seed time (RFC 3339): the store holds demo data
//	meta/demo-seeding                    time a demo seed began (RFC 3339): it may be cut short, resumed
//	meta/production                      time a production Open found no demo data
//	ent/<id>                             sealed Enterprise (binary form since schema 2)
//	idx/ent/uscc/<H(ent-uscc, UPPER)>    → enterprise id (unique)
//	idx/ent/account/<H(ent-account, lower)> → enterprise id (unique)
//	agt/<id>                             sealed Agent
//	idx/agent/<entID>/<H(agent-idnum, UPPER)> → agent id (unique per enterprise)
//	idx/ent-agent/<entID>/<agentID>      empty; lists an enterprise's agents
//	idx/ent-admin/<entID>/<agentID>      sealed enabled flag and window of an agent with 管理权限 (schema 5)
//	per/<id>                             sealed NaturalPerson
//	idx/person/idnum/<H(person-idnum, UPPER)> → person id (unique)
//	stf/<id>                             sealed Staff
//	idx/staff/username/<H(staff-username, lower)> → staff id (unique)
//	lock/<H(lockout, key)>               sealed Lockout
//	audit/<C(kiosk)>/<seq as 16 hex digits> sealed AuditRecord + HMAC of the previous one; key order = Seq order
//	reg/<H(registry-uscc, UPPER)>        sealed RegistryRecord
//	out/<id>                             sealed OutboundSMS (phone and text inside)
//	idx/out/due/<N(next)>/<id>           empty; pending messages by NextAttempt
//	idx/out/state/<state>/<R(created)>/<id> empty; messages per state, newest first
//	sms/claim/<id>                       holder's lease id (hex), under that lease: a worker is sending the message (engines with kv.Leaser)
//	code/<H(sms-code, purpose NUL phone)> sealed SMSCode (the code only as a keyed hash)
//	rate/<H(rate, key)>                  sealed RateWindow
//	apl/<id>                             sealed Appeal (materials: names, hashes, chunk ids)
//	idx/appeal/ref/<H(appeal-ref, NormalizeAppealRef)> → appeal id (unique)
//	idx/appeal/old/<state|all>/<N(created)>/<id> → kind; listing oldest first
//	idx/appeal/new/<state|all>/<R(created)>/<id> → kind; listing newest first
//	idx/appeal/closed/<N(decided)>/<id>  empty; closed appeals whose materials are kept
//	blob/<K(bytes)>                      sealed chunk of a material, at most 256 KiB
//	blobinfo/<K(bytes)>                  sealed size, first and last write of the chunk
//	idx/blob/ref/<K(bytes)>/<appeal id>  empty; the appeal references the chunk
//	idx/blob/loose/<N(touched)>/<K(bytes)> empty; chunks no appeal references, by last write
//	mf/<appeal id>                       sealed manifest: the chunks the appeal references while they differ from its materials
//	idx/mf/loose/<N(since)>/<appeal id>  empty; the manifests, oldest first
//	fleet/kiosk/<C(kiosk)>               sealed presence record of the kiosk (fleet.Record; fleet.go)
//	fleet/online/<C(kiosk)>              empty, under the kiosk's lease: the kiosk is online (engines with kv.Leaser)
//
// C(kiosk) is the kiosk id with '%', '/' and control bytes percent-escaped
// ("%" for an empty id). Each kiosk's audit records form a chain of their
// own (Seq from 1, per kiosk, so kiosks sharing a database never write the
// same key): each record holds the HMAC, under Keys.Derive("audit-chain"),
// of the previous record's key and sealed plaintext, the first one that of
// a genesis value naming the kiosk; the sealed head holds the last Seq and
// that record's HMAC. Store.VerifyAudit walks the chains (docs/audit.md).
//
// N(t) is t's UnixNano as 20 zero-padded decimal digits (clamped to the
// int64 range, the zero time as 0), so key order is time order; R(t) is
// N of MaxInt64 minus the nanos, so key order is newest first. Due and List
// walk these indexes and stop early: their cost follows the result, not
// the outbox size. Sent and dead messages leave the due index.
//
// Unique indexes are checked before anything is written, inside the same
// transaction, so a Put that clashes returns *model.DuplicateError and
// writes nothing; a record whose indexed value changes moves its entry.
// Empty values are not indexed (they never clash and are never found).
//
// # No hot keys
//
// Kiosks sharing one database (etcd) commit optimistically: a transaction
// that read a key another kiosk wrote meanwhile is re-run. So no key may be
// written by every kiosk's ordinary writes. The keys a write touches are
// its subject's (the enterprise's record and indexes, a principal's lock,
// a phone's code and rate window, a message, an appeal, a chunk) or its
// kiosk's (its audit chain and head meta/audit/<C(kiosk)>, its rate
// windows); two kiosks write the same key only when they act on the same
// subject, and then the conflict is the point. The meta keys other than the
// audit heads are written once in a store's life (meta/key-*, meta/demo,
// meta/demo-seeding, meta/production) or by a schema upgrade
// (meta/schema). TestNoHotKeys
// (model/account) records the keys two kiosks' use cases write.
//
// Counts are therefore derived, not kept: Enterprises().Count and
// Registry().Count walk ent/ and reg/ (schema 4 dropped the counters
// meta/count/ent and meta/count/reg that every new enterprise and registry
// record bumped). A counter per kiosk, summed by Count, was the other way;
// it would give the storage layer a kiosk identity only the audit records
// carry today, keep one more write in every registration, and leave counts
// that could disagree with the records. Count's callers do not need more
// than a walk: the demo seed asks once at start-up whether a demo store is
// empty, and the tests and the registration crash test count what they
// wrote. A walk costs about 70 ms per 100,000 enterprises on bbolt
// (BenchmarkEnterpriseCount100k); nothing calls it per request. In an
// Update the walk reads the whole range, so on an optimistic engine it
// conflicts with any enterprise created meanwhile: what the demo seed's
// "is it still empty" wants. On etcd it also moves every sealed record
// over the network; a caller that needs Count on a large shared store
// should get a count-only range in kv, not a counter.
//
// # Appeals and their materials
//
// A material is cut into chunks of at most 256 KiB (far below any engine's
// value and request limits), each stored in a transaction of its own
// before the appeal. K(bytes) is the hex HMAC-SHA256 of a chunk under
// Keys.Derive("blob-chunk"): content addressing, so the same bytes are
// stored once and a chunk read back is checked against its key, without
// letting someone who has the file but not the keys confirm a guess of a
// chunk's content. Writing known bytes again moves only their last-write
// time. An appeal references each of its chunks with an entry per chunk
// and appeal, written after checking that the chunk exists (so a filed
// appeal never lacks a chunk); a chunk that gains its first reference
// leaves the loose index, one that loses its last one (an appeal changed
// or purged) enters it at its last write. Whether a chunk is referenced
// is thus one short read, and the orphan collector walks the loose index
// from the oldest and stops at its grace: it never reads an appeal, and
// its cost follows what it deletes. Everything is read and written inside
// the transaction, so a closure re-run by an optimistic engine starts
// afresh; no counter is shared.
//
// A reference costs about three compares and three writes, and 30 MB of
// materials are 120 chunks: more than one transaction of etcd takes. So
// the kiosk references an appeal's chunks ahead of its Put, in batches
// (Blobs.Reserve, model.ReserveChunks), and the Put finds them referenced
// and writes none; a Put that drops more than a few references (a purge)
// leaves them to Blobs.Release, in batches (model.ReleaseChunks). While
// the chunks an appeal references differ from those its stored version
// holds, its manifest mf/<appeal id> lists them, so the Put reads one key
// to know which references exist; without a manifest they are exactly
// those of the stored version (every appeal filed before manifests). The
// manifest's index entry lets the collector release, after its grace, the
// reservations of appeals never filed and purges cut short
// (appeal_refs.go).
//
// # Round trips
//
// On etcd every read is a round trip to the cluster, so a use case's
// transaction does not read what it need not. A record under a fresh
// random id (an enterprise made by Enterprises().Create, an outbox
// message), the unique index entries of a new enterprise and the next
// slot of a kiosk's audit chain are created with kv.Create: the commit
// requires the key still absent (the chain's slot is derived from its
// head, which is read), so an id in use, a USCC or an account taken, or a
// record beyond the head is still refused, on the closure's re-run. And a
// use case names up front the look-ups its transaction makes
// (model.Prefetch: unique indexes, registry records, audit heads), which
// tx.Prefetch reads in one kv.GetMany; the etcd engine answers a key the
// kiosk itself wrote lately (its audit head) from memory. A registration
// thus costs two round trips: the registry record and the commit
// (model/account.Register).
//
// # The size of a transaction
//
// etcd takes at most 128 compares and 128 writes in one commit
// (--max-txn-ops) and 1.5 MiB per request, and the etcd engine compares
// every key a transaction read from the store and two keys per range it
// scanned; a deletion is two writes (kv.Limiter, memkv.MaxOps emulates it).
// So no use case's transaction grows with the data: a look-up reads a few
// keys, a list scans one range, the last-admin guard scans the admin index
// idx/ent-admin/<entID>/ rather than every agent, an appeal's Put writes no
// more chunk references than a few. Bulk work (the registry import, the
// demo seed, the purges, the orphan collector, chunk reservations) runs in
// batches sized by the engine's bound (Store.MaxOps, model.BatchSize).
// The demo seed marks the store meta/demo-seeding in its first batch and
// meta/demo in its last: production refuses the store from the first on,
// and a seed cut short is resumed by the next demo start, each account
// written unless it is there already. Views are not bounded.
//
// # SMS outbox claims
//
// Kiosks sharing one database share one outbox, and each message must go
// out through one kiosk's modem. On an engine with leases a worker holds
// a lease (Store.Grant) and claims a message by putting sms/claim/<id>
// under it, in the transaction that reads the message as pending, only if
// the key is absent (OutboxRepo.Claim): the engine commits the claim only
// if neither changed meanwhile. Due steps over claimed messages; the
// worker's "sent" (or retry) write and the deletion of its claim are one
// transaction (Release deletes only a claim naming the caller's lease).
// When the worker dies or loses the store, its lease ends and the store
// deletes its claims, so the message is due for the others again; a
// commit under an ended lease writes nothing (model.ErrLeaseEnded). No
// kiosk's clock decides who holds a message. The claim is the message's
// own key, written only by the kiosks acting on that message. An engine
// without leases (bbolt, one kiosk) has no claims: the worker pushes
// NextAttempt instead (devices/sms.Worker).
//
// # Fleet presence
//
// Each kiosk keeps two keys of its own (model/fleet, Fleet): its record
// (hall, version, each device's health, when it started, the minute of the
// last key or tap, its last heartbeat, whether it stopped cleanly), written
// every heartbeat (10 s) and when a device's health changes, so a kiosk
// that is gone is still listed with when it was last seen; and, on an
// engine with leases (etcd), an empty online mark put under a lease of
// 20 s that the kiosk renews: the store deletes it when the kiosk dies or
// loses the store, and a clean stop deletes it with the record's last
// write. Online is the mark's presence, so no two kiosks' clocks are
// compared; on an engine without leases (bbolt, one kiosk) it is a
// heartbeat within three intervals. Listing reads both prefixes in one
// read transaction; no key is shared between kiosks.
//
// # Schema
//
// A fresh store is stamped with the newest schema version the code knows
// (BaseSchemaVersion or the last Migration). Open brings an older store to
// BaseSchemaVersion (schema 1 → 2 re-seals the enterprise records from JSON
// to the binary form, 2 → 3 moves the records of the global audit
// sequence aud/<seq> into their kiosks' chains, in order, and drops its
// counter meta/seq/audit, 3 → 4 drops the record counts meta/count/ent and
// meta/count/reg, 4 → 5 writes the admin index idx/ent-admin/) and runs
// the pending migrations, all in one transaction, and refuses a newer one.
// Like every transaction, Open's may be re-run by an optimistic engine:
// each upgrade reads what it rewrites inside it. That transaction grows
// with the store, so an older store is upgraded on its own engine (bbolt,
// which has no bound); a store on an engine with a bound (etcd) is born
// at the newest version, which costs Open a handful of keys.
package storage
