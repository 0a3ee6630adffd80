// Package templates holds what the service shows: the web pages and their
// static files, embedded in the binary.
package templates

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
)

//go:embed pages static
var files embed.FS

// Pages is the html/template files of the web UI, named by path without ".html"
// (layout, case, partials/errors ...).
func Pages() fs.FS { return sub("pages") }

// Static is the stylesheet, script and icons served under /static/.
func Static() fs.FS { return sub("static") }

// StaticVersion is a short hash of the static files, added to their URLs so a
// browser never keeps an old stylesheet after an upgrade.
var StaticVersion = func() string {
	h := sha256.New()
	fs.WalkDir(files, "static", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := files.ReadFile(path)
		h.Write([]byte(path))
		h.Write(b)
		return err
	})
	return hex.EncodeToString(h.Sum(nil))[:12]
}()

func sub(dir string) fs.FS {
	f, err := fs.Sub(files, dir)
	if err != nil {
		panic(err) // dir is one of the embedded directories
	}
	return f
}
