package app

import (
	"bytes"
	"encoding/binary"
	"errors"
	"maps"
	"slices"
	"time"

	"github.com/alexedwards/scs/v2"
)

// sessionCodec encodes a session (scs.Codec) as its deadline and values in key order.
// scs's gob codec built a decoder, and compiled the value types, three times per page
// view (scs's load and the two fingerprints of session_throttle.go): a sixth of a list
// page's time. These bytes are the same for the same session, so their hash is its
// fingerprint. Values of other types than the session holds today fall back to gob,
// and sessions saved by the gob codec still load.
type sessionCodec struct{}

// sessionFormat starts this codec's bytes; a gob stream never starts with a zero byte
// (it is the length of its first message).
const sessionFormat = "\x00it1"

// Encode implements scs.Codec.
func (sessionCodec) Encode(deadline time.Time, values map[string]any) ([]byte, error) {
	b := append(make([]byte, 0, 64), sessionFormat...)
	b = binary.AppendVarint(b, deadline.UnixNano())
	for _, k := range slices.Sorted(maps.Keys(values)) {
		b = appendSessionString(b, k)
		switch v := values[k].(type) {
		case int64:
			b = binary.AppendVarint(append(b, 'i'), v)
		case int:
			b = binary.AppendVarint(append(b, 'n'), int64(v))
		case string:
			b = appendSessionString(append(b, 's'), v)
		case bool:
			b = append(b, 'b', boolByte(v))
		default:
			return scs.GobCodec{}.Encode(deadline, values)
		}
	}
	return b, nil
}

// Decode implements scs.Codec.
func (sessionCodec) Decode(b []byte) (time.Time, map[string]any, error) {
	rest, ok := bytes.CutPrefix(b, []byte(sessionFormat))
	if !ok {
		return scs.GobCodec{}.Decode(b)
	}
	r := sessionReader{b: rest}
	deadline := time.Unix(0, r.varint())
	values := map[string]any{}
	for len(r.b) > 0 && r.err == nil {
		k := r.string()
		switch r.byte() {
		case 'i':
			values[k] = r.varint()
		case 'n':
			values[k] = int(r.varint())
		case 's':
			values[k] = r.string()
		case 'b':
			values[k] = r.byte() == 1
		default:
			r.err = errBadSession
		}
	}
	if r.err != nil {
		return time.Time{}, nil, r.err
	}
	return deadline, values, nil
}

var errBadSession = errors.New("session: unreadable data")

func appendSessionString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

func boolByte(v bool) byte {
	if v {
		return 1
	}
	return 0
}

// sessionReader reads sessionCodec's bytes; the first problem sticks in err.
type sessionReader struct {
	b   []byte
	err error
}

func (r *sessionReader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.err, r.b = errBadSession, nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *sessionReader) byte() byte {
	if len(r.b) == 0 {
		r.err = errBadSession
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *sessionReader) string() string {
	n, w := binary.Uvarint(r.b)
	if w <= 0 || uint64(len(r.b)-w) < n {
		r.err, r.b = errBadSession, nil
		return ""
	}
	s := string(r.b[w : w+int(n)])
	r.b = r.b[w+int(n):]
	return s
}

// sessionUserOf reads who a session's data is signed in as, for the session store
// (store.Store.Sessions).
func sessionUserOf(data []byte) (int64, bool) {
	_, values, err := sessionCodec{}.Decode(data)
	if err != nil {
		return 0, false
	}
	id, ok := values[sessionUserID].(int64)
	return id, ok && id != 0
}
