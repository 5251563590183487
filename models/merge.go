package models

// MergeInput names two improvements that turned out to be the same: Merged is folded
// into Survivor. SeenID and SeenVersion are the improvement whose page the user acted
// from and the version shown there, so a merge based on a stale page is refused.
type MergeInput struct {
	SurvivorID, MergedID int64
	SeenID               int64
	SeenVersion          int
}
