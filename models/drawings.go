package models

import (
	"bytes"
	"sync"
)

// Drawings keeps what a view drew from one value the store keeps, for the readers who
// ask for it while what it was drawn from is the same. A first page of the feedback
// list or the NPS trend of several years is read by a whole team, and drawing it is
// most of the work of serving it; the value is kept already, so drawing it again is
// the same work done for the same bytes.
//
// The store gives every value it makes a new Drawings (the zero value is ready), and
// shares it only between copies of that value; so a drawing never outlives what it
// was drawn from, and nothing has to forget it. A nil *Drawings keeps nothing.
type Drawings struct {
	mu sync.Mutex
	by map[string]drawing
}

type drawing struct {
	version string
	bytes   []byte
	// parts is the drawing cut at its holes, for DrawCut.
	parts [][]byte
}

// Draw returns what draw returns for key and version, and draws it only for the first
// reader of that version: the others wait for that drawing rather than draw it beside
// it. The version names all the drawing depends on beyond the value and the key (the
// second a list's relative times are drawn at, the trend's figures of this month). A
// failed drawing is not kept. The bytes returned must not be changed. A drawing must not
// draw from the same Drawings: it would wait for itself.
func (d *Drawings) Draw(key, version string, draw func() ([]byte, error)) ([]byte, error) {
	kept, err := d.keep(key, version, func() (drawing, error) {
		b, err := draw()
		return drawing{bytes: b}, err
	})
	return kept.bytes, err
}

// DrawCut is Draw for a drawing with holes the reader fills (their own form token):
// it returns the drawing cut at every hole, cut once when drawn. Searching each
// reader's copy for its holes was two fifths of serving the quick-win board.
func (d *Drawings) DrawCut(key, version string, hole []byte, draw func() ([]byte, error)) ([][]byte, error) {
	kept, err := d.keep(key, version, func() (drawing, error) {
		b, err := draw()
		return drawing{parts: bytes.Split(b, hole)}, err
	})
	return kept.parts, err
}

func (d *Drawings) keep(key, version string, draw func() (drawing, error)) (drawing, error) {
	if d == nil {
		return draw()
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if kept, ok := d.by[key]; ok && kept.version == version {
		return kept, nil
	}
	made, err := draw()
	if err != nil {
		return drawing{}, err
	}
	if d.by == nil {
		d.by = map[string]drawing{}
	}
	// One drawing per key: an earlier version's is replaced, so a value read all day
	// holds as many as there are languages and zones reading it.
	made.version = version
	d.by[key] = made
	return made, nil
}
