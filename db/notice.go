package db

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/kommun/beslutsgang/workflow"
)

// The digital anslagstavla (Kommunallagen 2017:725, 8 kap. 9–12 §). Notices
// of justering and kungörelser are read from the meetings; other notices
// from the notices table. Whether a notice is up is computed from its dates
// and the store's clock (workflow.Notice.Up), so nothing has to run for a
// notice to come down. No case is read: a notice names a body and a
// meeting, never what the meeting decided.

// noticeWindow is how far back a notice of justering can have been posted
// and still be up: three weeks, moved past at most a few holidays.
const noticeWindow = 45

// Anslagstavla is the anslagstavla on a day: the notices up, each kind
// newest first, and, when asked for, the archive of those taken down.
type Anslagstavla struct {
	Today       workflow.Date
	Justering   []workflow.Notice // notices of justering
	Kungorelser []workflow.Notice // kungörelser of kommunfullmäktige's meetings
	Other       []workflow.Notice // other notices
	Archive     []workflow.Notice // taken down, the latest taken down first
	// Upcoming are the notices to go up after today, not withdrawn, the
	// next first: for the secretaries of their boards only
	// (workflow.Notice.SeenBy), never for the public.
	Upcoming []workflow.Notice
}

// Current is every notice up, in the order the page shows them.
func (a Anslagstavla) Current() []workflow.Notice {
	return slices.Concat(a.Justering, a.Kungorelser, a.Other)
}

// Anslagstavla reads the notices up today (by the store's clock): notices of
// justering until the appeal period of KL 13 kap. 5 § has run, kungörelser
// until their meeting day has passed (KL 5 kap. 59–61 §), other notices
// until their day or until a secretary took them down (KL 8 kap. 10 §).
// With archive it reads every notice that has come down as well. Upcoming
// holds the notices to go up later, whatever archive is; the caller shows
// them to the secretaries of their boards only. A notice withdrawn before it
// went up is in no list.
func (s *Store) Anslagstavla(ctx context.Context, archive bool) (Anslagstavla, error) {
	a := Anslagstavla{Today: workflow.Today(s.Now())}
	var all []workflow.Notice
	err := s.readTx(ctx, func(q queryer) error {
		var since, meetingsFrom, downAfter workflow.Date
		if !archive {
			since, meetingsFrom, downAfter = a.Today.AddDays(-noticeWindow), a.Today, a.Today
		}
		var err error
		all, err = readNotices(ctx, q, since, meetingsFrom, downAfter)
		return err
	})
	if err != nil {
		return a, err
	}
	for _, n := range all {
		switch {
		case n.Up(a.Today) && n.Kind == workflow.NoticeJustering:
			a.Justering = append(a.Justering, n)
		case n.Up(a.Today) && n.Kind == workflow.NoticeKungorelse:
			a.Kungorelser = append(a.Kungorelser, n)
		case n.Up(a.Today):
			a.Other = append(a.Other, n)
		case archive && n.Down(a.Today):
			a.Archive = append(a.Archive, n)
		case n.Scheduled(a.Today):
			a.Upcoming = append(a.Upcoming, n)
		}
	}
	newestPosted := func(x, y workflow.Notice) int {
		if c := y.PostedOn.Compare(x.PostedOn); c != 0 {
			return c
		}
		return strings.Compare(x.ID, y.ID)
	}
	slices.SortStableFunc(a.Justering, newestPosted)
	// Kungörelser by the meeting: the next meeting first.
	slices.SortStableFunc(a.Kungorelser, func(x, y workflow.Notice) int { return x.MeetingDate.Compare(y.MeetingDate) })
	slices.SortStableFunc(a.Other, newestPosted)
	slices.SortStableFunc(a.Upcoming, func(x, y workflow.Notice) int {
		if c := x.PostedOn.Compare(y.PostedOn); c != 0 {
			return c
		}
		return strings.Compare(x.ID, y.ID)
	})
	slices.SortStableFunc(a.Archive, func(x, y workflow.Notice) int {
		if c := y.TakenDownOn().Compare(x.TakenDownOn()); c != 0 {
			return c
		}
		return newestPosted(x, y)
	})
	return a, nil
}

// archiveTTL is how long AnslagArchive keeps the archive it read.
const archiveTTL = time.Minute

// noticeArchive is the anslagstavla's archive as last read (AnslagArchive).
type noticeArchive struct {
	mu    sync.Mutex
	today workflow.Date
	until time.Time
	list  []workflow.Notice
}

