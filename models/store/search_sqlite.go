package store

import (
	"context"
	"database/sql/driver"
	"strings"

	"github.com/improvementtracker/tracker/models"

	"modernc.org/sqlite"
)

// tracker_contains(text, needle, ...) is ContainsAll as an SQL function of every SQLite
// connection: the trigram index finds feedback holding each run of three characters of
// the words somewhere, and this keeps those that hold each word in one piece. SQLite's
// own LIKE folds only ASCII case ("RÅDGIVER" would not match "rådgiver") and no
// diacritics, where the index folds both.
func init() {
	sqlite.MustRegisterDeterministicScalarFunction("tracker_contains", -1,
		func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			if len(args) < 2 {
				return int64(0), nil
			}
			text, _ := args[0].(string)
			needles := make([]string, 0, len(args)-1)
			for _, a := range args[1:] {
				n, _ := a.(string)
				needles = append(needles, n)
			}
			if models.ContainsAll(text, needles) {
				return int64(1), nil
			}
			return int64(0), nil
		})
}

// partsWhere is the SQLite condition of the parts search on feedback: a candidate of
// the trigram index for triMatch (within the ids low..high when high > 0) that holds every needle,
// and not a match of the word search (wordMatch), which lists first. Both indexes are
// asked once for their lists of ids: a correlated NOT EXISTS asked the word index once
// a row (0.1 ms each, 1.2 s for a page of "bank" on 200,000 feedback). driven lets
// SQLite start from the trigram index's candidates; otherwise the unary + keeps it
// walking the time index and stopping after a page.
func partsWhere(pq models.PartsQuery, triMatch, wordMatch string, low, high int64, driven bool) (string, []any) {
	var b strings.Builder
	args := []any{}
	rng := func() {
		if high > 0 {
			b.WriteString(" AND rowid BETWEEN ? AND ?")
			args = append(args, low, high)
		}
	}
	if !driven {
		b.WriteByte('+')
	}
	b.WriteString("feedback.id IN (SELECT rowid FROM feedback_tri WHERE feedback_tri MATCH ?")
	args = append(args, triMatch)
	rng()
	b.WriteString(") AND tracker_contains(feedback.comment")
	for _, n := range pq.Needles {
		b.WriteString(", ?")
		args = append(args, n)
	}
	b.WriteString(") AND +feedback.id NOT IN (SELECT rowid FROM feedback_fts WHERE feedback_fts MATCH ?")
	args = append(args, wordMatch)
	rng()
	b.WriteString(")")
	return b.String(), args
}

// triMatch returns the trigram index query the parts search runs on SQLite: the one
// trigram of pq that the fewest comments hold (read from feedback_tri_vocab), since
// tracker_contains checks the whole words anyway. A trigram the vocabulary does not
// list (none holds it, or it is folded otherwise than foldToken folds) is not chosen:
// when none is listed the query asks for all of them, which finds what there is. Any
// of its trigrams finds every match, so the choice is kept through writes (cachedPlan).
func (s *Store) triMatch(ctx context.Context, pq models.PartsQuery) string {
	m, err := cachedPlan(ctx, s, "tri "+pq.Trigrams, func(ctx context.Context) (string, error) {
		folded := make([]string, len(pq.Grams))
		for i, g := range pq.Grams {
			folded[i] = models.FoldToken(g)
		}
		var rows []struct {
			Term string
			Doc  int64
		}
		if err := s.r.WithContext(ctx).Raw(`SELECT term, doc FROM feedback_tri_vocab WHERE term IN ? ORDER BY doc LIMIT 1`,
			folded).Scan(&rows).Error; err != nil {
			return "", err
		}
		if len(rows) == 0 {
			return pq.Trigrams, nil
		}
		return `"` + strings.ReplaceAll(rows[0].Term, `"`, `""`) + `"`, nil
	})
	if err != nil {
		return pq.Trigrams
	}
	return m
}
