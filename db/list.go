package db

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/kommun/beslutsgang/workflow"
)

// DefaultCountCap is how far a list counts its matches: past it, a list
// says "more than 10 000" rather than counting every row (Store.CountCap).
const DefaultCountCap = 10000

// countCap is the store's cap on counting.
func (s *Store) countCap() int {
	if s.CountCap > 0 {
		return s.CountCap
	}
	return DefaultCountCap
}

// listArm is one index walk of a list: the rows that match where, in the
// order of key, then id. key is a column that ends the equality columns of
// the index the walk uses, so the walk reads rows in order and stops at the
// page (migrations/0009_list_indexes.sql).
type listArm struct {
	where []string
	args  []any
	key   string // SQL of the sort key
}

// listPart is a run of a list's order: the rows of its arms merged by key,
// then id (SQLite merges ordered arms of a UNION ALL without sorting).
type listPart []listArm

// keyset is a sorted list of one table read a page at a time. Its parts
// follow each other: the rows of one come after all rows of the previous one
// (the date sort puts undated cases last both ways). Every page reads only
// its own rows and, with an offset, the rows it skips.
type keyset struct {
	table string // the FROM clause
	id    string // the table's id column, which breaks ties
	parts []listPart
	desc  bool
	// partOf is the part a row with this key belongs to; nil: the first.
	partOf func(key any) int
}

// listRow is one row of a page: its id and its sort key.
type listRow struct {
	ID  int64
	Key any
}

// partSQL reads a part from pos on (nil: from its start) in the direction
// desc, up to a LIMIT and OFFSET the caller appends.
func (q keyset) partSQL(p listPart, desc bool, pos *listRow) (string, []any) {
	dir, op, from := "ASC", ">", ">="
	if desc {
		dir, op, from = "DESC", "<", "<="
	}
	var sqls []string
	var args []any
	for _, a := range p {
		where := append([]string{}, a.where...)
		args = append(args, a.args...)
		key := a.key
		switch {
		case pos != nil && a.key == q.id:
			where = append(where, q.id+" "+op+" ?")
			args = append(args, pos.ID)
		case pos != nil:
			// The row value is the place; the plain bound before it lets the
			// walk start there.
			where = append(where, key+" "+from+" ?", "("+key+", "+q.id+") "+op+" (?, ?)")
			args = append(args, pos.Key, pos.Key, pos.ID)
		}
		cond := ""
		if len(where) > 0 {
			cond = " WHERE " + strings.Join(where, " AND ")
		}
		sqls = append(sqls, "SELECT "+q.id+", "+key+" FROM "+q.table+cond)
	}
	order := p[0].key
	if len(p) > 1 {
		order = "2" // a compound's ORDER BY names its columns
	}
	order += " " + dir
	if p[0].key != q.id {
		order += ", " + orderID(q.id, len(p)) + " " + dir
	}
	return strings.Join(sqls, " UNION ALL ") + " ORDER BY " + order + " LIMIT ? OFFSET ?", args
}

func orderID(id string, arms int) string {
	if arms > 1 {
		return "1"
	}
	return id
}

// rows reads up to limit rows: after skipping offset rows from the start,
// or from the place pos (in the part partOf names). back reads towards the
// start (pos nil: from the end) and returns the rows in the list's order.
func (q keyset) rows(ctx context.Context, db queryer, limit, offset int, pos *listRow, back bool) ([]listRow, error) {
	desc := q.desc != back
	order := make([]int, len(q.parts))
	for i := range order {
		order[i] = i
		if back {
			order[i] = len(q.parts) - 1 - i
		}
	}
	if pos != nil && q.partOf != nil {
		start := q.partOf(pos.Key)
		if back {
			order = order[len(q.parts)-1-start:]
		} else {
			order = order[start:]
		}
	}
	var out []listRow
	for i, part := range order {
		p := pos
		if i > 0 {
			p = nil
		}
		sql, args := q.partSQL(q.parts[part], desc, p)
		got, err := scanListRows(ctx, db, sql, append(args, limit-len(out), offset)...)
		if err != nil {
			return nil, err
		}
		if len(got) == 0 && offset > 0 {
			// The part is shorter than the offset: skip all of it.
			n, err := q.countPart(ctx, db, q.parts[part], offset)
			if err != nil {
				return nil, err
			}
			offset -= n
		} else {
			offset = 0
		}
		out = append(out, got...)
		if len(out) >= limit {
			break
		}
	}
	if back {
		for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
			out[i], out[j] = out[j], out[i]
		}
	}
	return out, nil
}

