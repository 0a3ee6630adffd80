// Package db is the store, on SQLite (the embedded default) or PostgreSQL
// (postgres.go): one writer connection for every change (the changes that
// arrive together share one transaction, writer.go), a pool of read
// connections for pages and the API, and migrations embedded in the binary.
package db

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/kommun/beslutsgang/workflow"
	sqlite3 "github.com/mattn/go-sqlite3"
)

//go:embed migrations/*.sql
var migrations embed.FS

// migrationSource is where Open finds the migrations; a test replaces it to
// build a database of an older schema.
var migrationSource fs.FS = migrations

// Store is the database of one Beslutsgång installation.
type Store struct {
	w      *sql.DB // the single writer: every change is one immediate transaction here
	r      *sql.DB // read-only pool
	path   string  // the SQLite file, or the PostgreSQL URL
	engine Engine
	Now    func() time.Time
	Policy workflow.Policy
	// Composer turns workflow notifications into mail for the outbox; nil queues none.
	Composer Composer
	// Log receives what the store notes but does not fail on (a missing
	// pdftotext); Open sets slog.Default().
	Log *slog.Logger
	// Actions, when set, is told of every workflow action taken through Act,
	// every case registered ("create": CreateCase, ImportCase,
	// CreateCaseFromUpload) and every
	// draft edited ("update": EditDraft) when it ends: the action's name (for
	// Act as asked, workflow.Command.Action) and its error, nil when it was
	// recorded. The metrics count them.
	Actions func(action string, err error)
	// CountCap is how far a list counts its matches before it says "more
	// than"; 0 is DefaultCountCap.
	CountCap int
	// ListCachePages is how many pages of the case list, the diary and
	// their searches are kept while the database is unchanged
	// (list_cache.go): 0 is DefaultListCachePages, below 0 none. Set it
	// before the first list is read.
	ListCachePages int
	// authCache keeps authenticated users for a moment (user_cache.go).
	authCache userCache
	// writer groups concurrent changes into one commit (writer.go).
	writer writer
	// cappedCounts remembers the lists that counted past the cap (count_cache.go).
	cappedCounts cappedCounts
	// noticeArchive keeps the anslagstavla's archive for a minute (notice.go).
	noticeArchive noticeArchive
	// listCache keeps list and search pages while the database is
	// unchanged (list_cache.go).
	listCache listCache

	release   func() // what Close frees besides the pools (postgres.go), or nil
	searchOff bool   // no full-text index: a SQLite schema too old for it (tests of migrations only)
	// searchWalk, if set, bounds a filtered search's walk in place of
	// searchWalkFactor's (tests).
	searchWalk int
}

// Open opens the database dsn names and brings its schema up to date: a
// postgres:// URL is a PostgreSQL database (postgres.go), anything else a
// SQLite file (with or without the prefix sqlite:), created if need be.
// Open builds the search index (search_fts5.go, search_postgres.go) when
// missing or outdated: on a large database that takes minutes.
func Open(dsn string) (*Store, error) {
	if err := CheckDSN(dsn); err != nil {
		return nil, err
	}
	if EngineOf(dsn) == PostgreSQL {
		return openPostgres(dsn)
	}
	path := strings.TrimPrefix(dsn, "sqlite:")
	if path == "" || strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("databasen %q: ange ett filnamn utan ? och #", path)
	}
	// Pragmas go in the DSN so every pooled connection gets them, not just one.
	common := "_journal_mode=WAL&_busy_timeout=10000&_foreign_keys=on&_synchronous=NORMAL&_stmt_cache_size=256"
	w, err := sql.Open(writerDriver, "file:"+path+"?"+common+"&_txlock=immediate")
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	s := newStore(w, path, SQLite)
	if err := s.migrate(context.Background()); err != nil {
		w.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := s.ensureSearchIndex(context.Background()); err != nil {
		w.Close()
		return nil, fmt.Errorf("open %s: search index: %w", path, err)
	}
	r, err := sql.Open(readerDriver, "file:"+path+"?"+common+"&_query_only=on")
	if err != nil {
		w.Close()
		return nil, err
	}
	keepReaders(r)
	s.r = r
	// The list cache's version is read on a connection of its own
	// (list_cache.go).
	if s.listCache.db, err = sql.Open(readerDriver, "file:"+path+"?"+common+"&_query_only=on"); err != nil {
		r.Close()
		w.Close()
		return nil, err
	}
	s.listCache.db.SetMaxOpenConns(1)
	return s, nil
}

