package app

import (
	"bytes"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
)

func TestSessionCodec(t *testing.T) {
	deadline := time.Date(2026, 11, 30, 20, 0, 0, 123, time.UTC)
	tests := []struct {
		name   string
		values map[string]any
		own    bool // written in sessionCodec's format, not gob
	}{
		{"empty", map[string]any{}, true},
		{"signed in", map[string]any{sessionUserID: int64(42), sessionAuthV: 3}, true},
		{"flash", map[string]any{sessionUserID: int64(-7), "flash": "Gemt – æøå", "flash_link": "", "on": true, "off": false}, true},
		{"another type falls back to gob", map[string]any{"share": 0.5, sessionUserID: int64(1)}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := sessionCodec{}.Encode(deadline, tt.values)
			if err != nil {
				t.Fatal(err)
			}
			if own := bytes.HasPrefix(b, []byte(sessionFormat)); own != tt.own {
				t.Fatalf("own format = %v, want %v", own, tt.own)
			}
			gotDeadline, got, err := sessionCodec{}.Decode(b)
			if err != nil {
				t.Fatal(err)
			}
			if !gotDeadline.Equal(deadline) {
				t.Errorf("deadline %v, want %v", gotDeadline, deadline)
			}
			if len(got) != len(tt.values) {
				t.Fatalf("values %v, want %v", got, tt.values)
			}
			for k, v := range tt.values {
				if g, ok := got[k]; !ok || g != v {
					t.Errorf("%s = %#v, want %#v", k, got[k], v)
				}
			}
			// The same values give the same bytes whatever the map's order.
			for range 20 {
				again, _ := sessionCodec{}.Encode(deadline, tt.values)
				if tt.own && !bytes.Equal(again, b) {
					t.Fatal("the same session encoded to different bytes")
				}
			}
		})
	}
}

func TestSessionCodecReadsGobSessions(t *testing.T) {
	deadline := time.Now().Add(time.Hour).Round(0)
	b, err := scs.GobCodec{}.Encode(deadline, map[string]any{sessionUserID: int64(5), sessionAuthV: 2})
	if err != nil {
		t.Fatal(err)
	}
	gotDeadline, got, err := sessionCodec{}.Decode(b)
	if err != nil || !gotDeadline.Equal(deadline) || got[sessionUserID] != int64(5) || got[sessionAuthV] != 2 {
		t.Fatalf("decode of a gob session: %v %v %v", gotDeadline, got, err)
	}
}

func TestSessionCodecRefusesCutData(t *testing.T) {
	b, _ := sessionCodec{}.Encode(time.Now(), map[string]any{"flash": "saved"})
	if _, _, err := (sessionCodec{}).Decode(b[:len(b)-2]); err == nil {
		t.Fatal("a cut string was read")
	}
	if _, _, err := (sessionCodec{}).Decode(append(append([]byte(sessionFormat), 2), 1, 'k', 'x')); err == nil {
		t.Fatal("an unknown type tag was read")
	}
	if _, _, err := (sessionCodec{}).Decode(append([]byte(sessionFormat), 2, 9, 'k')); err == nil {
		t.Fatal("a key longer than the data was read")
	}
}
