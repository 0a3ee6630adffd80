package earchive_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/earchive"
)

// TestExportOutdirNotAFolder: an OUTDIR that is a file, or that cannot be
// made (its parent is a file), is refused with a Swedish message naming it,
// not an English system error that tells the user to run the command again.
func TestExportOutdirNotAFolder(t *testing.T) {
	s, _ := demoStore(t)
	file := filepath.Join(t.TempDir(), "fil.txt")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, dir, want string
	}{
		{"a file", file, "är en fil, inte en mapp"},
		{"under a file", filepath.Join(file, "paket"), "går inte att skapa"},
	} {
		_, err := earchive.Export(context.Background(), s, earchive.Options{Board: "ASN", ClosedBefore: tomorrow(),
			Format: earchive.FormatERMS, Dir: c.dir})
		var p *earchive.Problem
		if !errors.As(err, &p) || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), c.dir) {
			t.Errorf("%s: %v, want a Problem naming %s with %q", c.name, err, c.dir, c.want)
		}
		if err != nil && (strings.Contains(err.Error(), "not a directory") || strings.Contains(err.Error(), "kör samma kommando")) {
			t.Errorf("%s: English or misleading: %v", c.name, err)
		}
	}
	if b, err := os.ReadFile(file); err != nil || string(b) != "x" {
		t.Errorf("the file was changed: %q, %v", b, err)
	}
}
