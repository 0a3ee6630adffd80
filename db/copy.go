package db

// Copy moves an installation from one store to another, SQLite to
// PostgreSQL or back (beslutsgang copy). The tables and their columns are
// read from the two schemas at run time, not listed here, so a table or
// column a later migration adds is copied too, or, when only one engine's
// schema has it, refused before anything is written.

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/kommun/beslutsgang/workflow"
)

// CopyReport is what Copy copied.
type CopyReport struct {
	// Tables are the tables copied, in the order copied (parents before the
	// tables whose foreign keys point at them).
	Tables []CopiedTable
	// Events is how many events Verify checked on the target: every one.
	Events int
	// Indexed is how many cases the target's search index holds afterwards;
	// 0 when the target has no full-text index (PostgreSQL, or a build
	// without sqlite_fts5).
	Indexed int
}

// CopiedTable is one table's rows in the source's snapshot and in the
// target after the copy; Copy fails unless they are equal.
type CopiedTable struct {
	Name           string
	Source, Target int
}

// Rows is how many rows of table were copied (0 for a table not copied).
func (r CopyReport) Rows(table string) int {
	for _, t := range r.Tables {
		if t.Name == table {
			return t.Target
		}
	}
	return 0
}

// Steps Copy reports to its progress function after the tables, under a
// name no table has.
const (
	CopyVerified = ":verified" // rows: the events whose hashes were checked
	CopyIndexed  = ":indexed"  // rows: the cases indexed so far
)

// copyBatchRows and copyBatchBytes bound one INSERT of Copy: at most this
// many rows (and 30,000 values, below both engines' limit on parameters),
// and once the values reach this many bytes the batch is written.
const (
	copyBatchRows  = 250
	copyBatchVals  = 30000
	copyBatchBytes = 4 << 20
)

