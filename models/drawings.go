package models

import (
	"sync"
	"time"
)

// Drawings keeps what a view drew from one value the store keeps, for the readers who
// ask for it in the same second, language and zone. A first page of the feedback list
// is read by a whole team, and drawing its fifty rows is most of the work of serving
// it; the value's figures are kept already, so drawing them again is the same work
// done for the same bytes.
//
// The store gives every value it makes a new Drawings (the zero value is ready), and
// shares it only between copies of that value; so a drawing never outlives what it
// was drawn from, and nothing has to forget it. A nil *Drawings keeps nothing.
type Drawings struct {
	mu sync.Mutex
	by map[string]drawing
}

type drawing struct {
	second int64
	bytes  []byte
}

// Draw returns what draw returns for key in the second of at, and draws it only for
// the first reader in that second; the others wait for that drawing rather than draw
// it beside it. A failed drawing is not kept. The bytes returned must not be changed.
func (d *Drawings) Draw(key string, at time.Time, draw func() ([]byte, error)) ([]byte, error) {
	if d == nil {
		return draw()
	}
	second := at.Unix()
	d.mu.Lock()
	defer d.mu.Unlock()
	if kept, ok := d.by[key]; ok && kept.second == second {
		return kept.bytes, nil
	}
	b, err := draw()
	if err != nil {
		return nil, err
	}
	if d.by == nil {
		d.by = map[string]drawing{}
	}
	// One drawing per key: the one of an earlier second is replaced, so a page read
	// all day holds as many as there are languages and zones reading it.
	d.by[key] = drawing{second: second, bytes: b}
	return b, nil
}
