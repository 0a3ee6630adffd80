package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestExportSecrecyGroundChecked: a --secrecy-ground of blanks, or with a
// control character (which the XML would carry as U+FFFD), is refused
// before anything is written, like text typed anywhere else.
func TestExportSecrecyGroundChecked(t *testing.T) {
	dbFile := demoDB(t)
	events := rawCount(t, dbFile, `SELECT COUNT(*) FROM events`)
	for _, c := range []struct{ name, ground, want string }{
		{"blank", "   ", "--secrecy-ground: ange ett lagrum"},
		{"control character", "OSL\x01 26 kap.", "U+0001"},
		{"direction override", "OSL \u202e26 kap.", "U+202E"},
	} {
		r := cli(t, "", "export", "--db", dbFile, "--board", "ASN", "--closed-before", "2099-01-01",
			"--secrecy-ground", c.ground, filepath.Join(t.TempDir(), "paket"))
		if r.code() != 2 || r.err == nil || !strings.Contains(r.err.Error(), c.want) {
			t.Errorf("%s: exit %d, %v; want 2 and %q", c.name, r.code(), r.err, c.want)
		}
	}
	if n := rawCount(t, dbFile, `SELECT COUNT(*) FROM events`); n != events {
		t.Errorf("refused exports wrote %d events", n-events)
	}
}
