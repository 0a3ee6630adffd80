package db

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/internal/pgtest"
)

// engineEnv tells a test binary which engine its run is for; the run on
// SQLite starts the run on PostgreSQL with it set.
const engineEnv = "BESLUTSGANG_TEST_ENGINE"

// runOnEngines runs the package's tests on SQLite and then, in a second run
// of this test binary with the same flags, on PostgreSQL: one suite, one
// table of engines (the engine is chosen by newDSN). Benchmarks measure
// SQLite only. A missing PostgreSQL fails the run (pgtest), it is not skipped.
func runOnEngines(m *testing.M) int {
	// Either run may start a PostgreSQL server: the run on SQLite for the
	// tests that copy between the engines (copy_test.go).
	defer pgtest.Shutdown()
	if os.Getenv(engineEnv) == "postgres" {
		testEngine = PostgreSQL
		return m.Run()
	}
	code := m.Run()
	pgtest.Shutdown() // tests of several instances and of copy use it in this run too
	if f := flag.Lookup("test.bench"); f != nil && f.Value.String() != "" {
		return code
	}
	if f := flag.Lookup("test.list"); f != nil && f.Value.String() != "" {
		return code
	}
	fmt.Println("=== the same tests on PostgreSQL")
	cmd := exec.Command(os.Args[0], os.Args[1:]...)
	cmd.Env = append(os.Environ(), engineEnv+"=postgres")
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "the tests on PostgreSQL:", err)
		return max(code, 1)
	}
	return code
}

// sqliteOnly marks a test of something only the SQLite engine has (its file,
// its query planner, its migrations from older schemas): on the run on
// PostgreSQL it does not apply.
func sqliteOnly(t testing.TB, what string) {
	t.Helper()
	if testEngine != SQLite {
		t.Skip("SQLite only: " + what)
	}
}

// dumpPostgres is dump on PostgreSQL: the public schema's columns, then
// every table's rows in row order.
func dumpPostgres(t testing.TB, url string) string {
	t.Helper()
	d := rawDB(t, url)
	defer d.Close()
	var b strings.Builder
	b.WriteString(queryText(t, d, `SELECT table_name, column_name, data_type, is_nullable, column_default
		FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`))
	tables, err := d.Query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for tables.Next() {
		var n string
		if err := tables.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	tables.Close()
	for _, n := range names {
		fmt.Fprintf(&b, "== %s\n", n)
		b.WriteString(queryText(t, d, `SELECT * FROM "`+n+`" AS r ORDER BY r`))
	}
	return b.String()
}

// dropTrigger is the statement that drops a trigger of table.
func dropTrigger(name, table string) string {
	if testEngine == PostgreSQL {
		return "DROP TRIGGER " + name + " ON " + table
	}
	return "DROP TRIGGER " + name
}