// Copy copies every row of from into to, an installation that holds no
// data yet (no case, user or board; a database db.Open has just created or
// migrated), and checks the copy:
//
//   - from is read in one read-only transaction of its read pool, one
//     snapshot, so a service still writing to it does no harm (but what it
//     writes after the snapshot is not copied: stop it first);
//   - to is written in one transaction of its write path (on PostgreSQL
//     under the advisory write lock), table by table in foreign-key order,
//     in batches of multi-row INSERTs through prepared statements. Ids are
//     copied as they are; on PostgreSQL every identity sequence is then moved
//     past its table's highest id, so new rows get new ids;
//   - before that transaction commits, every table's rows are counted on
//     both sides and every case's hash chain is checked on the target
//     (Verify): a difference or a broken chain undoes the copy, and to is
//     left as it was;
//   - derived tables are not copied: schema_migrations (each engine has its
//     own migrations, applied by db.Open), SQLite's own (sqlite_*), and the
//     search index (search_*), which is built anew on to when to has one
//     (FullTextSearch), after the commit.
//
// Values are converted by the target column's type: SQLite's 0/1 integers
// to PostgreSQL's BOOLEAN and back, blobs as bytes, text as text. Generated
// columns (cases.stage_rank, number_key, public_title) are left to the
// target to compute.
//
// progress, if not nil, is called after each table with its name and rows,
// then with CopyVerified and with CopyIndexed (after each batch of cases).
//
// Errors: EINVALID when from holds no data, when from and to are the same
// database, or when their schemas differ (a table or column only one of them
// has, or a column whose types do not convert); ECONFLICT when to already
// holds data; EINTERNAL when the rows counted or the chains on the target do
// not match the source. A failure of the search index after the commit is
// returned with the report: the data is copied, and the next db.Open (or
// beslutsgang reindex) builds the index.
func Copy(ctx context.Context, from, to *Store, progress func(table string, rows int)) (CopyReport, error) {
	if progress == nil {
		progress = func(string, int) {}
	}
	if sameDatabase(from, to) {
		return CopyReport{}, workflow.Errorf(workflow.EINVALID, "Källan och målet är samma databas (%s)", from.Name())
	}
	opts := &sql.TxOptions{ReadOnly: true}
	if from.engine == PostgreSQL {
		// One snapshot for every statement, as SQLite's read transaction.
		opts.Isolation = sql.LevelRepeatableRead
	}
	src, err := from.r.BeginTx(ctx, opts)
	if err != nil {
		return CopyReport{}, fmt.Errorf("källan %s: %w", from.Name(), err)
	}
	defer src.Rollback()
	if n, err := installationRows(ctx, src); err != nil {
		return CopyReport{}, fmt.Errorf("källan %s: %w", from.Name(), err)
	} else if n == "" {
		return CopyReport{}, workflow.Errorf(workflow.EINVALID,
			"Källan %s innehåller inga ärenden, användare eller nämnder: det finns inget att kopiera", from.Name())
	}
	srcSchema, err := readSchema(ctx, src, from.engine)
	if err != nil {
		return CopyReport{}, fmt.Errorf("källans schema: %w", err)
	}

	var rep CopyReport
	err = to.tx(ctx, func(tx *sql.Tx) error {
		rep = CopyReport{}
		if n, err := installationRows(ctx, tx); err != nil {
			return err
		} else if n != "" {
			return workflow.Errorf(workflow.ECONFLICT,
				"Målet %s innehåller redan data (%s); kopiera bara till en tom databas, aldrig in i en installation", to.Name(), n)
		}
		dstSchema, err := readSchema(ctx, tx, to.engine)
		if err != nil {
			return fmt.Errorf("målets schema: %w", err)
		}
		if err := compareSchemas(srcSchema, dstSchema); err != nil {
			return err
		}
		order, err := copyOrder(dstSchema)
		if err != nil {
			return err
		}
		for _, name := range order {
			n, err := copyTable(ctx, src, tx, srcSchema[name], dstSchema[name])
			if err != nil {
				return fmt.Errorf("tabellen %s: %w", name, err)
			}
			rep.Tables = append(rep.Tables, CopiedTable{Name: name, Source: n})
			progress(name, n)
		}
		for i, t := range rep.Tables {
			// Counted again on both sides: the source in its snapshot, the
			// target in this transaction, so nothing was lost between the two.
			var s, d int
			if err := src.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+quoteIdent(t.Name)).Scan(&s); err != nil {
				return err
			}
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+quoteIdent(t.Name)).Scan(&d); err != nil {
				return err
			}
			if s != t.Source || d != t.Source {
				return workflow.Errorf(workflow.EINTERNAL,
					"Tabellen %s: %d rader i källan, %d kopierade, %d i målet; inget har kopierats", t.Name, s, t.Source, d)
			}
			rep.Tables[i].Target = d
		}
		if err := keepRemovedIDs(ctx, tx, to.engine); err != nil {
			return err
		}
		if err := bumpContentVersion(ctx, tx); err != nil {
			return err
		}
		if to.engine == PostgreSQL {
			if err := moveSequences(ctx, tx, dstSchema); err != nil {
				return err
			}
		} else if hasTable(ctx, tx, "search_index") {
			// Should the process stop between the commit and the reindex
			// below, the next Open sees the index stale and builds it.
			if _, err := tx.ExecContext(ctx, `UPDATE search_index SET version = 0`); err != nil {
				return err
			}
		}
		checked, broken, err := verifyChains(ctx, tx)
		if err != nil {
			return err
		}
		if len(broken) > 0 {
			return workflow.Errorf(workflow.EINTERNAL,
				"%d ärenden har brutna händelsekedjor i kopian (det första: %v); inget har kopierats. Kontrollera källan med beslutsgang verify",
				len(broken), broken[0])
		}
		rep.Events = checked
		progress(CopyVerified, checked)
		return nil
	})
	if err != nil {
		return CopyReport{}, err
	}
	src.Rollback()
	if to.FullTextSearch() {
		err := to.Reindex(ctx, func(done, total int) {
			rep.Indexed = done
			progress(CopyIndexed, done)
		})
		if err != nil {
			return rep, fmt.Errorf("datan är kopierad, men sökindexet kunde inte byggas (det byggs när tjänsten startar, eller med beslutsgang reindex): %w", err)
		}
	}
	return rep, nil
}

