package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestExportCommand delivers the demo's closed ASN cases: the progress goes
// to stderr line by line, the package is complete, and a second export of
// the same cases finds nothing left to deliver.
func TestExportCommand(t *testing.T) {
	dbFile := demoDB(t)
	out := filepath.Join(t.TempDir(), "leverans")
	r := cli(t, "", "export", "--db", dbFile, "--board", "ASN", "--closed-before", "2099-01-01", "--format", "fgs1", out)
	if r.err != nil {
		t.Fatalf("export: %v\n%s", r.err, r.stderr)
	}
	closed := rawCount(t, dbFile, `SELECT COUNT(*) FROM cases c JOIN boards b ON b.id = c.board_id WHERE b.code = 'ASN' AND c.stage = 'closed'`)
	if closed == 0 || !strings.Contains(r.stderr, "export: 0/") || !strings.Contains(r.stderr, "export: "+itoa(closed)+"/"+itoa(closed)+" ärenden\n") {
		t.Errorf("progress for %d cases:\n%s", closed, r.stderr)
	}
	if !strings.Contains(r.stdout, "Paket leverans (nytt): ") || !strings.Contains(r.stdout, itoa(closed)+" ärenden") {
		t.Errorf("stdout: %s", r.stdout)
	}
	if _, err := os.Stat(filepath.Join(out, "METS.xml")); err != nil {
		t.Error(err)
	}
	if n := rawCount(t, dbFile, `SELECT COUNT(*) FROM events WHERE action = 'delivered'`); n != closed {
		t.Errorf("%d delivered events for %d cases", n, closed)
	}
	// export --check: the archive's check on receipt, first of the package
	// as written, then with one document changed.
	if r := cli(t, "", "export", "--check", out); r.err != nil || !strings.Contains(r.stdout, "är helt") {
		t.Errorf("check of the package: %v %s", r.err, r.stdout)
	}
	docs, _ := filepath.Glob(filepath.Join(out, "representations/rep1/data/*/00_*"))
	if len(docs) == 0 {
		t.Fatal("no tjänsteskrivelse in the package")
	}
	if err := os.WriteFile(docs[0], []byte("ändrad"), 0o644); err != nil {
		t.Fatal(err)
	}
	rel, _ := filepath.Rel(out, docs[0])
	if r := cli(t, "", "export", "--check", out); r.code() != 1 || !strings.Contains(r.err.Error(), filepath.ToSlash(rel)+": SHA-256") {
		t.Errorf("check of a changed package: exit %d, %v", r.code(), r.err)
	}
	r = cli(t, "", "export", "--db", dbFile, "--board", "ASN", "--closed-before", "2099-01-01", filepath.Join(t.TempDir(), "igen"))
	if r.code() != 1 || !strings.Contains(r.err.Error(), "har inga avslutade ärenden före 2099-01-01 som inte redan levererats") {
		t.Errorf("second export: exit %d, %v", r.code(), r.err)
	}
}

// TestExportCommandRefusals: an unknown board, a date that is no date, an
// unknown format, missing flags and a folder that holds other files are
// refused with a Swedish message and a non-zero exit, and change nothing.
func TestExportCommandRefusals(t *testing.T) {
	dbFile := demoDB(t)
	events := rawCount(t, dbFile, `SELECT COUNT(*) FROM events`)
	used := t.TempDir()
	if err := os.WriteFile(filepath.Join(used, "annat.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	fresh := func() string { return filepath.Join(t.TempDir(), "paket") }
	for _, c := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown board", []string{"--board", "XYZ", "--closed-before", "2099-01-01", fresh()}, 1, `nämnden "XYZ" finns inte`},
		{"bad date", []string{"--board", "ASN", "--closed-before", "2026-02-30", fresh()}, 2, "2026-02-30 finns inte; februari 2026 har 28 dagar"},
		{"not a date", []string{"--board", "ASN", "--closed-before", "igår", fresh()}, 2, "inte ett datum på formen ÅÅÅÅ-MM-DD"},
		{"unknown format", []string{"--board", "ASN", "--closed-before", "2099-01-01", "--format", "pdf", fresh()}, 2, `okänt format "pdf"; välj erms eller fgs1`},
		{"no board", []string{"--closed-before", "2099-01-01", fresh()}, 2, "ange --board"},
		{"no date", []string{"--board", "ASN", fresh()}, 2, "ange --closed-before"},
		{"no folder", []string{"--board", "ASN", "--closed-before", "2099-01-01"}, 2, "väntade 1 argument, fick 0"},
		{"folder in use", []string{"--board", "ASN", "--closed-before", "2099-01-01", used}, 1, "är inte tom och är ingen påbörjad export"},
	} {
		r := cli(t, "", append([]string{"export", "--db", dbFile}, c.args...)...)
		if r.code() != c.code || r.err == nil || !strings.Contains(r.err.Error(), c.want) {
			t.Errorf("%s: exit %d, %v; want %d and %q", c.name, r.code(), r.err, c.code, c.want)
		}
	}
	if n := rawCount(t, dbFile, `SELECT COUNT(*) FROM events`); n != events {
		t.Errorf("refused exports wrote %d events", n-events)
	}
	if entries, _ := os.ReadDir(used); len(entries) != 1 {
		t.Errorf("the folder in use was written to: %d entries", len(entries))
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
