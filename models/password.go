package models

import (
	"bufio"
	_ "embed"
	"strings"
	"sync"
	"unicode"
)

// commonPasswordList is where it comes from: see the head of the file.
//
//go:embed passwords/common.txt
var commonPasswordList string

var commonPasswords = sync.OnceValue(func() map[string]bool {
	m := make(map[string]bool, 10100)
	sc := bufio.NewScanner(strings.NewReader(commonPasswordList))
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" && !strings.HasPrefix(line, "#") {
			m[line] = true
		}
	}
	return m
})

// CommonPassword reports whether a password is one that guessers try first: one of the
// 10,000 most common passwords, or one of them (four letters or more) with only digits
// and symbols around it ("Password123!", "sommer-2026"), or one of them repeated
// ("passwordpassword"). Case does not matter.
func CommonPassword(p string) bool {
	common := commonPasswords()
	l := strings.ToLower(strings.TrimSpace(p))
	if common[l] {
		return true
	}
	base := strings.TrimFunc(l, func(r rune) bool { return !unicode.IsLetter(r) })
	if len([]rune(base)) >= 4 && common[base] {
		return true
	}
	for n := 1; n <= len(l)/2; n++ {
		if len(l)%n == 0 && strings.Repeat(l[:n], len(l)/n) == l {
			return true // "aaaaaaaaaaaa", "abcabcabcabc", "passwordpassword"
		}
	}
	return false
}

// CheckPassword returns the message id of what is wrong with a new password, or "".
func CheckPassword(p string) string {
	switch {
	case len([]rune(p)) < MinPasswordLength:
		return "password_too_short"
	case len(p) > 72:
		return "password_too_long"
	case CommonPassword(p):
		return "password_common"
	case strings.ContainsRune(p, 0):
		return "invalid"
	}
	return ""
}
