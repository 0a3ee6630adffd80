package db

// The PostgreSQL engine, and every difference between it and SQLite that the
// store's queries meet, in one place: the driver (pgx through database/sql),
// placeholders, the write lock shared by all instances, migrations under an
// advisory lock, and the error codes the store reads. The queries themselves
// are written once, in the SQL both engines accept (RETURNING, ON CONFLICT,
// TRUE/FALSE, CASE instead of two-argument MAX); the schema is per engine
// (migrations/ and migrations/postgres/).

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/kommun/beslutsgang/workflow"
)

// Engine is the database engine behind a Store.
type Engine int

const (
	// SQLite is the embedded default: one file, one instance.
	SQLite Engine = iota
	// PostgreSQL serves several instances of the service at once.
	PostgreSQL
)

func (e Engine) String() string {
	if e == PostgreSQL {
		return "PostgreSQL"
	}
	return "SQLite"
}

// EngineOf tells which engine a --db value names: a postgres:// or
// postgresql:// URL (libpq's URI form) is PostgreSQL, anything else a SQLite
// file (with or without the prefix sqlite:).
func EngineOf(dsn string) Engine {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return PostgreSQL
	}
	return SQLite
}

// CheckDSN says what is wrong with a --db value before anything is opened
// or created, without repeating the value (it may hold a password): empty,
// an address of another form than postgres:// (libpq's key=value form, a
// mistyped scheme, user@host without a scheme), or a postgres:// URL whose
// password has characters that must be percent-encoded (RFC 3986 3.2.1).
// A value it accepts is a SQLite file name or a PostgreSQL URL.
func CheckDSN(dsn string) error {
	switch {
	case strings.TrimSpace(dsn) == "":
		return workflow.Errorf(workflow.EINVALID, "Ange databasen: en SQLite-fil eller postgres://användare@värd/databas (--db eller BESLUTSGANG_DB)")
	case EngineOf(dsn) == PostgreSQL:
		u, err := url.Parse(dsn)
		if err != nil || u.Host == "" || u.Fragment != "" || strings.Count(dsn, "@") > 1 || strings.ContainsAny(u.Path, "@:/"+"?") && strings.Count(u.Path, "/") > 1 {
			return workflow.Errorf(workflow.EINVALID, "PostgreSQL-adressen kan inte läsas: skriv den som postgres://användare:lösenord@värd:5432/databas, med @ : / ? # i lösenordet procentkodade (%%40 %%3A %%2F %%3F %%23), eller ge lösenordet i PGPASSWORD")
		}
	case strings.Contains(dsn, "://") || strings.Contains(dsn, "@") || libpqKeyword.MatchString(dsn):
		return workflow.Errorf(workflow.EINVALID, "Databasen ser ut som en databasadress men är ingen postgres://-adress; skriv postgres://användare@värd:5432/databas, eller ange en SQLite-fil")
	}
	return nil
}

// libpqKeyword is the start of libpq's key=value connection string
// (https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNSTRING).
var libpqKeyword = regexp.MustCompile(`(^|\s)(host|hostaddr|port|dbname|user|password|sslmode|service)\s*=`)

//go:embed migrations/postgres/*.sql
var pgMigrations embed.FS

// pgDriver is the name of pgx's database/sql driver with the store's "?" and
// "?N" placeholders rewritten to PostgreSQL's "$N".
const pgDriver = "beslutsgang_pgx"

func init() { sql.Register(pgDriver, rebindDriver{stdlib.GetDefaultDriver()}) }

// writeLockKey is the advisory lock every write transaction on PostgreSQL
// takes first (pg_advisory_xact_lock, released at commit or rollback). All
// instances' changes thus run one at a time, as on SQLite's single writer,
// so every rule the store checks inside a change (a case's version, the
// next diarienummer or §, the next link of a hash chain) holds across
// instances without retries. Reads are not serialised.
const writeLockKey = 0x6265736c7574 // "beslut"

// migrationLockKey is the session advisory lock held while migrating, so
// instances that start together migrate once (as pressly/goose's
// PostgreSQL session locker does).
const migrationLockKey = 0x6265736c7575

