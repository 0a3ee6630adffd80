package db

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/workflow"
)

// diaryBefore is the diary as it was read before the list indexes
// (migration 0009): every case joined, sorted, with LIMIT and OFFSET.
func diaryBefore(ctx context.Context, s *Store, f DiaryFilter) (DiaryPage, error) {
	offset, err := pageWindow(&f.Page, &f.PerPage)
	if err != nil {
		return DiaryPage{}, err
	}
	var where []string
	var args []any
	if f.Board != "" {
		where, args = append(where, "boards.code = ?"), append(args, f.Board)
	}
	if f.Year != 0 {
		where, args = append(where, "cases.year = ?"), append(args, f.Year)
	}
	for _, w := range strings.Fields(f.Query) {
		like := "%" + escapeLike(w) + "%"
		where = append(where, `(cases.number LIKE ? ESCAPE '\' OR (NOT cases.secret AND cases.title LIKE ? ESCAPE '\'))`)
		args = append(args, like, like)
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	from := ` FROM cases JOIN boards ON boards.id = cases.board_id JOIN users u ON u.id = cases.officer_id` + cond
	page := DiaryPage{Page: f.Page, PerPage: f.PerPage, Items: []DiaryEntry{}}
	if err := s.r.QueryRowContext(ctx, `SELECT COUNT(*)`+from, args...).Scan(&page.Total); err != nil {
		return page, err
	}
	rows, err := s.r.QueryContext(ctx, `SELECT cases.number, boards.code, boards.name, cases.created_at,
		CASE WHEN cases.secret THEN '' ELSE cases.title END, cases.secret, cases.stage,
		CASE WHEN cases.secret THEN '' ELSE u.name END`+from+
		` ORDER BY cases.created_at DESC, cases.id DESC LIMIT ? OFFSET ?`, append(args, f.PerPage, offset)...)
	if err != nil {
		return page, err
	}
	defer rows.Close()
	for rows.Next() {
		var e DiaryEntry
		var created string
		if err := rows.Scan(&e.Number, &e.Board, &e.BoardName, &created, &e.Title, &e.Withheld, &e.Stage, &e.Officer); err != nil {
			return page, err
		}
		e.Registered = workflow.Today(parseTime(created))
		if e.Withheld {
			e.Title = workflow.WithheldText
		}
		page.Items = append(page.Items, e)
	}
	return page, rows.Err()
}

var diaryFilters = []DiaryFilter{{}, {Board: "ASN"}, {Board: "KS"}, {Year: 2026}, {Year: 2019}, {Board: "KS", Year: 2026},
	{Query: "hemlig"}, {Query: "ASN-2026-1"}, {Query: "avgifter", Board: "ASN"}}

// The diary reads every filter as it did before it was served by indexes,
// whole, page by page and by cursor either way; secret cases withheld alike.
func TestDiaryUnchanged(t *testing.T) {
	s, _, _ := secretListFixture(t)
	ctx := context.Background()
	for _, f := range diaryFilters {
		if f.Query != "" && s.FullTextSearch() {
			continue // the full-text search finds by its own rules (search_test.go)
		}
		f.PerPage = MaxPerPage
		before, err := diaryBefore(ctx, s, f)
		if err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprint(before.Items)
		if !strings.Contains(want, workflow.WithheldText) && f == (DiaryFilter{PerPage: MaxPerPage}) {
			t.Fatalf("%+v: no secret case in the diary: %s", f, want)
		}
		after, err := s.Diary(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprint(after.Items); got != want || after.Total != before.Total {
			t.Errorf("%+v: %d %s\nwant %d %s", f, after.Total, got, before.Total, want)
		}
		for _, how := range []string{"pages", "next", "prev"} {
			got := walkList(t, how, &Cursor{Sort: diarySort, Desc: true, Back: true}, func(page int, c *Cursor) ([]DiaryEntry, *Cursor, *Cursor, error) {
				f := f
				f.Page, f.PerPage, f.Cursor = page, 2, c
				p, err := s.Diary(ctx, f)
				return p.Items, p.Next, p.Prev, err
			})
			if fmt.Sprint(got) != want {
				t.Errorf("%+v by %s: %v\nwant %s", f, how, got, want)
			}
		}
	}
	for _, c := range []Cursor{{Sort: "number", Key: "x", ID: 1}, {Sort: diarySort, Key: "x", ID: 1}, {Sort: diarySort, Desc: true, Key: "igår", ID: 1}} {
		if _, err := s.Diary(ctx, DiaryFilter{Cursor: &c}); !isCursorError(err) {
			t.Errorf("diary from %+v: %v, want a CursorError", c, err)
		}
	}
}

// outboxBefore is the outbox list's order and rows as they were read before:
// newest first by id, with LIMIT and OFFSET.
func outboxBefore(ctx context.Context, s *Store, state string) ([]OutboxMail, error) {
	where, args := "", []any{}
	if state != "" {
		where, args = "WHERE o.state = ? ", append(args, state)
	}
	return listOutbox(ctx, s.r, false, where+"ORDER BY o.id DESC LIMIT ? OFFSET ?", append(args, MaxPerPage, 0)...)
}

// The outbox reads every state filter as before, whole, page by page and
// by cursor either way, and counts each state up to the cap.
func TestOutboxUnchanged(t *testing.T) {
	s, _, _ := secretListFixture(t)
	ctx := context.Background()
	mustExec(t, s.w, `UPDATE outbox SET state = 'sent' WHERE id % 3 = 0`)
	mustExec(t, s.w, `UPDATE outbox SET state = 'failed' WHERE id % 4 = 0`)
	for _, state := range []string{"", MailQueued, MailSent, MailFailed} {
		before, err := outboxBefore(ctx, s, state)
		if err != nil {
			t.Fatal(err)
		}
		if len(before) < 3 {
			t.Fatalf("state %q: only %d messages", state, len(before))
		}
		want := fmt.Sprint(before)
		after, err := s.Outbox(ctx, OutboxFilter{State: state, PerPage: MaxPerPage})
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprint(after.Items); got != want || after.Total != len(before) || after.TotalCapped {
			t.Errorf("state %q: %d %s\nwant %d %s", state, after.Total, got, len(before), want)
		}
		for _, how := range []string{"pages", "next", "prev"} {
			got := walkList(t, how, &Cursor{Sort: outboxSort, Desc: true, Back: true}, func(page int, c *Cursor) ([]OutboxMail, *Cursor, *Cursor, error) {
				p, err := s.Outbox(ctx, OutboxFilter{State: state, Page: page, PerPage: 2, Cursor: c})
				return p.Items, p.Next, p.Prev, err
			})
			if fmt.Sprint(got) != want {
				t.Errorf("state %q by %s: %v\nwant %s", state, how, got, want)
			}
		}
	}
	s.CountCap = 2
	page, err := s.Outbox(ctx, OutboxFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != 2 || !page.TotalCapped || !slices.Equal(page.CountsCapped, []string{MailQueued, MailSent, MailFailed}) || page.Counts[MailSent] != 2 {
		t.Errorf("capped at 2: total %d %v, counts %v capped %v", page.Total, page.TotalCapped, page.Counts, page.CountsCapped)
	}
	for _, c := range []Cursor{{Sort: "number", ID: 1}, {Sort: outboxSort, Desc: true, Key: "5", ID: 1}} {
		if _, err := s.Outbox(ctx, OutboxFilter{Cursor: &c}); !isCursorError(err) {
			t.Errorf("outbox from %+v: %v, want a CursorError", c, err)
		}
	}
}

// meetingFilters are the meetings list's filters as the page, the API and
// the calendars use them.
func meetingFilters(s *Store, t *testing.T) []MeetingFilter {
	var asn, au int64
	if err := s.r.QueryRow(`SELECT (SELECT id FROM bodies WHERE code = 'ASN'), (SELECT id FROM bodies WHERE code = 'ASN-AU')`).Scan(&asn, &au); err != nil {
		t.Fatal(err)
	}
	from, to := workflow.MustDate("2026-03-01"), workflow.MustDate("2026-04-30")
	return []MeetingFilter{{}, {Body: "ASN-PB"}, {From: from}, {From: from, To: to}, {Body: "ASN", From: from},
		{Body: "ASN-AU", From: from, To: to}, {To: to}, {Bodies: []int64{asn, au}, From: from}}
}

// The meetings list, and a person's open bevakningar, read page by page
// from a cursor either way, give the same rows in the same order as the
// whole list read at once the way it was read before.
func TestMeetingsAndDeadlinesByCursor(t *testing.T) {
	s, p, _ := secretListFixture(t)
	ctx := context.Background()
	for _, f := range meetingFilters(s, t) {
		before, err := s.meetingsWhereBefore(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprint(before)
		if all, err := s.Meetings(ctx, f); err != nil || fmt.Sprint(all) != want {
			t.Errorf("%+v: %v %v\nwant %s", f, all, err, want)
		}
		for _, how := range []string{"next", "prev"} {
			got := walkList(t, how, &Cursor{Sort: meetingSort, Back: true}, func(page int, c *Cursor) ([]workflow.Meeting, *Cursor, *Cursor, error) {
				f := f
				f.Limit, f.Cursor = 2, c
				p, err := s.MeetingPage(ctx, f)
				return p.Items, p.Next, p.Prev, err
			})
			if fmt.Sprint(got) != want {
				t.Errorf("%+v by %s: %v\nwant %s", f, how, got, want)
			}
		}
	}
	for _, u := range []workflow.User{p.officer, p.approver1, p.secretary, p.outsider} {
		for _, until := range []workflow.Date{{}, workflow.MustDate("2026-03-20")} {
			before, err := queryDeadlines(ctx, s.r, `WHERE d.responsible_id = ? AND d.state = 'open' AND d.due <= ? ORDER BY d.due, d.id`,
				u.ID, cmpOr(until.String(), "9999-12-31"))
			if err != nil {
				t.Fatal(err)
			}
			want := fmt.Sprint(before)
			for _, how := range []string{"pages", "next", "prev"} {
				got := walkList(t, how, &Cursor{Sort: deadlineSort, Back: true}, func(page int, c *Cursor) ([]DeadlineItem, *Cursor, *Cursor, error) {
					p, err := s.UserDeadlinePage(ctx, DeadlineFilter{Responsible: u.ID, Until: until, Page: page, PerPage: 2, Cursor: c})
					return p.Items, p.Next, p.Prev, err
				})
				if fmt.Sprint(got) != want {
					t.Errorf("%s until %s by %s: %v\nwant %s", u.Name, until, how, got, want)
				}
			}
		}
	}
	for _, c := range []Cursor{{Sort: "due", ID: 1}, {Sort: meetingSort, Key: "2026-03-20", ID: 1}, {Sort: meetingSort, ID: 999}} {
		if _, err := s.MeetingPage(ctx, MeetingFilter{Cursor: &c}); !isCursorError(err) {
			t.Errorf("meetings from %+v: %v, want a CursorError", c, err)
		}
	}
	for _, c := range []Cursor{{Sort: meetingSort, ID: 1}, {Sort: deadlineSort, Key: "igår", ID: 1}} {
		if _, err := s.UserDeadlinePage(ctx, DeadlineFilter{Responsible: p.officer.ID, Cursor: &c}); !isCursorError(err) {
			t.Errorf("deadlines from %+v: %v, want a CursorError", c, err)
		}
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// meetingsWhereBefore is the meetings list as it was read before migration
// 0009: joined to the body and sorted on its code.
func (s *Store) meetingsWhereBefore(ctx context.Context, f MeetingFilter) ([]workflow.Meeting, error) {
	var where []string
	var args []any
	if f.Body != "" {
		where, args = append(where, "bodies.code = ?"), append(args, f.Body)
	}
	if !f.From.IsZero() {
		where, args = append(where, "meetings.date >= ?"), append(args, f.From.String())
	}
	if !f.To.IsZero() {
		where, args = append(where, "meetings.date <= ?"), append(args, f.To.String())
	}
	if f.Bodies != nil {
		where = append(where, "meetings.body_id IN (?"+strings.Repeat(",?", len(f.Bodies)-1)+")")
		for _, id := range f.Bodies {
			args = append(args, id)
		}
	}
	cond := "TRUE"
	if len(where) > 0 {
		cond = strings.Join(where, " AND ")
	}
	return meetingsWhere(ctx, s.r, cond+` ORDER BY meetings.date, bodies.code LIMIT ?`, append(args, MaxMeetings)...)
}
