package models

// GoodwillLine is one branch's goodwill for a month: its limit, what was spent and
// what is left.
type GoodwillLine struct {
	Branch Branch
	// Spent is the goodwill recorded in the month; Entries is how many follow-ups spent any.
	Spent   Money
	Entries int
}

// Remaining is what is left of the limit, or -1 when the branch has no limit.
func (l GoodwillLine) Remaining() Money {
	if l.Branch.GoodwillMonthlyLimit <= 0 {
		return -1
	}
	return max(0, l.Branch.GoodwillMonthlyLimit-l.Spent)
}
