package smscode

import (
	"slices"
	"time"
)

// prune keeps the events of the last keep before now, sorted, so stored
// windows never grow past the longest window they serve.
func prune(events []time.Time, now time.Time, keep time.Duration) []time.Time {
	from := now.Add(-keep)
	out := slices.DeleteFunc(slices.Clone(events), func(e time.Time) bool { return !e.After(from) })
	slices.SortFunc(out, time.Time.Compare)
	return out
}

// inWindow returns the sorted events that count in the window ending now.
func inWindow(events []time.Time, now time.Time, window time.Duration) []time.Time {
	from := now.Add(-window)
	i, _ := slices.BinarySearchFunc(events, from, func(e, t time.Time) int {
		if e.After(t) {
			return 1
		}
		return -1
	})
	return events[i:]
}

// freeAt is when the window next admits an event: now (zero) while fewer
// than limit events count, else when the oldest event that must leave has
// left.
func freeAt(events []time.Time, now time.Time, window time.Duration, limit int) time.Time {
	in := inWindow(events, now, window)
	if len(in) < limit {
		return time.Time{}
	}
	return in[len(in)-limit].Add(window)
}
