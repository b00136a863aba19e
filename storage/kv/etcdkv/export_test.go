package etcdkv

import clientv3 "go.etcd.io/etcd/client/v3"

// LoseAnswers makes the engine's next commits go through lose, which may
// send them (or not) and pretend their answer was lost.
func (e *Engine) LoseAnswers(lose func(send func() (*clientv3.TxnResponse, error)) (*clientv3.TxnResponse, error)) {
	e.loseAnswer = lose
}

// Lagging makes the engine's serializable reads answer through lag, as a
// member behind the leader would (nil: as they came).
func (e *Engine) Lagging(lag func(rev int64, err error) (int64, error)) { e.lagging = lag }