// AnslagArchive is the anslagstavla's archive today (by the store's clock):
// every notice taken down, the latest taken down first, as Anslagstavla's
// Archive. Reading it reads every meeting posted and every notice there has
// been (0.3 s at 100,000 generated cases and 15,758 meetings), so the list is
// kept for archiveTTL and read by one request at a time: an open page that
// anyone may ask for often costs that at most once a minute (issue 10). A
// notice this instance posts or takes down, or a meeting it changes, shows
// at once; another instance's within archiveTTL. The list is shared:
// callers do not change it.
func (s *Store) AnslagArchive(ctx context.Context) (workflow.Date, []workflow.Notice, error) {
	a := &s.noticeArchive
	a.mu.Lock()
	defer a.mu.Unlock()
	now := s.Now()
	today := workflow.Today(now)
	if a.list != nil && a.today == today && now.Before(a.until) {
		return today, a.list, nil
	}
	all, err := s.Anslagstavla(ctx, true)
	if err != nil {
		return today, nil, err
	}
	a.today, a.until, a.list = today, now.Add(archiveTTL), slices.Clip(all.Archive)
	if a.list == nil {
		a.list = []workflow.Notice{}
	}
	return today, a.list, nil
}

// forget drops the archive kept, after a change to the notices.
func (a *noticeArchive) forget() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.list = nil
}

// readNotices reads the notices of justering of meetings posted on or after
// since, the kungörelser of meetings on or after meetingsFrom and the other
// notices that come down after downAfter; zero dates read them all.
func readNotices(ctx context.Context, q queryer, since, meetingsFrom, downAfter workflow.Date) ([]workflow.Notice, error) {
	boards, err := boardsByCode(ctx, q)
	if err != nil {
		return nil, err
	}
	cond, args := `meetings.status = ?`, []any{workflow.MeetingPosted}
	if !since.IsZero() {
		cond, args = cond+` AND meetings.posted_on >= ?`, append(args, since.String())
	}
	posted, err := meetingsWhere(ctx, q, cond+` ORDER BY meetings.posted_on DESC, meetings.id DESC`, args...)
	if err != nil {
		return nil, err
	}
	cond, args = `bodies.kind = ? AND meetings.status <> ?`, []any{workflow.KindCouncil, workflow.MeetingPlanned}
	if !meetingsFrom.IsZero() {
		cond, args = cond+` AND meetings.date >= ?`, append(args, meetingsFrom.String())
	}
	council, err := meetingsWhere(ctx, q, cond+` ORDER BY meetings.date DESC, meetings.id DESC`, args...)
	if err != nil {
		return nil, err
	}
	var out []workflow.Notice
	for _, m := range posted {
		if n, ok := workflow.JusteringNotice(m, boards[m.Body.Board]); ok {
			out = append(out, n)
		}
	}
	for _, m := range council {
		if n, ok := workflow.Kungorelse(m, boards[m.Body.Board]); ok {
			out = append(out, n)
		}
	}
	cond, args = `TRUE`, nil
	if !downAfter.IsZero() {
		cond, args = `notices.down_on > ? AND notices.removed_at IS NULL`, []any{downAfter.String()}
	}
	other, err := storedNotices(ctx, q, cond+` ORDER BY notices.posted_on DESC, notices.id DESC`, args...)
	return append(out, other...), err
}

func boardsByCode(ctx context.Context, q queryer) (map[string]workflow.Board, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, code, name FROM boards`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]workflow.Board{}
	for rows.Next() {
		var b workflow.Board
		if err := rows.Scan(&b.ID, &b.Code, &b.Name); err != nil {
			return nil, err
		}
		out[b.Code] = b
	}
	return out, rows.Err()
}

const noticeCols = `notices.id, boards.id, boards.code, boards.name, notices.title, notices.text, notices.posted_on,
	notices.down_on, notices.created_by, notices.created_at, notices.removed_at, COALESCE(notices.removed_by, 0)`

const noticeFrom = ` FROM notices JOIN boards ON boards.id = notices.board_id `

func storedNotices(ctx context.Context, q queryer, cond string, args ...any) ([]workflow.Notice, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+noticeCols+noticeFrom+`WHERE `+cond, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []workflow.Notice
	for rows.Next() {
		n, err := scanNotice(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

func scanNotice(sc interface{ Scan(...any) error }) (workflow.Notice, error) {
	n := workflow.Notice{Kind: workflow.NoticeOther}
	var posted, down, created string
	var removed sql.NullString
	err := sc.Scan(&n.StoredID, &n.Board.ID, &n.Board.Code, &n.Board.Name, &n.Title, &n.Text, &posted, &down,
		&n.CreatedBy.ID, &created, &removed, &n.RemovedBy.ID)
	n.ID = workflow.StoredNoticeID(n.StoredID)
	n.PostedOn, n.DownOn, n.CreatedAt, n.RemovedAt = parseDate(posted), parseDate(down), parseTime(created), timePtr(removed)
	return n, err
}

func storedNotice(ctx context.Context, q queryer, id int64) (workflow.Notice, error) {
	n, err := scanNotice(q.QueryRowContext(ctx, `SELECT `+noticeCols+noticeFrom+`WHERE notices.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return n, notFound("Tillkännagivandet %s finns inte", workflow.StoredNoticeID(id))
	}
	return n, err
}