// openPostgres opens a store on a PostgreSQL database and migrates it.
func openPostgres(dsn string) (*Store, error) {
	if _, err := pgconn.ParseConfig(dsn); err != nil {
		return nil, fmt.Errorf("databasen: adressen kan inte läsas: %v", err)
	}
	w, err := sql.Open(pgDriver, dsn)
	if err != nil {
		return nil, err
	}
	// One writer connection per instance, as with SQLite: changes that
	// arrive together share its transaction (writer.go).
	w.SetMaxOpenConns(1)
	s := newStore(w, dsn, PostgreSQL)
	ctx := context.Background()
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, pgOpenError(err)
	}
	var encoding string
	if err := w.QueryRowContext(ctx, `SHOW server_encoding`).Scan(&encoding); err != nil || encoding != "UTF8" {
		w.Close()
		return nil, errors.Join(err, fmt.Errorf("databasen har teckenkodningen %s; den ska vara UTF8 (createdb -E UTF8 -T template0)", encoding))
	}
	if err := s.migrate(ctx); err != nil {
		w.Close()
		return nil, pgOpenError(err)
	}
	if err := s.ensureSearchIndex(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("databasen: sökindexet: %w", err)
	}
	// The read pool's transactions are read-only, as SQLite's query_only.
	rc, err := pgx.ParseConfig(dsn)
	if err != nil {
		w.Close()
		return nil, err
	}
	rc.RuntimeParams["default_transaction_read_only"] = "on"
	name := stdlib.RegisterConnConfig(rc)
	s.release = func() { stdlib.UnregisterConnConfig(name) }
	r, err := sql.Open(pgDriver, name)
	if err != nil {
		w.Close()
		return nil, err
	}
	keepReaders(r)
	s.r = r
	return s, nil
}

// OpenRaw opens a plain pool on the database dsn names (as Open takes it),
// which takes the store's SQL ("?" placeholders) on either engine: for
// tools and tests that look behind the store, never for changes the store
// should make. It does not migrate. On SQLite it waits up to 10 s for the
// writer's lock and enforces foreign keys, as the store does.
func OpenRaw(dsn string) (*sql.DB, error) {
	if EngineOf(dsn) == PostgreSQL {
		return sql.Open(pgDriver, dsn)
	}
	return sql.Open("sqlite3", "file:"+strings.TrimPrefix(dsn, "sqlite:")+"?_busy_timeout=10000&_foreign_keys=on")
}

// pgOpenError says in Swedish why PostgreSQL refused the store at Open,
// by SQLSTATE (https://www.postgresql.org/docs/current/errcodes-appendix.html),
// keeping the server's own words after it.
func pgOpenError(err error) error {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return fmt.Errorf("databasen: PostgreSQL svarar inte: %w", err)
	}
	why := "PostgreSQL vägrade"
	switch {
	case pe.Code == "28P01" || pe.Code == "28000":
		why = "inloggningen nekades (fel användare eller lösenord, eller pg_hba.conf tillåter inte anslutningen)"
	case pe.Code == "3D000":
		why = "databasen finns inte (skapa den med createdb --owner ROLL DATABAS)"
	case pe.Code == "42501":
		why = "rollen får inte skapa schemat; låt den äga databasen (createdb --owner ROLL) eller ge den CREATE på databasen och schemat public"
	case pe.Code == "53300":
		why = "servern tar inte emot fler anslutningar (max_connections)"
	}
	return fmt.Errorf("databasen: %s: %w", why, err)
}

// Installed reports whether the PostgreSQL database dsn names already holds
// an installation (its schema_migrations table), without changing it: the
// commands that need an existing installation ask first, as they check that
// a SQLite file exists.
func Installed(ctx context.Context, dsn string) (bool, error) {
	d, err := OpenRaw(dsn)
	if err != nil {
		return false, err
	}
	defer d.Close()
	var found bool
	if err := d.QueryRowContext(ctx, `SELECT to_regclass('schema_migrations') IS NOT NULL`).Scan(&found); err != nil {
		return false, pgOpenError(err)
	}
	return found, nil
}

