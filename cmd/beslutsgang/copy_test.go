package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/internal/pgtest"
)

// withPassword is a PostgreSQL URL with a password in it (the test server
// trusts every connection, so any password will do).
func withPassword(t *testing.T, url string) string {
	t.Helper()
	out := strings.Replace(url, "postgres://postgres@", "postgres://postgres:hemligt@", 1)
	if out == url {
		t.Fatalf("unexpected test URL %s", url)
	}
	return out
}

// TestCopy moves the demo installation to PostgreSQL and back to a new
// SQLite file, which then verifies and serves as before.
func TestCopy(t *testing.T) {
	src := demoDB(t)
	pg := withPassword(t, pgtest.DatabaseURL(t))
	summary := fmt.Sprintf("Kopierat: %d ärenden, %d händelser, ",
		rawCount(t, src, `SELECT COUNT(*) FROM cases`), rawCount(t, src, `SELECT COUNT(*) FROM events`))
	out := mustRun(t, "", "copy", "--from", src, "--to", pg)
	for _, want := range []string{"Kopierar " + src + " (SQLite) till postgres://postgres:xxxxx@", "(PostgreSQL)",
		"  cases ", "  events ", "Händelsekedjorna i målet kontrollerade:", summary, "; alla kedjor hela"} {
		if !strings.Contains(out, want) {
			t.Errorf("copy to PostgreSQL: no %q in\n%s", want, out)
		}
	}
	if strings.Contains(out, "hemligt") {
		t.Errorf("the password is shown:\n%s", out)
	}
	mustRun(t, "", "verify", "--db", pg)

	back := filepath.Join(t.TempDir(), "ny", "beslutsgang.db")
	out = mustRun(t, "", "copy", "--from", pg, "--to", back)
	for _, want := range []string{"(PostgreSQL) till " + back + " (SQLite)", "Bygger sökindexet", summary} {
		if !strings.Contains(out, want) {
			t.Errorf("copy back to SQLite: no %q in\n%s", want, out)
		}
	}
	if !strings.Contains(mustRun(t, "", "verify", "--db", back), "alla kedjor hela") {
		t.Error("verify on the copy")
	}
	if n, m := rawCount(t, back, `SELECT COUNT(*) FROM events`), rawCount(t, src, `SELECT COUNT(*) FROM events`); n != m || n == 0 {
		t.Errorf("%d events copied back of %d", n, m)
	}
}

// TestCopyRefusals: a second copy into the same target, a missing source
// and missing flags stop with a message and a non-zero exit, and leave the
// target as it was.
func TestCopyRefusals(t *testing.T) {
	src := demoDB(t)
	pg := withPassword(t, pgtest.DatabaseURL(t))
	mustRun(t, "", "copy", "--from", src, "--to", pg)
	verified := mustRun(t, "", "verify", "--db", pg)
	r := cli(t, "", "copy", "--from", src, "--to", pg)
	if r.code() != 1 || !strings.Contains(r.err.Error(), "innehåller redan data") ||
		!strings.Contains(r.err.Error(), "inget har kopierats") || strings.Contains(r.err.Error(), "hemligt") {
		t.Errorf("second copy: exit %d, %v", r.code(), r.err)
	}
	if mustRun(t, "", "verify", "--db", pg) != verified {
		t.Error("the target changed")
	}

	dir := t.TempDir()
	missing, target := filepath.Join(dir, "saknas.db"), filepath.Join(dir, "mål.db")
	r = cli(t, "", "copy", "--from", missing, "--to", target)
	if r.code() != 1 || !strings.Contains(r.err.Error(), "källan "+missing+" finns inte") {
		t.Errorf("missing source: exit %d, %v", r.code(), r.err)
	}
	for _, p := range []string{missing, target} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s was created", p)
		}
	}

	r = cli(t, "", "copy", "--from", src, "--to", src)
	if r.code() != 1 || !strings.Contains(r.err.Error(), "samma databas") {
		t.Errorf("copy onto itself: exit %d, %v", r.code(), r.err)
	}

	// An installation without data is no source (--from and --to swapped?),
	// and the target file the command made for it is removed again.
	empty := filepath.Join(dir, "tom.db")
	s, err := db.Open(empty)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	r = cli(t, "", "copy", "--from", empty, "--to", target)
	if r.code() != 1 || !strings.Contains(r.err.Error(), "inget att kopiera") {
		t.Errorf("empty source: exit %d, %v", r.code(), r.err)
	}
	if _, err := os.Stat(target); err == nil {
		t.Errorf("%s was left behind", target)
	}

	if r := cli(t, "", "copy", "--from", src); r.code() != 2 || !strings.Contains(r.err.Error(), "--to") {
		t.Errorf("no --to: exit %d, %v", r.code(), r.err)
	}
}