// sameDatabase reports whether a and b are one database.
func sameDatabase(a, b *Store) bool {
	if a.engine != b.engine {
		return false
	}
	if a.engine == PostgreSQL {
		return a.path == b.path
	}
	pa, err1 := filepath.Abs(a.path)
	pb, err2 := filepath.Abs(b.path)
	return err1 == nil && err2 == nil && pa == pb
}

// installationRows says what data q's database holds, "3 ärenden, 12
// användare, 2 nämnder", or "" when it holds no case, user or board.
func installationRows(ctx context.Context, q queryer) (string, error) {
	var cases, users, boards int
	err := q.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM cases), (SELECT COUNT(*) FROM users),
		(SELECT COUNT(*) FROM boards)`).Scan(&cases, &users, &boards)
	if err != nil || cases+users+boards == 0 {
		return "", err
	}
	return fmt.Sprintf("%d ärenden, %d användare, %d nämnder", cases, users, boards), nil
}

// hasTable reports whether the SQLite database of tx has a table name.
func hasTable(ctx context.Context, tx *sql.Tx, name string) bool {
	var n int
	tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?`, name).Scan(&n)
	return n > 0
}

// derivedTable reports a table Copy does not copy: bookkeeping of the
// engine or the migrations, the list cache's content version, and the
// search index.
func derivedTable(name string) bool {
	return name == "schema_migrations" || name == "content_version" || strings.HasPrefix(name, "sqlite_") || strings.HasPrefix(name, "search_")
}

// colKind is what a column holds, as far as copying goes.
type colKind int

const (
	kindOther colKind = iota // copied as read
	kindInt
	kindBool
	kindReal
	kindText
	kindBytes
)

func (k colKind) String() string {
	return [...]string{"annat", "heltal", "boolesk", "decimaltal", "text", "binärdata"}[k]
}

// compatible reports whether a value of kind a converts to kind b.
func compatible(a, b colKind) bool {
	if a == b || a == kindOther || b == kindOther {
		return true
	}
	pair := func(x, y colKind) bool { return a == x && b == y || a == y && b == x }
	return pair(kindInt, kindBool) || pair(kindInt, kindReal) || pair(kindText, kindBytes)
}

type copyColumn struct {
	name string
	kind colKind
	pk   int // position in the primary key, from 1; 0 if not in it
}

type copyTableSchema struct {
	name     string
	cols     []copyColumn // the columns a row is written with: not the generated ones
	parents  []string     // tables its foreign keys point at
	identity string       // PostgreSQL: the identity column, or ""
}

// orderBy is the table's primary key as an ORDER BY clause, or "".
func (t *copyTableSchema) orderBy() string {
	var pk []copyColumn
	for _, c := range t.cols {
		if c.pk > 0 {
			pk = append(pk, c)
		}
	}
	if len(pk) == 0 {
		return ""
	}
	sort.Slice(pk, func(i, j int) bool { return pk[i].pk < pk[j].pk })
	names := make([]string, len(pk))
	for i, c := range pk {
		names[i] = quoteIdent(c.name)
	}
	return " ORDER BY " + strings.Join(names, ", ")
}

