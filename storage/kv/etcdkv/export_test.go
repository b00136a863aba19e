package etcdkv

import clientv3 "go.etcd.io/etcd/client/v3"

// LoseAnswers makes the engine's next commits go through lose, which may
// send them (or not) and pretend their answer was lost.
func (e *Engine) LoseAnswers(lose func(send func() (*clientv3.TxnResponse, error)) (*clientv3.TxnResponse, error)) {
	e.loseAnswer = lose
}

// Lag makes the first read of each Update answer from n revisions before
// the newest the engine has seen, as a member that far behind would (0:
// as the cluster answers).
func (e *Engine) Lag(n int64) { e.lag = n }
