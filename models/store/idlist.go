package store

import (
	"database/sql/driver"
	"strconv"
)

// inIDs is a condition that column is one of ids, spelled the same for any number of
// them, with the ids as one argument: a list of placeholders is a new statement for
// each length, which the readers prepare and keep (openSQLite) and pgx keeps too. The
// ids of a page's new rows came in hundreds of lengths under the soak's mixed load: each
// was parsed anew (a quarter of judging kept lists after writes), and they pushed the
// pages' own statements out of the 512 kept.
func (s *Store) inIDs(column string, ids []int64) (cond string, arg any) {
	if s.dialect == SQLite {
		return column + " IN (SELECT value FROM json_each(?))", idList{ids, '[', ']'}
	}
	return column + " = ANY(CAST(? AS bigint[]))", idList{ids, '{', '}'}
}

// idList is ids written as a JSON array (SQLite's json_each) or an array literal
// (PostgreSQL).
type idList struct {
	ids         []int64
	open, close byte
}

// Value makes idList a driver.Valuer, which GORM passes as one argument where it would
// spread a slice into a list of them.
func (l idList) Value() (driver.Value, error) {
	b := make([]byte, 0, 2+8*len(l.ids))
	b = append(b, l.open)
	for i, id := range l.ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return string(append(b, l.close)), nil
}