func scanListRows(ctx context.Context, db queryer, sql string, args ...any) ([]listRow, error) {
	rows, err := db.QueryContext(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []listRow
	for rows.Next() {
		var r listRow
		if err := rows.Scan(&r.ID, &r.Key); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// countPart counts the rows of a part, up to limit.
func (q keyset) countPart(ctx context.Context, db queryer, p listPart, limit int) (int, error) {
	var sqls []string
	var args []any
	for _, a := range p {
		cond := ""
		if len(a.where) > 0 {
			cond = " WHERE " + strings.Join(a.where, " AND ")
		}
		sqls = append(sqls, "SELECT 1 FROM "+q.table+cond)
		args = append(args, a.args...)
	}
	var n int
	err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM ("+strings.Join(sqls, " UNION ALL ")+" LIMIT ?) AS counted", append(args, limit)...).Scan(&n)
	return n, err
}

// countUpTo counts the rows of table that match where, but stops past cap:
// capped is set when there are more than cap, and n is then cap.
func countUpTo(ctx context.Context, db queryer, table string, where []string, args []any, cap int) (n int, capped bool, err error) {
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	err = db.QueryRowContext(ctx, "SELECT COUNT(*) FROM (SELECT 1 FROM "+table+cond+" LIMIT ?) AS counted", append(args, cap+1)...).Scan(&n)
	if n > cap {
		return cap, true, err
	}
	return n, false, err
}

// countPage counts a list's matches up to the store's cap (countUpTo). A
// page asked for by number (byNumber) that begins past the cap is EINVALID:
// pages further on are read by cursor, which costs no more than the first.
// A count that reached the cap is remembered for a moment (cappedCounts);
// remembered is its key when the count was the memory, else empty.
func (s *Store) countPage(ctx context.Context, db queryer, table string, where []string, args []any, byNumber bool, page, offset int) (n int, capped bool, remembered string, err error) {
	cap := s.countCap()
	key, now := cappedKey(table, where, args, cap), time.Now()
	n, capped = cap, s.cappedCounts.capped(key, now)
	if capped {
		remembered = key
	} else {
		if n, capped, err = countUpTo(ctx, db, table, where, args, cap); err == nil && capped {
			s.cappedCounts.remember(key, now)
		}
	}
	if err == nil && capped && byNumber && offset >= cap {
		var p workflow.Problems
		p.Add("page", "Sidan %d ligger bortom de första %s träffarna; bläddra vidare med Nästa sida eller Sista sidan, eller smalna av urvalet",
			page, workflow.FormatCount(cap))
		err = p.Err()
	}
	return n, capped, remembered, err
}

// window is how a list request asks for its page: by number, or from a cursor.
type window struct {
	limit  int
	offset int
	pos    *listRow // from a cursor; nil: from the start, or the end
	back   bool
}

// pageOf reads the page a window asks for and the cursors around it. The
// next cursor is set when rows follow the page, the previous one when rows
// precede it; cursorOf writes a row's cursor.
func (q keyset) pageOf(ctx context.Context, db queryer, w window, cursorOf func(listRow, bool) *Cursor) (rows []listRow, next, prev *Cursor, err error) {
	got, err := q.rows(ctx, db, w.limit+1, w.offset, w.pos, w.back)
	if err != nil {
		return nil, nil, nil, err
	}
	more := len(got) > w.limit
	if more {
		if w.back {
			got = got[1:]
		} else {
			got = got[:w.limit]
		}
	}
	if len(got) == 0 {
		// Past either end: the way back is the place itself.
		if w.pos != nil {
			c := cursorOf(*w.pos, !w.back)
			if w.back {
				next = c
			} else {
				prev = c
			}
		}
		return got, next, prev, nil
	}
	first, last := got[0], got[len(got)-1]
	switch {
	case w.back:
		if more {
			prev = cursorOf(first, true)
		}
		if w.pos != nil {
			next = cursorOf(last, false)
		}
	default:
		if more {
			next = cursorOf(last, false)
		}
		if w.pos != nil || w.offset > 0 {
			prev = cursorOf(first, true)
		}
	}
	return got, next, prev, nil
}

// keyText writes a sort key as a cursor carries it.
func keyText(k any) string {
	switch v := k.(type) {
	case nil:
		return ""
	case int64:
		return strconv.FormatInt(v, 10)
	case []byte:
		return string(v)
	case string:
		return v
	}
	return ""
}
