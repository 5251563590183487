package models

import (
	"fmt"
	"time"
)

// LoginPolicy limits password guessing per account, whichever client addresses the
// guesses come from: after FreeFailures failed sign-ins the account waits BaseDelay,
// doubling with each further failure up to MaxDelay. While it waits, even the right
// password is refused, so a guesser learns nothing from trying it. Failures older than
// Memory are forgotten. Unknown addresses are counted the same way, so the limit does
// not tell which addresses exist.
type LoginPolicy struct {
	FreeFailures int
	BaseDelay    time.Duration
	MaxDelay     time.Duration
	Memory       time.Duration
}

// DefaultLoginPolicy allows five failures, then waits 1 s, 2 s, 4 s, ... up to 15 min.
var DefaultLoginPolicy = LoginPolicy{FreeFailures: 5, BaseDelay: time.Second, MaxDelay: 15 * time.Minute, Memory: time.Hour}

// Delay is how long an account waits after its failures-th failure (0 while free).
func (p LoginPolicy) Delay(failures int) time.Duration {
	if failures < p.FreeFailures {
		return 0
	}
	d := p.BaseDelay
	for i := p.FreeFailures; i < failures && d < p.MaxDelay; i++ {
		d *= 2
	}
	return min(d, p.MaxDelay)
}

// ThrottledError is a sign-in refused because the account is waiting after failures.
type ThrottledError struct{ Until time.Time }

func (e *ThrottledError) Error() string {
	return fmt.Sprintf("models: sign-in refused until %s after failed attempts", e.Until.Format(time.RFC3339))
}
