package db

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/internal/pgtest"
	"github.com/kommun/beslutsgang/workflow"
)

// The store's SQL is written once; rebind makes it PostgreSQL's.
func TestRebind(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`SELECT 1`, `SELECT 1`},
		{`WHERE a = ? AND b IN (?,?)`, `WHERE a = $1 AND b IN ($2,$3)`},
		{`VALUES (?1,(SELECT code FROM bodies WHERE id = ?1),?2)`, `VALUES ($1,(SELECT code FROM bodies WHERE id = $1),$2)`},
		{`SELECT '?', "a?b", x FROM t WHERE y = ? -- why?` + "\n" + `AND z = ?`, `SELECT '?', "a?b", x FROM t WHERE y = $1 -- why?` + "\n" + `AND z = $2`},
		{`FROM cases c CROSS JOIN case_recipients r ON r.case_id = c.id`, `FROM cases c JOIN case_recipients r ON r.case_id = c.id`},
		{`FROM deadlines d INDEXED BY deadlines_meeting JOIN meetings m`, `FROM deadlines d JOIN meetings m`},
	} {
		if got := rebind(tc.in); got != tc.want {
			t.Errorf("rebind(%q)\n = %q\nwant %q", tc.in, got, tc.want)
		}
	}
}

// A --db value that is neither a SQLite file nor a readable postgres:// URL
// is refused before anything is opened or created, and the refusal never
// repeats a password.
func TestCheckDSN(t *testing.T) {
	for _, ok := range []string{"beslutsgang.db", "/var/lib/beslutsgang/beslut.db", "sqlite:beslut.db", "data/ärenden 2026.db",
		"postgres://beslut@db.kommun.local/beslut", "postgresql://beslut:hemligt@127.0.0.1:5432/beslut?sslmode=verify-full",
		"postgres://beslut:h%40mligt%2F%23@127.0.0.1/beslut"} {
		if err := CheckDSN(ok); err != nil {
			t.Errorf("CheckDSN(%q) = %v", ok, err)
		}
	}
	for _, bad := range []string{"", " ",
		"host=127.0.0.1 port=5432 user=beslut password=S3cr3tKV dbname=beslut",
		"postgress://beslut:S3cr3tKV@127.0.0.1:5432/beslut", "POSTGRES://beslut:S3cr3tKV@127.0.0.1/beslut",
		"beslut:S3cr3tKV@127.0.0.1:5432/beslut", "postgres://special:S3cr3tKV@sp/ec#ial:pw@127.0.0.1:5432/beslut",
		"postgres://special:S3cr@tKV@127.0.0.1/beslut", "postgres:///beslut"} {
		err := CheckDSN(bad)
		if err == nil {
			t.Errorf("CheckDSN(%q) accepted it", bad)
		} else if strings.Contains(err.Error(), "S3cr") {
			t.Errorf("CheckDSN(%q) = %v: the password shows", bad, err)
		}
	}
}

// Open on PostgreSQL says in Swedish what is wrong: a database that does
// not exist, or one not in UTF8 (its text would be stored wrongly).
func TestOpenPostgresRefusals(t *testing.T) {
	srv, err := pgtest.Shared()
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(srv.URL())
	u.Path = "/pgtest_finns_inte"
	if s, err := Open(u.String()); err == nil {
		s.Close()
		t.Error("Open of a database that does not exist succeeded")
	} else if !strings.Contains(err.Error(), "databasen finns inte") {
		t.Errorf("Open of a database that does not exist: %v", err)
	}

	admin, err := OpenRaw(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	name := fmt.Sprintf("pgtest_latin1_%d", time.Now().UnixNano())
	if _, err := admin.Exec(`CREATE DATABASE ` + name + ` ENCODING 'LATIN1' TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C'`); err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	t.Cleanup(func() { srv.DropDatabase(context.Background(), u.String()) })
	if s, err := Open(u.String()); err == nil {
		s.Close()
		t.Error("Open of a LATIN1 database succeeded")
	} else if !strings.Contains(err.Error(), "UTF8") {
		t.Errorf("Open of a LATIN1 database: %v", err)
	}
	raw, err := OpenRaw(u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if n := count(t, raw, `SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'`); n != 0 {
		t.Errorf("the refused database got %d tables", n)
	}
}

// A database that cannot be reached is Unavailable (the HTTP layer says 503);
// a refused request is not.
func TestUnavailable(t *testing.T) {
	_, err := Open("postgres://beslut@127.0.0.1:1/beslut?sslmode=disable&connect_timeout=2")
	if err == nil || !Unavailable(err) {
		t.Errorf("Open of a closed port: %v, Unavailable %v", err, Unavailable(err))
	}
	for _, e := range []error{nil, notFound("x"), workflow.Errorf(workflow.ECONFLICT, "x")} {
		if Unavailable(e) {
			t.Errorf("Unavailable(%v) = true", e)
		}
	}
}

// A read stopped by its deadline is Interrupted, not Unavailable.
func TestDeadlineIsNotUnavailable(t *testing.T) {
	if err := fmt.Errorf("read: %w", context.DeadlineExceeded); Unavailable(err) || !Interrupted(err) {
		t.Errorf("a deadline: Unavailable %v, Interrupted %v", Unavailable(err), Interrupted(err))
	}
}
