package httpface

import (
	"context"
	"time"
)

// Hooks for the external tests (package httpface_test), which import
// fakeauthority and therefore cannot live inside package httpface.

func SetSleep(c *Client, f func(ctx context.Context, d time.Duration) error) { c.sleep = f }
func SetJitter(c *Client, f func() float64)                                  { c.jitter = f }
func Backoff(c *Client, n int) time.Duration                                 { return c.backoff(n) }
func RetryAfter(c *Client, h string) time.Duration                           { return c.retryAfter(h) }
func Settings(c *Client) (string, Config)                                    { return c.verify, c.cfg }

var Sleep = sleep
