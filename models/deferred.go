package models

import (
	"time"
)

// DeferralDue reports whether an item deferred until a date is due back in review on
// today: from that date on, counted in calendar days (both as midnight UTC of the day).
func DeferralDue(deferUntil *time.Time, today time.Time) bool {
	if deferUntil == nil {
		return false
	}
	return !deferUntil.After(today)
}
