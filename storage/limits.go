package storage

import (
	"kiosk/model"
	"kiosk/storage/kv"
)

var _ model.OpLimiter = (*Store)(nil)

// MaxOps is the engine's bound on one transaction (kv.MaxOps), 0 when it
// has none: the model sizes its bulk work by it (model.BatchSize).
func (s *Store) MaxOps() int { return kv.MaxOps(s.engine) }
