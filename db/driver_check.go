package db

/*
#include <stdlib.h>
typedef struct sqlite3 sqlite3;
typedef struct sqlite3_stmt sqlite3_stmt;
int sqlite3_open_v2(const char *filename, sqlite3 **db, int flags, const char *vfs);
int sqlite3_close_v2(sqlite3 *db);
int sqlite3_prepare_v2(sqlite3 *db, const char *sql, int n, sqlite3_stmt **stmt, const char **tail);
int sqlite3_clear_bindings(sqlite3_stmt *stmt);
int sqlite3_bind_int64(sqlite3_stmt *stmt, int i, long long v);
int sqlite3_step(sqlite3_stmt *stmt);
int sqlite3_reset(sqlite3_stmt *stmt);
int sqlite3_finalize(sqlite3_stmt *stmt);
int sqlite3_stmt_status(sqlite3_stmt *stmt, int op, int reset);

#define CHECK_OPEN_READONLY 0x00000001 // SQLITE_OPEN_READONLY
#define CHECK_STMTSTATUS_REPREPARE 5   // SQLITE_STMTSTATUS_REPREPARE
#define CHECK_ROW 100                  // SQLITE_ROW

// Runs sql runs times the way go-sqlite3 runs a cached statement (clear the
// bindings, bind, step to the end, reset), binding 1+i to every parameter,
// and returns how often SQLite re-prepared it, or -1 on an error.
static int check_reprepares(const char *path, const char *sql, int nparams, int runs) {
	sqlite3 *db = 0;
	sqlite3_stmt *stmt = 0;
	int n = -1;
	if (sqlite3_open_v2(path, &db, CHECK_OPEN_READONLY, 0) != 0) goto done;
	if (sqlite3_prepare_v2(db, sql, -1, &stmt, 0) != 0) goto done;
	for (int i = 0; i < runs; i++) {
		sqlite3_clear_bindings(stmt);
		for (int p = 1; p <= nparams; p++) sqlite3_bind_int64(stmt, p, 2 + i);
		while (sqlite3_step(stmt) == CHECK_ROW) {}
		sqlite3_reset(stmt);
	}
	n = sqlite3_stmt_status(stmt, CHECK_STMTSTATUS_REPREPARE, 0);
done:
	if (stmt) sqlite3_finalize(stmt);
	if (db) sqlite3_close_v2(db);
	return n;
}
*/
import "C"

import (
	"fmt"
	"unsafe"
)

// reprepares runs query (whose nparams parameters are all integers) runs
// times on its own read-only connection to the database file at path, as
// go-sqlite3 runs a cached statement, and says how many of those runs SQLite
// re-planned it. It exists so a test can show that the statement cache is
// not undone by re-planning (driver.go); 0 is the answer wanted.
func reprepares(path, query string, nparams, runs int) (int, error) {
	cpath, cquery := C.CString(path), C.CString(query)
	defer C.free(unsafe.Pointer(cpath))
	defer C.free(unsafe.Pointer(cquery))
	n := int(C.check_reprepares(cpath, cquery, C.int(nparams), C.int(runs)))
	if n < 0 {
		return 0, fmt.Errorf("reprepares: could not open %s or prepare %q", path, query)
	}
	return n, nil
}