// newStore is a store on the writer pool w, before migrating.
func newStore(w *sql.DB, path string, e Engine) *Store {
	return &Store{w: w, path: path, engine: e, Now: time.Now, Policy: workflow.DefaultPolicy, Log: slog.Default()}
}

// Engine is the database engine the store runs on.
func (s *Store) Engine() Engine { return s.engine }

// readers is the size of the read-only pool.
func readers() int { return max(4, runtime.NumCPU()) }

// keepReaders sizes the read pool r and keeps all its connections open
// between reads: database/sql keeps only 2 idle by default, so under more
// concurrent reads it closed the rest after each read and opened them again
// (on SQLite a new connection parses the schema and starts with an empty page
// cache and map; on PostgreSQL it is a new backend).
func keepReaders(r *sql.DB) {
	r.SetMaxOpenConns(readers())
	r.SetMaxIdleConns(readers())
}

// Readers is how many reads the store runs at once; more wait for a
// connection. The HTTP layer keeps some of them free of public requests.
func (s *Store) Readers() int { return readers() }

// Interrupted reports whether err is a read stopped because its context
// ended (a request's deadline, or its client gone): SQLite interrupts the
// statement, and the connection is free again at once.
func Interrupted(err error) bool {
	var se sqlite3.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) ||
		(errors.As(err, &se) && se.Code == sqlite3.ErrInterrupt) || pgCanceled(err)
}

// Close closes both pools.
func (s *Store) Close() error {
	s.listCache.close()
	err := errors.Join(s.r.Close(), s.w.Close())
	if s.release != nil {
		s.release()
	}
	return err
}

// Path is the database file, or the PostgreSQL URL (with its password).
func (s *Store) Path() string { return s.path }

// Name is the database as a log or a person may see it: the SQLite file, or
// the PostgreSQL URL without its password.
func (s *Store) Name() string { return DisplayName(s.path) }

// DisplayName is a --db value as a log or a person may see it: a SQLite file
// as it is, a PostgreSQL URL without its password.
func DisplayName(dsn string) string {
	if EngineOf(dsn) != PostgreSQL {
		return dsn
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "PostgreSQL"
	}
	return u.Redacted()
}

// Ping checks that both pools answer.
func (s *Store) Ping(ctx context.Context) error {
	return errors.Join(s.w.PingContext(ctx), s.r.PingContext(ctx))
}

// now is the time of one change, fixed once so every row it writes agrees, and
// rounded to what the database keeps.
func (s *Store) now() time.Time { return s.Now().UTC().Truncate(time.Microsecond) }

// migrate applies the migrations of the store's engine that its database
// lacks, each in a transaction of its own. On PostgreSQL it holds an
// advisory lock meanwhile, so instances that start together migrate once:
// the others wait, then find nothing left to do.
func (s *Store) migrate(ctx context.Context) error {
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	unlock, err := s.lockMigrations(ctx, conn)
	if err != nil {
		return err
	}
	defer unlock()
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return err
	}
	source, dir := migrationSource, "migrations"
	if s.engine == PostgreSQL {
		source, dir = pgMigrations, "migrations/postgres"
	}
	files, err := fs.Glob(source, dir+"/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(files)
	applied := map[int]bool{}
	rows, err := conn.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return err
		}
		applied[v] = true
	}
	rows.Close()
	known := map[int]bool{}
	migrated := false
	for _, f := range files {
		name := strings.TrimPrefix(f, dir+"/")
		v, err := strconv.Atoi(strings.SplitN(name, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("migreringen %s: namnet ska börja med ett nummer", name)
		}
		known[v] = true
		if applied[v] {
			continue
		}
		body, err := fs.ReadFile(source, f)
		if err != nil {
			return err
		}
		if err := s.applyMigration(ctx, conn, v, name, string(body)); err != nil {
			return err
		}
		migrated = true
	}
	if migrated {
		// Instances still running on the data from before (a rolling
		// upgrade on PostgreSQL) read it anew: see list_cache.go.
		if err := bumpContentVersion(ctx, conn); err != nil {
			return err
		}
	}
	for v := range applied {
		if !known[v] {
			return fmt.Errorf("databasen har migrering %d, som det här programmet inte känner till: databasen är nyare än programmet; använd en nyare version av beslutsgang", v)
		}
	}
	return nil
}