// AnslagNotice finds a notice by its stable id ("justering-12",
// "kungorelse-14", "notice-3"), up or taken down: a notice that was once on
// the anslagstavla keeps its address (Kommunallagen 2017:725, 8 kap. 9 §).
// A notice that never went up (not yet, or withdrawn before its day) is
// found only for a secretary of its board (workflow.Notice.SeenBy), and is
// not found for anyone else.
func (s *Store) AnslagNotice(ctx context.Context, id string, viewer workflow.User) (workflow.Notice, error) {
	missing := notFound("Det finns inget tillkännagivande %s på anslagstavlan", quote(id))
	kind, n, ok := workflow.ParseNoticeID(id)
	if !ok {
		return workflow.Notice{}, missing
	}
	var out workflow.Notice
	err := s.readTx(ctx, func(q queryer) error {
		if kind == workflow.NoticeOther {
			var err error
			out, err = storedNotice(ctx, q, n)
			if workflow.ErrorCode(err) == workflow.ENOTFOUND {
				return missing
			}
			return err
		}
		m, err := meetingByID(ctx, q, n)
		if workflow.ErrorCode(err) == workflow.ENOTFOUND {
			return missing
		}
		if err != nil {
			return err
		}
		board, err := boardByCode(ctx, q, m.Body.Board)
		if err != nil {
			return err
		}
		if kind == workflow.NoticeJustering {
			out, ok = workflow.JusteringNotice(m, board)
		} else {
			out, ok = workflow.Kungorelse(m, board)
		}
		if !ok {
			return missing
		}
		return nil
	})
	if err != nil {
		return workflow.Notice{}, err
	}
	if !out.SeenBy(viewer, workflow.Today(s.Now())) {
		return workflow.Notice{}, missing
	}
	return out, nil
}

// CreateNotice posts a notice on the anslagstavla for a board (Kommunallagen
// 2017:725, 8 kap. 10 §): the actor must be a secretary of the board; the
// rules of the fields are workflow.NewNotice's. Nothing is saved on an error.
func (s *Store) CreateNotice(ctx context.Context, actor workflow.User, in workflow.NoticeInput) (workflow.Notice, error) {
	var n workflow.Notice
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var board workflow.Board // zero: not chosen or not found, a problem NewNotice names
		if code := strings.TrimSpace(in.Board); code != "" {
			var err error
			if board, err = boardByCode(ctx, tx, code); workflow.ErrorCode(err) == workflow.ENOTFOUND {
				board = workflow.Board{}
			} else if err != nil {
				return err
			}
		}
		var err error
		if n, err = workflow.NewNotice(in, board, workflow.Env{Now: s.now(), Actor: actor}); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO notices(board_id, title, text, posted_on, down_on, created_by, created_at)
			VALUES (?,?,?,?,?,?,?) RETURNING id`, board.ID, n.Title, n.Text, n.PostedOn.String(), n.DownOn.String(),
			actor.ID, fmtTime(n.CreatedAt)).Scan(&n.StoredID); err != nil {
			return err
		}
		n.ID = workflow.StoredNoticeID(n.StoredID)
		return nil
	})
	if err == nil {
		s.noticeArchive.forget()
	}
	return n, err
}

// TakeDownNotice takes a notice a secretary posted off the anslagstavla
// before its day (Kommunallagen 2017:725, 8 kap. 10 §); it stays in the
// archive, marked as taken down. Notices of justering and kungörelser
// cannot be taken down (workflow.TakeDownNotice).
func (s *Store) TakeDownNotice(ctx context.Context, id string, actor workflow.User) (workflow.Notice, error) {
	var out workflow.Notice
	err := s.tx(ctx, func(tx *sql.Tx) error {
		kind, num, ok := workflow.ParseNoticeID(id)
		if !ok {
			return notFound("Det finns inget tillkännagivande %s på anslagstavlan", quote(id))
		}
		if kind != workflow.NoticeOther {
			_, err := workflow.TakeDownNotice(workflow.Notice{Kind: kind}, workflow.Env{Now: s.now(), Actor: actor})
			return err
		}
		n, err := storedNotice(ctx, tx, num)
		if err != nil {
			return err
		}
		if out, err = workflow.TakeDownNotice(n, workflow.Env{Now: s.now(), Actor: actor}); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE notices SET removed_at = ?, removed_by = ? WHERE id = ? AND removed_at IS NULL`,
			fmtTime(*out.RemovedAt), actor.ID, num)
		if err != nil {
			return err
		}
		if k, err := res.RowsAffected(); err != nil || k != 1 {
			return workflow.Errorf(workflow.ECONFLICT, "Meddelandet är redan nedtaget")
		}
		return nil
	})
	if err == nil {
		s.noticeArchive.forget()
	}
	return out, err
}
