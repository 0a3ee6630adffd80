package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/demo"
	"github.com/kommun/beslutsgang/internal/pgtest"
	"golang.org/x/crypto/bcrypt"
)

func TestMain(m *testing.M) {
	db.BcryptCost = bcrypt.MinCost
	os.Unsetenv("BESLUTSGANG_DB") // a setting of the machine must not steer the tests
	os.Exit(pgtest.Run(m))        // tests of copy, reindex and serve on PostgreSQL start a server
}

// result is one in-process run of the command.
type result struct {
	stdout, stderr string
	err            error
}

// code is the exit status main gives err.
func (r result) code() int {
	var ee exitError
	switch {
	case r.err == nil, errors.Is(r.err, flag.ErrHelp):
		return 0
	case errors.As(r.err, &ee):
		return ee.code
	}
	return 1
}

func cli(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(stdin), &stdout, &stderr)
	return result{stdout.String(), stderr.String(), err}
}

// mustRun runs a command that has to succeed.
func mustRun(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	r := cli(t, stdin, args...)
	if r.err != nil {
		t.Fatalf("beslutsgang %s: %v\n%s%s", strings.Join(args, " "), r.err, r.stdout, r.stderr)
	}
	return r.stdout
}

// demoDB is a database file with the demo data.
func demoDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "beslutsgang.db")
	s, err := db.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if ok, err := demo.Seed(context.Background(), s); err != nil || !ok {
		t.Fatalf("demo.Seed = %v, %v", ok, err)
	}
	return path
}

func rawCount(t *testing.T, path, query string, args ...any) int {
	t.Helper()
	d, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var n int
	if err := d.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func TestUsageErrors(t *testing.T) {
	dbFile := demoDB(t)
	for _, tc := range []struct {
		args []string
		want string // in the message or on stderr
	}{
		{nil, "ange ett kommando"},
		{[]string{"frobnicate"}, "okänt kommando"},
		{[]string{"verify", "--nope"}, "nope"},
		{[]string{"verify", "--db", dbFile, "extra"}, "väntade 0 argument"},
		{[]string{"backup", "--db", dbFile}, "väntade 1 argument"},
		{[]string{"user"}, "add, list"},
		{[]string{"user", "remove"}, "okänt underkommando"},
		{[]string{"user", "add", "--db", dbFile, "--email", "x@kommun.example", "--name", "X", "--role", "ASN-officer"}, "NÄMND:ROLL"},
		{[]string{"user", "add", "--db", dbFile, "--email", "x@kommun.example", "--name", "X", "--role", "ASN:mayor"}, "NÄMND:ROLL"},
		{[]string{"user", "add", "--db", dbFile, "--email", "x@kommun.example", "--name", "X", "--password-stdin"}, "inget lösenord"},
		{[]string{"board"}, "board add"},
		{[]string{"body", "add", "--db", dbFile, "--notice-days", "fem"}, "heltal"},
		{[]string{"import", "--db", dbFile}, "väntade 1 argument"},
	} {
		r := cli(t, "", tc.args...)
		if r.code() != 2 {
			t.Errorf("beslutsgang %q: exit %d (%v), want 2", tc.args, r.code(), r.err)
		}
		if r.err == nil || !strings.Contains(r.err.Error()+r.stderr, tc.want) {
			t.Errorf("beslutsgang %q: message %v / stderr %q lacks %q", tc.args, r.err, r.stderr, tc.want)
		}
	}
	if n := rawCount(t, dbFile, `SELECT COUNT(*) FROM users`); n != len(demo.Logins) {
		t.Errorf("usage errors added users: %d", n)
	}
	r := cli(t, "", "--help")
	if r.err != nil || !strings.Contains(r.stdout, "beslutsgang verify") {
		t.Errorf("--help = %v, %q", r.err, r.stdout)
	}
	if r := cli(t, "", "verify", "-h"); r.code() != 0 || !strings.Contains(r.stderr, "-db") {
		t.Errorf("verify -h: exit %d, stderr %q", r.code(), r.stderr)
	}
}