// lockWrites is the first statement of every write transaction.
func (s *Store) lockWrites(ctx context.Context, tx *sql.Tx) error {
	if s.engine != PostgreSQL {
		return nil // SQLite's immediate transaction is the lock
	}
	_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(?)`, writeLockKey)
	return err
}

// lockMigrations holds PostgreSQL's migration lock on conn until unlock is
// called; on SQLite the writer connection is the only one, so it does nothing.
func (s *Store) lockMigrations(ctx context.Context, conn *sql.Conn) (unlock func(), err error) {
	if s.engine != PostgreSQL {
		return func() {}, nil
	}
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(?)`, migrationLockKey); err != nil {
		return nil, err
	}
	return func() { conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock(?)`, migrationLockKey) }, nil
}

// skipLocked ends a SELECT that claims rows for one instance's work: on
// PostgreSQL the rows are locked, and rows another transaction holds are
// passed over (https://www.postgresql.org/docs/current/sql-select.html#SQL-FOR-UPDATE-SHARE);
// SQLite's single writer needs nothing.
func (s *Store) skipLocked() string {
	if s.engine == PostgreSQL {
		return " FOR UPDATE SKIP LOCKED"
	}
	return ""
}

// Unavailable reports an error that says the database could not be reached
// (a connection refused or lost, a server shutting down or starting up:
// SQLSTATE class 08, 57P01–57P03), not that a request was wrong: the HTTP
// layer answers it with 503 and Retry-After.
func Unavailable(err error) bool {
	var ce *pgconn.ConnectError
	var pe *pgconn.PgError
	var ne net.Error
	switch {
	case err == nil, errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return false // a request that took too long or was given up (Interrupted)
	case errors.As(err, &ce), errors.Is(err, driver.ErrBadConn), errors.As(err, &ne):
		return true
	case errors.As(err, &pe):
		return strings.HasPrefix(pe.Code, "08") || pe.Code == "57P01" || pe.Code == "57P02" || pe.Code == "57P03"
	}
	return false
}

// pgUnique reports a PostgreSQL unique violation (SQLSTATE 23505).
func pgUnique(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

// pgCanceled reports a statement PostgreSQL stopped because its context
// ended (SQLSTATE 57014, query_canceled).
func pgCanceled(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "57014"
}

// rebind turns the store's SQL into PostgreSQL's: the placeholders "?" and
// "?N" become "$N" (string literals, quoted identifiers and comments are
// left alone); the hints for SQLite's planner go: "CROSS JOIN … ON",
// which fixes the join order (https://sqlite.org/optoverview.html#crossjoin),
// becomes the inner join it means, and "INDEXED BY name" is dropped
// (https://sqlite.org/lang_indexedby.html).
func rebind(q string) string {
	q = strings.ReplaceAll(q, " CROSS JOIN ", " JOIN ")
	if strings.Contains(q, "INDEXED BY") {
		q = indexedBy.ReplaceAllString(q, "")
	}
	if !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'' || c == '"':
			j := i + 1
			for j < len(q) && q[j] != c {
				j++
			}
			b.WriteString(q[i:min(j+1, len(q))])
			i = j
		case c == '-' && i+1 < len(q) && q[i+1] == '-':
			j := strings.IndexByte(q[i:], '\n')
			if j < 0 {
				j = len(q) - i
			}
			b.WriteString(q[i : i+j])
			i += j - 1
		case c == '?':
			j := i + 1
			for j < len(q) && q[j] >= '0' && q[j] <= '9' {
				j++
			}
			b.WriteByte('$')
			if j > i+1 {
				b.WriteString(q[i+1 : j])
			} else {
				n++
				fmt.Fprint(&b, n)
			}
			i = j - 1
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

var indexedBy = regexp.MustCompile(`\s+INDEXED BY \w+`)

// rebindDriver is pgx's driver whose connections rebind every query.
type rebindDriver struct{ d driver.Driver }

func (d rebindDriver) Open(name string) (driver.Conn, error) {
	c, err := d.d.Open(name)
	if err != nil {
		return nil, err
	}
	return rebindConn{c.(*stdlib.Conn)}, nil
}

// rebindConn forwards to pgx's connection, rebinding the query text.
type rebindConn struct{ c *stdlib.Conn }

func (c rebindConn) Prepare(q string) (driver.Stmt, error) { return c.c.Prepare(rebind(q)) }
func (c rebindConn) PrepareContext(ctx context.Context, q string) (driver.Stmt, error) {
	return c.c.PrepareContext(ctx, rebind(q))
}
func (c rebindConn) Close() error              { return c.c.Close() }
func (c rebindConn) Begin() (driver.Tx, error) { return c.c.Begin() }
func (c rebindConn) BeginTx(ctx context.Context, o driver.TxOptions) (driver.Tx, error) {
	return c.c.BeginTx(ctx, o)
}
func (c rebindConn) ExecContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	return c.c.ExecContext(ctx, rebind(q), args)
}
func (c rebindConn) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	return c.c.QueryContext(ctx, rebind(q), args)
}
func (c rebindConn) Ping(ctx context.Context) error             { return c.c.Ping(ctx) }
func (c rebindConn) CheckNamedValue(v *driver.NamedValue) error { return c.c.CheckNamedValue(v) }
func (c rebindConn) ResetSession(ctx context.Context) error     { return c.c.ResetSession(ctx) }
func (c rebindConn) IsValid() bool                              { return !c.c.Conn().IsClosed() }
