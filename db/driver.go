package db

/*
// The declarations of the two SQLite C API functions used here; their code
// is in github.com/mattn/go-sqlite3's amalgamation, linked into the same
// binary (https://sqlite.org/c3ref/auto_extension.html,
// https://sqlite.org/c3ref/db_config.html).
typedef struct sqlite3 sqlite3;
int sqlite3_auto_extension(void (*xEntryPoint)(void));
int sqlite3_db_config(sqlite3 *db, int op, ...);

#define BESLUTSGANG_DBCONFIG_ENABLE_QPSG 1007 // SQLITE_DBCONFIG_ENABLE_QPSG

static int beslutsgang_qpsg(sqlite3 *db, char **err, const void *api) {
	return sqlite3_db_config(db, BESLUTSGANG_DBCONFIG_ENABLE_QPSG, 1, (int *)0);
}

static int beslutsgang_register_qpsg(void) {
	return sqlite3_auto_extension((void (*)(void))beslutsgang_qpsg);
}
*/
import "C"

import (
	"database/sql"
	"fmt"

	"github.com/mattn/go-sqlite3"
)

// Every SQLite connection this process opens runs with the query planner
// stability guarantee (QPSG, https://sqlite.org/queryplanner-ng.html#qpstab).
// Without it SQLite marks a bound parameter in "col = ?" or "LIMIT ?" as one
// whose value may change the plan, and go-sqlite3 clears the bindings before
// each run of a cached statement, which then expires it: every query was
// parsed and planned anew on every execution, undoing the statement cache
// (measured: 100 of 100 runs of the case read's statements re-prepared). The
// plans are the same either way (TestListPlans); only the re-planning goes.
func init() {
	if rc := C.beslutsgang_register_qpsg(); rc != 0 {
		panic(fmt.Sprintf("sqlite3_auto_extension: %d", int(rc)))
	}
}

// readerDriver is go-sqlite3 with memory-mapped reads for the read pool: its
// connections share the operating system's page cache instead of each
// copying pages into a private cache, so a random case read on a database
// larger than that cache costs memory reads, not pread calls. SQLite caps the
// map at SQLITE_MAX_MMAP_SIZE (2 GiB in this build); pages beyond it are read
// as before. Writes never go through the map (https://sqlite.org/mmap.html),
// so crash safety is unchanged.
const readerDriver = "sqlite3_beslutsgang_reader"

// writerDriver is go-sqlite3 for the writer connection, whose statement
// journal (the undo of one change in a group commit's savepoint, writer.go)
// stays in memory instead of a temporary file
// (https://sqlite.org/tempfiles.html#stmtjrnl).
const writerDriver = "sqlite3_beslutsgang_writer"

func init() {
	sql.Register(readerDriver, &sqlite3.SQLiteDriver{
		ConnectHook: func(c *sqlite3.SQLiteConn) error {
			_, err := c.Exec(`PRAGMA mmap_size = 2147483648`, nil)
			return err
		},
	})
	sql.Register(writerDriver, &sqlite3.SQLiteDriver{
		ConnectHook: func(c *sqlite3.SQLiteConn) error {
			_, err := c.Exec(`PRAGMA temp_store = MEMORY`, nil)
			return err
		},
	})
}
