package store

// SetLastSearchWindow lowers lastSearchWindow for a test, so that a small data set
// reaches the fallback; the returned func restores it.
func SetLastSearchWindow(n int) (restore func()) {
	old := lastSearchWindow
	lastSearchWindow = n
	return func() { lastSearchWindow = old }
}

// UserColumns is what UserByID reads.
const UserColumns = userColumns
