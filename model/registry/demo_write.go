package registry

import (
	"context"
	"errors"
	"fmt"
	"time"

	"kiosk/model"
)

// demoState is where a store stands with the demo seed.
type demoState int

const (
	demoFresh  demoState = iota // no enterprise, no seed begun: seed it
	demoResume                  // a seed began and did not finish: resume it
	demoDone                    // seeded (the demo mark): keep it
	demoInUse                   // enterprises without a seed begun (an older demo store, or not a demo): keep it
)

// stateIn reads where the store stands inside tx.
func stateIn(tx model.Tx) (demoState, error) {
	if done, err := tx.Meta().DemoMarked(); err != nil || done {
		return demoDone, err
	}
	if seeding, err := tx.Meta().DemoSeeding(); err != nil || seeding {
		return demoResume, err
	}
	if n, err := tx.Enterprises().Count(); err != nil || n > 0 {
		return demoInUse, err
	}
	return demoFresh, nil
}

func demoStateOf(ctx context.Context, store model.Store) (demoState, error) {
	var st demoState
	err := store.View(ctx, func(tx model.Tx) error {
		var err error
		st, err = stateIn(tx)
		return err
	})
	return st, err
}

// What one account costs a transaction at most (its look-up by its natural
// key, the look-ups of an agent's enterprise and person, its record and
// index entries), and what each transaction of the seed keeps for its own
// reads and writes (the state, the marks, the audit record, the commit).
const (
	seedItemOps = 8
	seedReserve = 16
)

// write puts the accounts in batches sized for the store, each account
// unless it is there already, the first batch marking the seed begun and
// the last one finishing it. Every batch checks the state again: another
// kiosk on a shared store may be seeding, or may have finished, meanwhile.
func (a seedAccounts) write(ctx context.Context, store model.Store, registry int, now time.Time) error {
	items := a.items()
	batch := model.BatchSize(store, len(items), seedItemOps, seedReserve)
	for start := 0; ; start += batch {
		part := items[start:min(start+batch, len(items))]
		last := start+batch >= len(items)
		stop := false
		err := store.Update(ctx, func(tx model.Tx) error {
			stop = false // fn may be re-run
			st, err := stateIn(tx)
			switch {
			case err != nil:
				return err
			case st == demoDone || st == demoInUse:
				stop = true
				return nil
			case st == demoFresh:
				if err := tx.Meta().MarkDemoSeeding(now); err != nil {
					return fmt.Errorf("demo seed: mark begun: %w", err)
				}
			}
			for _, put := range part {
				if err := put(tx); err != nil {
					return err
				}
			}
			if !last {
				return nil
			}
			// The mark goes in with the last accounts: the seed is whole.
			if err := tx.Meta().MarkDemo(now); err != nil {
				return fmt.Errorf("demo seed: mark: %w", err)
			}
			_, err = tx.Audit().Append(model.AuditRecord{
				Time: now, Actor: "system", Action: AuditSeedDemo, Outcome: "ok",
				Detail: fmt.Sprintf("registry=%d enterprises=%d persons=%d agents=%d staff=%d",
					registry, len(a.enterprises), len(a.persons), len(a.agents), len(a.staff)),
			})
			return err
		})
		if err != nil || stop || last {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}

// items are the seed's writes in order (enterprises and persons before
// the agents that name them), each one a no-op when its account is there.
func (a seedAccounts) items() []func(model.Tx) error {
	var out []func(model.Tx) error
	for _, e := range a.enterprises {
		out = append(out, func(tx model.Tx) error {
			if there, err := present(tx.Enterprises().ByUSCC(e.USCC)); err != nil || there {
				return err
			}
			if err := tx.Enterprises().Put(e); err != nil {
				return fmt.Errorf("demo seed: enterprise %s: %w", e.ID, err)
			}
			return nil
		})
	}
	for _, p := range a.persons {
		out = append(out, func(tx model.Tx) error {
			if there, err := present(tx.Persons().ByIDNumber(p.Document.Number)); err != nil || there {
				return err
			}
			if err := tx.Persons().Put(p); err != nil {
				return fmt.Errorf("demo seed: person %s: %w", p.ID, err)
			}
			return nil
		})
	}
	for i, ag := range a.agents {
		uscc := a.agentUSCC[i]
		out = append(out, func(tx model.Tx) error {
			// A resumed seed finds the enterprise and the person under the
			// ids an earlier run gave them.
			e, err := tx.Enterprises().ByUSCC(uscc)
			if err != nil {
				return fmt.Errorf("demo seed: agent %s: enterprise: %w", ag.ID, err)
			}
			p, err := tx.Persons().ByIDNumber(ag.IDNumber)
			if err != nil {
				return fmt.Errorf("demo seed: agent %s: person: %w", ag.ID, err)
			}
			if there, err := present(tx.Agents().ByEnterpriseAndIDNumber(e.ID, ag.IDNumber)); err != nil || there {
				return err
			}
			ag.EnterpriseID, ag.PersonID = e.ID, p.ID
			if err := tx.Agents().Put(ag); err != nil {
				return fmt.Errorf("demo seed: agent %s: %w", ag.ID, err)
			}
			return nil
		})
	}
	for _, st := range a.staff {
		out = append(out, func(tx model.Tx) error {
			if there, err := present(tx.Staff().ByUsername(st.Username)); err != nil || there {
				return err
			}
			if err := tx.Staff().Put(st); err != nil {
				return fmt.Errorf("demo seed: staff %s: %w", st.ID, err)
			}
			return nil
		})
	}
	return out
}

// present turns a look-up's answer into "found", ErrNotFound into false.
func present[T any](_ T, err error) (bool, error) {
	if errors.Is(err, model.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}
