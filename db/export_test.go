package db

import (
	"path/filepath"
	"testing"

	"github.com/kommun/beslutsgang/internal/pgtest"
)

// MustOpen is mustOpen for the tests of package db_test, which may import demo.
var MustOpen = mustOpen

// SQLiteOnly and RawDB are sqliteOnly and rawDB for package db_test.
var (
	SQLiteOnly = sqliteOnly
	RawDB      = rawDB
	FirstDiff  = firstDiff
)

// Dump is dump for package db_test.
var Dump = dump

// OtherDSN is a new, empty database of the engine this run of the tests
// does not use: a PostgreSQL database in the run on SQLite, a SQLite file
// in the run on PostgreSQL.
func OtherDSN(t testing.TB) string {
	t.Helper()
	if testEngine == PostgreSQL {
		return filepath.Join(t.TempDir(), "other.db")
	}
	return pgtest.DatabaseURL(t)
}

// NewDSN is newDSN for package db_test.
var NewDSN = newDSN