// applyMigration runs one migration in its own transaction. On SQLite it runs
// with foreign keys off, as SQLite's procedure for rebuilding a table asks (a
// DROP TABLE with foreign keys on would delete the rows pointing at it), and
// checks every foreign key before it commits, so a migration cannot leave one
// dangling; PostgreSQL checks them itself.
func (s *Store) applyMigration(ctx context.Context, conn *sql.Conn, v int, name, body string) error {
	if s.engine == SQLite {
		if _, err := conn.ExecContext(ctx, `PRAGMA foreign_keys = OFF`); err != nil {
			return err
		}
		defer conn.ExecContext(context.Background(), `PRAGMA foreign_keys = ON`)
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, body); err != nil {
		return fmt.Errorf("migration %s: %w", name, err)
	}
	if s.engine == SQLite {
		if err := danglingKey(ctx, tx, name); err != nil {
			return err
		}
	}
	return s.recordMigration(ctx, tx, v, name)
}

// danglingKey is an error naming the first row whose foreign key points at
// nothing after the SQLite migration name, or nil.
func danglingKey(ctx context.Context, tx *sql.Tx, name string) error {
	rows, err := tx.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		return err
	}
	var table string
	var rowid sql.NullInt64
	var parent string
	var fkid int
	dangling := rows.Next()
	if dangling {
		err = rows.Scan(&table, &rowid, &parent, &fkid)
	}
	rows.Close()
	if err != nil {
		return err
	}
	if dangling {
		return fmt.Errorf("migreringen %s: rad %d i %s pekar på en %s som saknas", name, rowid.Int64, table, parent)
	}
	return nil
}

// recordMigration notes migration v as applied and commits tx.
func (s *Store) recordMigration(ctx context.Context, tx *sql.Tx, v int, name string) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations(version, name, applied_at) VALUES (?,?,?)`,
		v, name, workflow.FormatTime(s.now())); err != nil {
		return err
	}
	return tx.Commit()
}

// Migrated reports whether the database has every migration of this
// program's engine (and so its whole schema).
func (s *Store) Migrated(ctx context.Context) (bool, error) {
	source, dir := migrationSource, "migrations"
	if s.engine == PostgreSQL {
		source, dir = pgMigrations, "migrations/postgres"
	}
	files, err := fs.Glob(source, dir+"/*.sql")
	if err != nil || len(files) == 0 {
		return false, err
	}
	sort.Strings(files)
	last, err := strconv.Atoi(strings.SplitN(strings.TrimPrefix(files[len(files)-1], dir+"/"), "_", 2)[0])
	if err != nil {
		return false, err
	}
	v, err := s.SchemaVersion(ctx)
	return v >= last, err
}

// SchemaVersion is the highest applied migration.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.r.QueryRowContext(ctx, `SELECT COALESCE(MAX(version),0) FROM schema_migrations`).Scan(&v)
	return v, err
}

// readTx runs fn in one read transaction of the read pool: one connection
// and one snapshot of the database for all its statements, so the parts of
// a page agree and each statement does not take a read lock of its own.
func (s *Store) readTx(ctx context.Context, fn func(q queryer) error) error {
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return fn(tx)
}

// queryer is what both a pool and a transaction offer, so reads can run in either.
type queryer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// ids runs a query whose rows are one id each and collects them, closing the
// rows before the caller starts other queries on the same connection.
func ids(ctx context.Context, q queryer, query string, args ...any) ([]int64, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

func fmtTime(t time.Time) string { return workflow.FormatTime(t) }

func parseTime(s string) time.Time {
	t, err := time.Parse(workflow.TimeLayout, s)
	if err != nil {
		t, _ = time.Parse(time.RFC3339Nano, s)
	}
	return t
}

// nullInt is n for a column where 0 means none: NULL.
func nullInt(n int) any {
	if n == 0 {
		return nil
	}
	return n
}

func nullTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return fmtTime(*t)
}

func timePtr(ns sql.NullString) *time.Time {
	if !ns.Valid {
		return nil
	}
	t := parseTime(ns.String)
	return &t
}

func parseDate(s string) workflow.Date {
	if s == "" {
		// No date, as most cases' next_date: not an error to build and drop
		// (ParseDate's message costs a regexp and a fmt.Errorf per row).
		return workflow.Date{}
	}
	d, _ := workflow.ParseDate(s)
	return d
}

// isUnique reports whether err is a UNIQUE or PRIMARY KEY constraint violation.
func isUnique(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && (se.ExtendedCode == sqlite3.ErrConstraintUnique || se.ExtendedCode == sqlite3.ErrConstraintPrimaryKey) ||
		pgUnique(err)
}

func notFound(format string, args ...any) error {
	return workflow.Errorf(workflow.ENOTFOUND, format, args...)
}

// queryStrings runs a query of one text column and returns its values.
func queryStrings(ctx context.Context, q queryer, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