// readSchema reads the tables Copy copies, with their columns and foreign keys.
func readSchema(ctx context.Context, q queryer, e Engine) (map[string]*copyTableSchema, error) {
	if e == PostgreSQL {
		return readPostgresSchema(ctx, q)
	}
	names, err := queryStrings(ctx, q, `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
	if err != nil {
		return nil, err
	}
	out := map[string]*copyTableSchema{}
	for _, name := range names {
		if derivedTable(name) {
			continue
		}
		t := &copyTableSchema{name: name}
		rows, err := q.QueryContext(ctx, `SELECT name, type, hidden, pk FROM pragma_table_xinfo(?) ORDER BY cid`, name)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var c copyColumn
			var typ string
			var hidden int
			if err := rows.Scan(&c.name, &typ, &hidden, &c.pk); err != nil {
				rows.Close()
				return nil, err
			}
			if hidden != 0 { // 2 and 3: generated columns; 1: a virtual table's hidden one
				continue
			}
			c.kind = sqliteKind(typ)
			t.cols = append(t.cols, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		if t.parents, err = queryStrings(ctx, q, `SELECT DISTINCT "table" FROM pragma_foreign_key_list(?)`, name); err != nil {
			return nil, err
		}
		out[name] = t
	}
	return out, nil
}

// sqliteKind is the kind of a column of declared type typ, by SQLite's
// rules of type affinity (https://sqlite.org/datatype3.html#affname).
func sqliteKind(typ string) colKind {
	t := strings.ToUpper(typ)
	switch {
	case strings.Contains(t, "INT"):
		return kindInt
	case strings.Contains(t, "CHAR"), strings.Contains(t, "CLOB"), strings.Contains(t, "TEXT"):
		return kindText
	case t == "", strings.Contains(t, "BLOB"):
		return kindBytes
	case strings.Contains(t, "REAL"), strings.Contains(t, "FLOA"), strings.Contains(t, "DOUB"):
		return kindReal
	}
	return kindOther
}

// postgresKind is the kind of a column of PostgreSQL type udt (udt_name).
func postgresKind(udt string) colKind {
	switch udt {
	case "int2", "int4", "int8":
		return kindInt
	case "bool":
		return kindBool
	case "float4", "float8", "numeric":
		return kindReal
	case "text", "varchar", "bpchar", "citext":
		return kindText
	case "bytea":
		return kindBytes
	}
	return kindOther
}

func readPostgresSchema(ctx context.Context, q queryer) (map[string]*copyTableSchema, error) {
	out := map[string]*copyTableSchema{}
	rows, err := q.QueryContext(ctx, `SELECT c.table_name, c.column_name, c.udt_name, c.is_generated, c.is_identity
		FROM information_schema.columns c
		JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
		WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
		ORDER BY c.table_name, c.ordinal_position`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var table, col, udt, generated, identity string
		if err := rows.Scan(&table, &col, &udt, &generated, &identity); err != nil {
			rows.Close()
			return nil, err
		}
		if derivedTable(table) || generated == "ALWAYS" {
			continue
		}
		t := out[table]
		if t == nil {
			t = &copyTableSchema{name: table}
			out[table] = t
		}
		t.cols = append(t.cols, copyColumn{name: col, kind: postgresKind(udt)})
		if identity == "YES" {
			t.identity = col
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = q.QueryContext(ctx, `SELECT k.table_name, k.column_name, k.ordinal_position
		FROM information_schema.table_constraints c
		JOIN information_schema.key_column_usage k ON k.constraint_schema = c.constraint_schema
			AND k.constraint_name = c.constraint_name AND k.table_name = c.table_name
		WHERE c.constraint_type = 'PRIMARY KEY' AND c.table_schema = current_schema()`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var table, col string
		var pos int
		if err := rows.Scan(&table, &col, &pos); err != nil {
			rows.Close()
			return nil, err
		}
		if t := out[table]; t != nil {
			for i := range t.cols {
				if t.cols[i].name == col {
					t.cols[i].pk = pos
				}
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = q.QueryContext(ctx, `SELECT DISTINCT child.relname, parent.relname
		FROM pg_constraint f
		JOIN pg_class child ON child.oid = f.conrelid
		JOIN pg_class parent ON parent.oid = f.confrelid
		JOIN pg_namespace n ON n.oid = child.relnamespace
		WHERE f.contype = 'f' AND n.nspname = current_schema()
		ORDER BY 1, 2`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var child, parent string
		if err := rows.Scan(&child, &parent); err != nil {
			return nil, err
		}
		if t := out[child]; t != nil {
			t.parents = append(t.parents, parent)
		}
	}
	return out, rows.Err()
}

// compareSchemas refuses a copy between schemas that do not hold the same
// tables and columns, naming every difference.
func compareSchemas(src, dst map[string]*copyTableSchema) error {
	var diffs []string
	for _, name := range sortedKeys(src) {
		d, ok := dst[name]
		if !ok {
			diffs = append(diffs, fmt.Sprintf("tabellen %s finns bara i källan", name))
			continue
		}
		s := src[name]
		for _, sc := range s.cols {
			i := slices.IndexFunc(d.cols, func(c copyColumn) bool { return c.name == sc.name })
			switch {
			case i < 0:
				diffs = append(diffs, fmt.Sprintf("kolumnen %s.%s finns bara i källan", name, sc.name))
			case !compatible(sc.kind, d.cols[i].kind):
				diffs = append(diffs, fmt.Sprintf("kolumnen %s.%s är %s i källan men %s i målet", name, sc.name, sc.kind, d.cols[i].kind))
			}
		}
		for _, dc := range d.cols {
			if !slices.ContainsFunc(s.cols, func(c copyColumn) bool { return c.name == dc.name }) {
				diffs = append(diffs, fmt.Sprintf("kolumnen %s.%s finns bara i målet", name, dc.name))
			}
		}
	}
	for _, name := range sortedKeys(dst) {
		if _, ok := src[name]; !ok {
			diffs = append(diffs, fmt.Sprintf("tabellen %s finns bara i målet", name))
		}
	}
	if len(diffs) > 0 {
		return workflow.Errorf(workflow.EINVALID,
			"Källan och målet har inte samma schema (är de av samma version av beslutsgang?): %s", strings.Join(diffs, "; "))
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// copyOrder puts the tables in an order where every table comes after the
// tables its foreign keys point at (by name among those free to go next).
func copyOrder(tables map[string]*copyTableSchema) ([]string, error) {
	done := map[string]bool{}
	var order []string
	for len(order) < len(tables) {
		progressed := false
		for _, name := range sortedKeys(tables) {
			if done[name] {
				continue
			}
			ready := true
			for _, p := range tables[name].parents {
				if p != name && !done[p] && tables[p] != nil {
					ready = false
				}
			}
			if ready {
				done[name] = true
				order = append(order, name)
				progressed = true
			}
		}
		if !progressed {
			var left []string
			for _, name := range sortedKeys(tables) {
				if !done[name] {
					left = append(left, name)
				}
			}
			return nil, fmt.Errorf("främmande nycklar i en cirkel mellan tabellerna %s", strings.Join(left, ", "))
		}
	}
	return order, nil
}

func quoteIdent(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

// insertSQL is an INSERT of rows rows into table's columns.
func insertSQL(table string, cols []string, rows int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO ")
	b.WriteString(quoteIdent(table))
	b.WriteString(" (")
	for i, c := range cols {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(quoteIdent(c))
	}
	b.WriteString(") VALUES ")
	row := "(" + strings.TrimSuffix(strings.Repeat("?,", len(cols)), ",") + ")"
	for i := range rows {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(row)
	}
	return b.String()
}

// copyTable copies the rows of one table, in primary-key order, and returns
// how many.
func copyTable(ctx context.Context, src, dst *sql.Tx, s, d *copyTableSchema) (int, error) {
	// The target's columns, in its order, read from the source by name.
	names := make([]string, len(d.cols))
	kinds := make([]colKind, len(d.cols))
	for i, c := range d.cols {
		names[i], kinds[i] = c.name, c.kind
	}
	sel := make([]string, len(names))
	for i, n := range names {
		sel[i] = quoteIdent(n)
	}
	rows, err := src.QueryContext(ctx, `SELECT `+strings.Join(sel, ", ")+` FROM `+quoteIdent(s.name)+s.orderBy())
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	per := max(1, min(copyBatchRows, copyBatchVals/len(names)))
	var full *sql.Stmt // the INSERT of a whole batch, prepared at the first
	defer func() {
		if full != nil {
			full.Close()
		}
	}()
	batch := make([]any, 0, per*len(names))
	n, inBatch, bytes := 0, 0, 0
	flush := func() error {
		if inBatch == 0 {
			return nil
		}
		var err error
		if inBatch == per {
			if full == nil {
				if full, err = dst.PrepareContext(ctx, insertSQL(d.name, names, per)); err != nil {
					return err
				}
			}
			_, err = full.ExecContext(ctx, batch...)
		} else {
			_, err = dst.ExecContext(ctx, insertSQL(d.name, names, inBatch), batch...)
		}
		batch, inBatch, bytes = batch[:0], 0, 0
		return err
	}
	vals := make([]any, len(names))
	ptrs := make([]any, len(names))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, err
		}
		for i, v := range vals {
			cv, err := convertValue(v, kinds[i])
			if err != nil {
				return n, fmt.Errorf("rad %d, kolumnen %s: %w", n+1, names[i], err)
			}
			switch x := cv.(type) {
			case string:
				bytes += len(x)
			case []byte:
				bytes += len(x)
			}
			batch = append(batch, cv)
		}
		n++
		inBatch++
		if inBatch == per || bytes >= copyBatchBytes {
			if err := flush(); err != nil {
				return n, err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return n, err
	}
	return n, flush()
}

// convertValue turns a value read from the source into one for a target
// column of kind k.
func convertValue(v any, k colKind) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch k {
	case kindInt:
		switch x := v.(type) {
		case int64:
			return x, nil
		case bool:
			if x {
				return int64(1), nil
			}
			return int64(0), nil
		}
	case kindBool:
		switch x := v.(type) {
		case bool:
			return x, nil
		case int64:
			if x == 0 || x == 1 {
				return x == 1, nil
			}
			return nil, fmt.Errorf("%d är inte 0 eller 1", x)
		}
	case kindReal:
		switch x := v.(type) {
		case float64:
			return x, nil
		case int64:
			return float64(x), nil
		}
	case kindText:
		switch x := v.(type) {
		case string:
			return x, nil
		case []byte:
			return string(x), nil
		}
	case kindBytes:
		switch x := v.(type) {
		case []byte:
			return x, nil
		case string:
			return []byte(x), nil
		}
	case kindOther:
		return v, nil
	}
	return nil, fmt.Errorf("värdet %v (%T) kan inte bli %s", v, v, k)
}

// moveSequences sets every identity column's sequence past the highest id
// copied, or kept by removedIDs, so the next row inserted gets a new id.
func moveSequences(ctx context.Context, tx *sql.Tx, tables map[string]*copyTableSchema) error {
	for _, name := range sortedKeys(tables) {
		t := tables[name]
		if t.identity == "" {
			continue
		}
		col := quoteIdent(t.identity)
		highest := `COALESCE(MAX(` + col + `), 0)`
		if removed := removedIDs[name]; removed != "" {
			highest = `GREATEST(` + highest + `, (SELECT COALESCE(MAX(id), 0) FROM ` + quoteIdent(removed) + `))`
		}
		if _, err := tx.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence(?, ?), `+highest+` + 1, false) FROM `+quoteIdent(name),
			quoteIdent(name), t.identity); err != nil {
			return fmt.Errorf("tabellen %s: sekvensen: %w", name, err)
		}
	}
	return nil
}

// removedIDs are tables whose removed rows keep their ids in another table,
// for OParl's deleted objects (agenda_items_removed, migration 0027): a copy
// must not hand such an id to a new row.
var removedIDs = map[string]string{"agenda_items": "agenda_items_removed"}

// keepRemovedIDs makes SQLite's AUTOINCREMENT of each table of removedIDs
// start past its removed ids too (PostgreSQL's sequences: moveSequences).
func keepRemovedIDs(ctx context.Context, tx *sql.Tx, engine Engine) error {
	if engine == PostgreSQL {
		return nil
	}
	for _, table := range sortedKeys(removedIDs) {
		removed := removedIDs[table]
		if !hasTable(ctx, tx, removed) {
			continue
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sqlite_sequence WHERE name = ?`, table); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO sqlite_sequence(name, seq) SELECT ?, MAX(
			(SELECT COALESCE(MAX(id), 0) FROM `+quoteIdent(table)+`), (SELECT COALESCE(MAX(id), 0) FROM `+quoteIdent(removed)+`))`, table); err != nil {
			return fmt.Errorf("tabellen %s: sekvensen: %w", table, err)
		}
	}
	return nil
}
