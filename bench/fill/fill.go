// Package fill fills a new database with a generated municipality: boards,
// bodies, staff and politicians, a weekly calendar of meetings, and any number
// of cases living their whole lives (report, sign-off, meetings, decisions
// with paragraphs, justering, anslag, dispatch, laga kraft; some rejected,
// tabled, sent back or withdrawn; a share secret), registered evenly over
// the years up to a given moment. Every case goes through the workflow
// package as the service would take it and is written through the store's
// bulk path (db.BulkLoader), so the database is what years of use would
// leave: verify passes, numbers have no gaps, deadlines and reminders are
// where the service would have them.
//
// The same options give the same database (apart from the bench logins'
// password hashes).
package fill

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"time"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/workflow"
)

// Options say what to generate.
type Options struct {
	Cases int // how many cases
	// Years is how many years before AsOf the cases are spread over; 0 means 8.
	Years int
	// AsOf is the moment the history runs up to; zero means now. Cases
	// registered in its last weeks are still on their way.
	AsOf time.Time
	Seed uint64 // 0 means 1
	// Fixtures adds the load tool's cases (see Fixtures).
	Fixtures bool
	// BatchCases is the cases per transaction; 0 means the loader's default.
	BatchCases int
	// Progress, when set, is called now and then with the cases written so far.
	Progress func(written int)
	// IndexProgress, when set, follows the building of the search index.
	IndexProgress func(done, total int)
	// NoIndex leaves the search index stale (the service's next Open builds it).
	NoIndex bool
}

// Stats say what was generated.
type Stats struct {
	Cases    int
	Meetings int
	Rows     map[string]int // per table
	Fixtures Fixtures
	Written  time.Duration // writing the cases and meetings
	Indexed  time.Duration // building the search index (0 in a build without it)
}

// Run fills s, which must be a new database (no boards yet).
func Run(ctx context.Context, s *db.Store, opt Options) (Stats, error) {
	var st Stats
	start := time.Now()
	if opt.Cases < 0 {
		return st, errors.New("antalet ärenden kan inte vara negativt")
	}
	if boards, err := s.Boards(ctx); err != nil {
		return st, err
	} else if len(boards) > 0 {
		return st, fmt.Errorf("databasen %s har redan nämnder; fyll en ny databas", s.Path())
	}
	if opt.Years <= 0 {
		opt.Years = 8
	}
	if opt.Seed == 0 {
		opt.Seed = 1
	}
	if opt.AsOf.IsZero() {
		opt.AsOf = time.Now()
	}
	asOf := opt.AsOf.UTC().Truncate(time.Minute)
	today := workflow.Today(asOf)
	from := today.AddDays(-365 * opt.Years)
	o, err := makeOrg(ctx, s, opt.Seed, from.AddDays(-60).At(9, 0))
	if err != nil {
		return st, fmt.Errorf("organisationen: %w", err)
	}
	// The calendar reaches half a year past asOf: far enough for the route
	// of a case registered (or reworked) on asOf's day.
	meetings := planCalendar(o, from, today.AddDays(200), asOf)
	p := &planner{o: o, cals: map[int64]*bodyCal{}, seed: opt.Seed, n: opt.Cases, asOf: asOf, files: attachmentFiles(opt.Seed, 300)}
	for _, b := range o.boards {
		for _, bc := range b.bodies {
			p.cals[bc.body.ID] = bc
		}
	}
	// Cases are registered on the work days up to the day before asOf,
	// so that even the last is registered before it.
	for d := from; d.Before(today); d = d.AddDays(1) {
		if workflow.IsWorkday(d) {
			p.workdays = append(p.workdays, d)
		}
	}
	// Counting pass: how many decisions each meeting records, so each gets
	// its paragraphs, numbered through its body's year in meeting order,
	// and the rank of each case's decisions at its meetings.
	rankAt := make([]int32, opt.Cases+1)
	var ranks []int32
	for i := range opt.Cases {
		for _, a := range p.plan(i).sorted() {
			if !happened(a, asOf) {
				break
			}
			if a.kind == actDecide {
				ranks = append(ranks, int32(a.m.count))
				a.m.count++
			}
		}
		rankAt[i+1] = int32(len(ranks))
	}
	for _, b := range o.boards {
		for _, bc := range b.bodies {
			n, year := 0, 0
			for _, m := range bc.meetings {
				if m.date.Year != year {
					n, year = 0, m.date.Year
				}
				m.base = n
				n += m.count
			}
		}
	}
	l, err := s.NewBulkLoader(ctx, db.BulkOptions{AsOf: asOf, BatchCases: opt.BatchCases})
	if err != nil {
		return st, err
	}
	defer l.Close()
	for _, m := range meetings {
		bm := m.bulk(asOf)
		if err := l.AddMeeting(bm); err != nil {
			return st, err
		}
		if bm.Meeting.ID != m.id {
			return st, fmt.Errorf("sammanträdet %s %s fick id %d, väntat %d", m.cal.body.Code, m.date, bm.Meeting.ID, m.id)
		}
	}
	st.Meetings = len(meetings)
	// Writing pass: workers live the cases through the workflow, in any
	// order; one goroutine takes them in order and prepares their rows
	// (which numbers them); this one writes.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers := max(1, runtime.GOMAXPROCS(0))
	lived := make([]chan *db.BulkCase, workers)
	failed := make(chan error, workers+1)
	for w := range workers {
		lived[w] = make(chan *db.BulkCase, 64)
		go func() {
			defer close(lived[w])
			for i := w; i < opt.Cases; i += workers {
				bc, err := p.live(p.plan(i), l, ranks[rankAt[i]:rankAt[i+1]])
				if err != nil {
					failed <- err
					return
				}
				select {
				case lived[w] <- bc:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	prepared := make(chan *db.BulkCase, 256)
	go func() {
		defer close(prepared)
		for i := range opt.Cases {
			bc, ok := <-lived[i%workers]
			if !ok {
				return // its worker failed
			}
			if bc == nil {
				continue
			}
			if err := l.Prepare(bc); err != nil {
				failed <- err
				return
			}
			select {
			case prepared <- bc:
			case <-ctx.Done():
				return
			}
		}
	}()
	for bc := range prepared {
		if err := l.AddCase(bc); err != nil {
			return st, err
		}
		st.Cases++
		if opt.Progress != nil && st.Cases%10000 == 0 {
			opt.Progress(st.Cases)
		}
	}
	select {
	case err := <-failed:
		return st, err
	default:
	}
	if err := ctx.Err(); err != nil {
		return st, err
	}
	if opt.Fixtures {
		if st.Fixtures, err = addFixtures(ctx, s, p, l); err != nil {
			return st, fmt.Errorf("lasttestets ärenden: %w", err)
		}
	}
	st.Rows = l.Rows()
	if err := l.Close(); err != nil {
		return st, err
	}
	st.Written = time.Since(start)
	// The bulk path leaves the search index stale; build it now rather
	// than at the service's first Open.
	if db.FullTextSearch && !opt.NoIndex {
		start := time.Now()
		if err := s.Reindex(ctx, opt.IndexProgress); err != nil {
			return st, fmt.Errorf("sökindexet: %w", err)
		}
		st.Indexed = time.Since(start)
	}
	return st, nil
}
