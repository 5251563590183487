package models_test

import (
	"testing"

	"github.com/improvementtracker/tracker/models"
)

func TestRedactContact(t *testing.T) {
	values := []string{"Jens Hansen", "jens.hansen@kunde.dk"}
	for _, tc := range []struct{ in, want string }{
		{"Jens Hansen ringede", "[erased] ringede"},
		{"ring til JENS HANSEN, tak", "ring til [erased], tak"},
		{"skriv til jens.hansen@kunde.dk.", "skriv til [erased]."},
		{"Jens Hansensen er en anden", "Jens Hansensen er en anden"},
		{"Ingen navne her", "Ingen navne her"},
		{"", ""},
		{"Jens Hansen og Jens Hansen", "[erased] og [erased]"},
	} {
		if got := models.RedactContact(tc.in, values); got != tc.want {
			t.Errorf("RedactContact(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
