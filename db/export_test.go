package db

// MustOpen is mustOpen for the tests of package db_test, which may import demo.
var MustOpen = mustOpen

// SQLiteOnly and RawDB are sqliteOnly and rawDB for package db_test.
var (
	SQLiteOnly = sqliteOnly
	RawDB      = rawDB
)
