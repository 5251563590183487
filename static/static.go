// Package static embeds the stylesheet, scripts and vendor files, and names each with a
// content hash so browsers may cache them for a year.
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"sync"
)

//go:embed *.css *.js *.svg vendor/*.js
var files embed.FS

// FS is the embedded tree served under /static/.
var FS fs.FS = files

var (
	hashes   = map[string]string{}
	hashOnce sync.Once
)

func computeHashes() {
	_ = fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := files.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		hashes[p] = hex.EncodeToString(sum[:])[:12]
		return nil
	})
}

// Path returns the address of an embedded file with its content hash, e.g.
// "/static/app.css?v=3f2a...".
func Path(name string) string {
	hashOnce.Do(computeHashes)
	return "/static/" + name + "?v=" + hashes[name]
}
