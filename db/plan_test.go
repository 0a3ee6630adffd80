package db

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/workflow"
)

// explainer reads as the store does, but first asks SQLite how it will run
// each query (EXPLAIN QUERY PLAN) and keeps the answer.
type explainer struct {
	q     queryer
	t     *testing.T
	plans []queryPlan
}

// queryPlan is one query and how SQLite runs it, one line per step.
type queryPlan struct {
	sql   string
	steps []string
}

func (e *explainer) explain(ctx context.Context, query string, args []any) {
	e.t.Helper()
	rows, err := e.q.QueryContext(ctx, "EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		e.t.Fatalf("EXPLAIN %s: %v", query, err)
	}
	defer rows.Close()
	p := queryPlan{sql: query}
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			e.t.Fatal(err)
		}
		p.steps = append(p.steps, detail)
	}
	e.plans = append(e.plans, p)
}

func (e *explainer) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	e.t.Fatalf("a list writes: %s", query)
	return nil, nil
}

func (e *explainer) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	e.explain(ctx, query, args)
	return e.q.QueryContext(ctx, query, args...)
}

func (e *explainer) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	e.explain(ctx, query, args)
	return e.q.QueryRowContext(ctx, query, args...)
}

// largeTables are the tables that grow with the database; a list may read
// them only through an index, in order. The small ones (boards, bodies,
// users and their roles) are read whole where that is the plan.
var largeTables = map[string]bool{"cases": true, "route_steps": true, "case_approvers": true, "events": true,
	"deadlines": true, "reminders": true, "outbox": true, "outbox_attachments": true, "meetings": true,
	"agenda_items": true, "decisions": true, "attachments": true,
	// aliases the list queries give them
	"c": true, "rs": true, "ca": true, "d": true, "r": true, "o": true, "a": true, "mt": true}

var planTable = regexp.MustCompile(`^(SCAN|SEARCH) (\S+)`)

// checkPlans fails on a plan step that sorts (a temp B-tree, for ORDER BY or
// anything else) or that reads a large table other than by an index. When
// the request filters on a value an index leads with (pinned), every read of
// a large table must be a SEARCH, not a walk from the start; from a cursor
// (fromCursor), every read of the page too (the count reads from the start
// of the filter). rowidOrder allows a walk in rowid order, which stops at the
// page as an index walk does.
func checkPlans(t *testing.T, name string, plans []queryPlan, pinned, fromCursor, rowidOrder bool) {
	t.Helper()
	for _, p := range plans {
		pinned := pinned || (fromCursor && !strings.HasPrefix(p.sql, "SELECT COUNT(*) FROM (SELECT 1 "))
		// The one sort allowed: an officer's open cases by id (the start
		// page's undated ones), which a walk of the officer's date index
		// would find only among all the cases they ever closed.
		officersOpen := slices.Contains(p.steps, "SEARCH cases USING INDEX cases_officer_stage (officer_id=? AND stage_rank<?)")
		for _, step := range p.steps {
			bad := ""
			m := planTable.FindStringSubmatch(step)
			switch {
			case step == "USE TEMP B-TREE FOR LAST TERM OF ORDER BY" && officersOpen:
			case strings.Contains(step, "TEMP B-TREE"):
				bad = "sorts"
			case m == nil || !largeTables[m[2]]:
			case m[1] == "SCAN" && pinned:
				bad = "walks a large table from its start although the request pins an index"
			case m[1] == "SCAN" && !strings.Contains(step, " USING ") && !rowidOrder:
				bad = "reads a large table without an index"
			}
			if bad != "" {
				t.Errorf("%s: %s: %q in the plan of\n%s\n%s", name, bad, step, p.sql, strings.Join(p.steps, "\n"))
			}
		}
	}
}

// TestListPlans reads every list with every filter, sort and direction the
// pages and the API offer (the free-text q aside: search.go's), on the first
// page, a page by number, from a cursor either way, and the last page, and
// checks how SQLite runs each of its queries (checkPlans).
func TestListPlans(t *testing.T) {
	sqliteOnly(t, "SQLite's query plans (EXPLAIN QUERY PLAN)")
	s, p, _ := secretListFixture(t)
	ctx := context.Background()
	var id int64
	keys := map[string]string{}
	var number, updated, date string
	var stage int64
	if err := s.r.QueryRow(`SELECT id, number_key, stage_rank, updated_at, next_date FROM cases WHERE next_date <> '' LIMIT 1`).
		Scan(&id, &number, &stage, &updated, &date); err != nil {
		t.Fatal(err)
	}
	keys["number"], keys["stage"], keys["updated"], keys["date"] = number, fmt.Sprint(stage), updated, date
	undated := map[string]string{"date": ""}
	for who, viewer := range listViewers(p) {
		if who == "KS" {
			continue // plans as "ASN"
		}
		for _, base := range listFilters(p) {
			if base.Query != "" {
				continue
			}
			pinned := base.Stage != "" || base.Board != "" || base.OfficerID != 0
			for _, sort := range listSorts[:5] {
				for _, desc := range []bool{false, true} {
					cursors := map[string]*Cursor{
						"next": {Sort: sort, Desc: desc, Key: keys[sort], ID: id},
						"prev": {Sort: sort, Desc: desc, Key: keys[sort], ID: id, Back: true},
						"last": {Sort: sort, Desc: desc, Back: true},
					}
					if k, ok := undated[sort]; ok {
						cursors["next undated"] = &Cursor{Sort: sort, Desc: desc, Key: k, ID: id}
						cursors["prev undated"] = &Cursor{Sort: sort, Desc: desc, Key: k, ID: id, Back: true}
					}
					for how, c := range map[string]*Cursor{"first page": nil, "page 3": nil, "next": cursors["next"],
						"prev": cursors["prev"], "last": cursors["last"], "next undated": cursors["next undated"],
						"prev undated": cursors["prev undated"]} {
						if strings.HasSuffix(how, "undated") && c == nil {
							continue
						}
						f := base
						f.Viewer, f.Sort, f.Desc, f.PerPage, f.Cursor = viewer, sort, desc, 2, c
						if how == "page 3" {
							f.Page = 3
						}
						e := &explainer{q: s.r, t: t}
						if _, err := s.cases(ctx, e, f); err != nil {
							t.Fatalf("%s %+v: %v", who, f, err)
						}
						name := fmt.Sprintf("cases as %s, %+v, sort %s desc %v, %s", who, base, sort, desc, how)
						checkPlans(t, name, e.plans, pinned, c != nil && c.ID != 0, false)
					}
				}
			}
		}
	}
}

// listWindows are the ways a page of a list is asked for: first page, a page
// by number, from a cursor either way, and the last page.
var listWindows = []string{"first page", "page 3", "next", "prev", "last"}

// windowOf is how a test asks for one of listWindows: a page number and a
// cursor of the list's sort placed at key and id.
func windowOf(how, sort string, desc bool, key string, id int64) (int, *Cursor) {
	switch how {
	case "page 3":
		return 3, nil
	case "next":
		return 0, &Cursor{Sort: sort, Desc: desc, Key: key, ID: id}
	case "prev":
		return 0, &Cursor{Sort: sort, Desc: desc, Key: key, ID: id, Back: true}
	case "last":
		return 0, &Cursor{Sort: sort, Desc: desc, Back: true}
	}
	return 1, nil
}

// The diary and the outbox: every filter, every way to a page.
func TestDiaryAndOutboxPlans(t *testing.T) {
	sqliteOnly(t, "SQLite's query plans (EXPLAIN QUERY PLAN)")
	s, _, _ := secretListFixture(t)
	ctx := context.Background()
	var created string
	var id int64
	if err := s.r.QueryRow(`SELECT id, created_at FROM cases LIMIT 1`).Scan(&id, &created); err != nil {
		t.Fatal(err)
	}
	for _, f := range diaryFilters {
		if f.Query != "" {
			continue // the free-text search is search.go's
		}
		for _, how := range listWindows {
			f := f
			f.PerPage = 2
			f.Page, f.Cursor = windowOf(how, diarySort, true, created, id)
			e := &explainer{q: s.r, t: t}
			if _, err := s.diary(ctx, e, f); err != nil {
				t.Fatalf("%+v: %v", f, err)
			}
			checkPlans(t, fmt.Sprintf("diary %+v, %s", f, how), e.plans, f.Board != "" || f.Year != 0, f.Cursor != nil && f.Cursor.ID != 0, false)
		}
	}
	e := &explainer{q: s.r, t: t}
	years, err := diaryYears(ctx, e)
	if err != nil || !slices.Equal(years, []int{2026}) {
		t.Errorf("the diary's years: %v, %v", years, err)
	}
	checkPlans(t, "the diary's years", e.plans, true, false, false)
	for _, state := range []string{"", MailQueued, MailSent, MailFailed} {
		for _, how := range listWindows {
			f := OutboxFilter{State: state, PerPage: 2}
			f.Page, f.Cursor = windowOf(how, outboxSort, true, "", 3)
			e := &explainer{q: s.r, t: t}
			if _, err := s.outbox(ctx, e, f); err != nil {
				t.Fatalf("%+v: %v", f, err)
			}
			checkPlans(t, fmt.Sprintf("outbox %q, %s", state, how), e.plans, state != "", f.Cursor != nil && f.Cursor.ID != 0, true)
		}
	}
}

// The meetings list and a person's bevakningar: every filter, every way to
// a page.
func TestMeetingAndDeadlinePlans(t *testing.T) {
	sqliteOnly(t, "SQLite's query plans (EXPLAIN QUERY PLAN)")
	s, p, _ := secretListFixture(t)
	ctx := context.Background()
	for _, f := range meetingFilters(s, t) {
		for _, how := range listWindows {
			if how == "page 3" {
				continue // by cursor only
			}
			f := f
			f.Limit = 2
			_, f.Cursor = windowOf(how, meetingSort, false, "", 1)
			e := &explainer{q: s.r, t: t}
			if _, err := s.meetingPage(ctx, e, f); err != nil {
				t.Fatalf("%+v: %v", f, err)
			}
			checkPlans(t, fmt.Sprintf("meetings %+v, %s", f, how), e.plans, f.Body != "" || !f.From.IsZero() || !f.To.IsZero(),
				f.Cursor != nil && f.Cursor.ID != 0, false)
		}
	}
	for _, until := range []string{"", "2026-03-20"} {
		for _, how := range listWindows {
			f := DeadlineFilter{Responsible: p.officer.ID, PerPage: 2}
			if until != "" {
				f.Until = workflow.MustDate(until)
			}
			f.Page, f.Cursor = windowOf(how, deadlineSort, false, "2026-03-06", 1)
			e := &explainer{q: s.r, t: t}
			if _, err := s.userDeadlinePage(ctx, e, f); err != nil {
				t.Fatalf("%+v: %v", f, err)
			}
			checkPlans(t, fmt.Sprintf("deadlines until %q, %s", until, how), e.plans, true, f.Cursor != nil && f.Cursor.ID != 0, false)
		}
	}
}

// The start page's queries read open cases only: each read of cases is
// bounded by the open stages (stage_rank) within its index, so the page
// costs what is open, not what a board has held over the years.
func TestStartPagePlans(t *testing.T) {
	sqliteOnly(t, "SQLite's query plans (EXPLAIN QUERY PLAN)")
	s, p, _ := secretListFixture(t)
	ctx := context.Background()
	e := &explainer{q: s.r, t: t}
	for _, u := range []workflow.User{p.officer, p.secretary, p.approver1} {
		if _, _, err := casesInvolving(ctx, e, u.ID, 100); err != nil {
			t.Fatal(err)
		}
		if _, err := undispatchedCases(ctx, e, u.ID, MaxDispatchTasks); err != nil {
			t.Fatal(err)
		}
		for _, officer := range []int64{0, u.ID} {
			if _, err := openCasesByStage(ctx, e, officer); err != nil {
				t.Fatal(err)
			}
		}
		// "Mina ärenden": the officer's open cases by date.
		if _, err := s.cases(ctx, e, CaseFilter{Viewer: &u, OfficerID: u.ID, OpenOnly: true, Sort: "date", PerPage: MaxPerPage}); err != nil {
			t.Fatal(err)
		}
	}
	for _, pl := range e.plans {
		for _, step := range pl.steps {
			m := planTable.FindStringSubmatch(step)
			if m == nil || m[2] != "cases" {
				continue
			}
			// One case by its key is fine; anything wider must be bounded
			// by the stage.
			// (The constraint is in the parentheses; an index's name may
			// say "stage" without its walk being bounded by it.)
			bound := step[strings.LastIndex(step, "(")+1:]
			one := bound == "number=?)" || bound == "rowid=?)"
			// A closed case has no date: the dated ones are open.
			dated := strings.HasSuffix(bound, "next_date>?)")
			if m[1] == "SCAN" || !strings.Contains(step, "(") || !(one || dated || strings.Contains(bound, "stage")) {
				t.Errorf("%s\nreads cases beyond the open ones: %s", pl.sql, step)
			}
		}
	}
	if len(e.plans) == 0 {
		t.Fatal("no plans")
	}
}

// The admin page's recipients without an address are read from the open
// cases, not from every recipient ever named; and they are found.
func TestMailGapPlan(t *testing.T) {
	sqliteOnly(t, "SQLite's query plans (EXPLAIN QUERY PLAN)")
	s := mustOpen(t)
	p := mustOrg(t, s)
	in := caseInput(p, "Internationell redovisning 2019")
	in.Recipients = []workflow.Recipient{{Name: "Ekonomienheten"}}
	c, err := s.CreateCase(context.Background(), in, p.officer)
	if err != nil {
		t.Fatal(err)
	}
	gaps, err := s.MailGaps(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, g := range gaps {
		found = found || (g.Kind == "recipient_without_address" && g.Name == "Ekonomienheten")
	}
	if !found {
		t.Errorf("MailGaps = %+v, want Ekonomienheten on %s", gaps, c.Number)
	}
	e := &explainer{q: s.r, t: t}
	rows, err := e.QueryContext(context.Background(), recipientsWithoutAddress)
	if err != nil {
		t.Fatal(err)
	}
	rows.Close()
	plan := strings.Join(e.plans[0].steps, "\n")
	if !strings.Contains(plan, "SEARCH c USING INDEX cases_list_stage (stage_rank<?)") || strings.Contains(plan, "SCAN") {
		t.Errorf("plan:\n%s", plan)
	}
}

// What every action and every metrics scrape read does not grow with the
// database: the board's secretaries (each action's workflow.Env) come from
// the board's end of user_roles, not a walk over every user; the scrape
// reads the queued and failed mail and the due reminders from their
// indexes, never the history of sent mail.
func TestActionAndScrapePlans(t *testing.T) {
	sqliteOnly(t, "SQLite's query plans (EXPLAIN QUERY PLAN)")
	s, _, _ := secretListFixture(t)
	ctx := context.Background()
	e := &explainer{q: s.r, t: t}
	secretaries, err := staff(ctx, e, "ASN", workflow.RoleSecretary)
	if err != nil || len(secretaries) == 0 {
		t.Fatalf("ASN's secretaries: %v, %v", secretaries, err)
	}
	if _, err := opsStats(ctx, e, s.Now()); err != nil {
		t.Fatal(err)
	}
	for _, p := range e.plans {
		for _, step := range p.steps {
			if strings.Contains(step, "TEMP B-TREE") || strings.HasPrefix(step, "SCAN") {
				t.Errorf("%q in the plan of\n%s\n%s", step, p.sql, strings.Join(p.steps, "\n"))
			}
		}
	}
}

// A page of search results gets its snippets from its own rows' texts, by
// rowid: not from FTS5's snippet(), whose MATCH reads every match of the
// query before it keeps the page's rows.
func TestSnippetPlan(t *testing.T) {
	sqliteOnly(t, "SQLite's query plans (EXPLAIN QUERY PLAN)")
	if !FullTextSearch {
		t.Skip("the full-text index needs -tags sqlite_fts5 (as CI runs)")
	}
	s, _, _ := secretListFixture(t)
	ctx := context.Background()
	sq := parseSearch("redovisning")
	rids, err := ids(ctx, s.r, `SELECT rowid FROM search_open_words WHERE search_open_words MATCH ? LIMIT 3`, sq.words)
	if err != nil {
		t.Fatal(err)
	}
	var hits []searchHit
	for _, rid := range rids {
		hits = append(hits, searchHit{rid: rid})
	}
	if len(hits) == 0 {
		t.Fatal("no case of the fixture mentions redovisning")
	}
	e := &explainer{q: s.r, t: t}
	snips, err := s.ftsSnippetsOf(ctx, e, &sq, hits)
	if err != nil || len(snips) != len(hits) {
		t.Fatalf("%d snippets for %d hits: %v", len(snips), len(hits), err)
	}
	for _, p := range e.plans {
		for _, step := range p.steps {
			if strings.Contains(step, "VIRTUAL TABLE") || !strings.HasPrefix(step, "SEARCH") {
				t.Errorf("%q in the plan of\n%s", step, p.sql)
			}
		}
	}
}

// The anslagstavla as it stands today (not its archive) reads the meetings
// posted in its window, the kungörelser ahead and the notices still up
// through an index range: it does not grow with the meetings and notices of
// earlier years, and asks only about their own meetings whether the
// protokoll is published. (Sorting what the window holds is fine.)
func TestAnslagstavlaPlans(t *testing.T) {
	sqliteOnly(t, "SQLite's query plans (EXPLAIN QUERY PLAN)")
	s, _, _ := secretListFixture(t)
	ctx := context.Background()
	today := workflow.Today(s.Now())
	e := &explainer{q: s.r, t: t}
	notices, err := readNotices(ctx, e, today.AddDays(-noticeWindow), today, today)
	if err != nil {
		t.Fatal(err)
	}
	// Which of them link to a published protokoll: their own meetings only.
	notices = append(notices, workflow.Notice{MeetingID: 1})
	if _, err := publishedMeetingIDs(ctx, e, notices); err != nil {
		t.Fatal(err)
	}
	for _, p := range e.plans {
		for _, step := range p.steps {
			if strings.HasPrefix(step, "SCAN meetings") || strings.HasPrefix(step, "SCAN notices") || strings.HasPrefix(step, "SCAN protokoll_publications") {
				t.Errorf("%q in the plan of\n%s\n%s", step, p.sql, strings.Join(p.steps, "\n"))
			}
		}
	}
}

// The known recipients' addresses are read name by name through the index
// on (name, case_id, pos), never by a walk over every recipient of every case.
func TestKnownRecipientsPlan(t *testing.T) {
	sqliteOnly(t, "SQLite's query plans (EXPLAIN QUERY PLAN)")
	s, _, _ := secretListFixture(t)
	e := &explainer{q: s.r, t: t}
	known, err := knownRecipients(context.Background(), e)
	if err != nil || len(known) == 0 {
		t.Fatalf("known recipients %v, %v", known, err)
	}
	for _, p := range e.plans {
		for _, step := range p.steps {
			if strings.Contains(step, "TEMP B-TREE") || strings.HasPrefix(step, "SCAN case_recipients") || strings.HasPrefix(step, "SCAN r") ||
				strings.HasPrefix(step, "SCAN c") {
				t.Errorf("%q in the plan of\n%s\n%s", step, p.sql, strings.Join(p.steps, "\n"))
			}
		}
	}
}

// Whether a viewer signs a case off is looked up per case, by the primary
// key of case_approvers: never by walking all of the viewer's sign-offs,
// which grow with the database (a manager had 153,000 at 1,000,000 cases,
// and a list page read them for every row). Read as every viewer, including
// a manager who signs cases off, through the list with every filter, the
// search and the start page.
func TestSignOffLookupPlans(t *testing.T) {
	sqliteOnly(t, "SQLite's query plans (EXPLAIN QUERY PLAN)")
	s, p, _ := secretListFixture(t)
	ctx := context.Background()
	e := &explainer{q: s.r, t: t}
	viewers := listViewers(p)
	viewers["manager"] = &p.approver1
	for who, viewer := range viewers {
		for _, f := range listFilters(p) {
			f.Viewer = viewer
			if _, err := s.cases(ctx, e, f); err != nil {
				t.Fatalf("%s %+v: %v", who, f, err)
			}
		}
		if viewer != nil {
			if _, _, err := casesInvolving(ctx, e, viewer.ID, 100); err != nil {
				t.Fatal(err)
			}
		}
	}
	looked := 0
	for _, pl := range e.plans {
		for _, step := range pl.steps {
			m := planTable.FindStringSubmatch(step)
			if m == nil || (m[2] != "case_approvers" && m[2] != "ca") {
				continue
			}
			looked++
			if m[1] != "SEARCH" || !strings.Contains(step, "(case_id=?") {
				t.Errorf("sign-offs read other than by case: %q in the plan of\n%s\n%s", step, pl.sql, strings.Join(pl.steps, "\n"))
			}
		}
	}
	if looked == 0 {
		t.Fatal("no plan reads case_approvers")
	}
}

// A person's reminders are read from their open deadlines and those closed
// since the cutoff, and the admin page's reminders shown in the service only
// from their own index: neither grows with the deadlines and reminders of
// the past (a secretary had 41,000 deadlines at 100,000 cases).
func TestReminderListPlans(t *testing.T) {
	sqliteOnly(t, "SQLite's query plans (EXPLAIN QUERY PLAN)")
	s, p, _ := secretListFixture(t)
	ctx := context.Background()
	e := &explainer{q: s.r, t: t}
	since := fmtTime(s.Now().Add(-14 * 24 * time.Hour))
	for _, channel := range []string{"", "ui"} {
		rows, err := e.QueryContext(ctx, userRemindersSQL, p.secretary.ID, since, channel)
		if err != nil {
			t.Fatal(err)
		}
		rows.Close()
	}
	rows, err := e.QueryContext(ctx, remindersInUIOnly, since)
	if err != nil {
		t.Fatal(err)
	}
	rows.Close()
	for _, pl := range e.plans {
		for _, step := range pl.steps {
			m := planTable.FindStringSubmatch(step)
			if m == nil {
				continue
			}
			bad := m[1] == "SCAN" && largeTables[m[2]]
			if m[2] == "deadlines" {
				// Each branch bounded by the state or the closing time, not
				// every deadline the person ever had.
				bad = bad || !strings.Contains(step, "state=?") && !strings.Contains(step, "closed_at>?")
			}
			if m[2] == "r" && strings.Contains(pl.sql, "visades bara") {
				bad = bad || !strings.Contains(step, "reminders_ui_sent")
			}
			if bad {
				t.Errorf("%q in the plan of\n%s\n%s", step, pl.sql, strings.Join(pl.steps, "\n"))
			}
		}
	}
}

// oparlPlanFixture is secretListFixture with the OParl scopes a plan test
// walks (all, a board's organs, the council) and a time just before now.
func oparlPlanFixture(t *testing.T) (*Store, []OParlScope, time.Time) {
	t.Helper()
	s, _, _ := secretListFixture(t)
	var board, council int64
	if err := s.r.QueryRow(`SELECT id FROM boards WHERE code = 'ASN'`).Scan(&board); err != nil {
		t.Fatal(err)
	}
	if err := s.r.QueryRow(`SELECT id FROM bodies WHERE code = 'KS'`).Scan(&council); err != nil {
		t.Fatal(err)
	}
	return s, []OParlScope{{}, {Board: board}, {Council: council}}, s.Now().Add(-time.Hour)
}

// Each OParl list walks its table in obj_id order and stops at the page,
// whatever the scope (a board's organs, the council, all): read by organ
// and sorted, a page of the public meeting list took over 5 seconds at
// 1,000,000 cases, and a page of agenda items 0.9 s.
func TestOParlListPlans(t *testing.T) {
	sqliteOnly(t, "SQLite's query plans (EXPLAIN QUERY PLAN)")
	s, scopes, since := oparlPlanFixture(t)
	ctx := context.Background()
	discard := func(*sql.Rows) error { return nil }
	for _, sc := range scopes {
		for _, f := range []OParlFilter{{Limit: 20}, {Limit: 20, After: 1001}, {Limit: 20, ModifiedSince: since}} {
			e := &explainer{q: s.r, t: t}
			organs, organArgs := sc.organCond("meetings.body_id")
			for _, which := range []string{OParlAllMeetings, OParlPublishedOnly, OParlWithPlace, OParlNoticedItems} {
				if _, err := s.oparlPage(ctx, e, byObjID, oparlMeetingSelect+organs+which, organArgs, f, discard); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := s.oparlPage(ctx, e, byObjID, oparlItemSelect(oparlMeetingModified)+organs, organArgs, f, discard); err != nil {
				t.Fatal(err)
			}
			steps, stepArgs := sc.organCond("rs.body_id")
			if _, err := s.oparlPage(ctx, e, byCaseStep, oparlStepSelect+steps, stepArgs, f, discard); err != nil {
				t.Fatal(err)
			}
			papers, paperArgs := sc.paperCond()
			if _, err := s.oparlPage(ctx, e, byObjID, oparlCaseSelect+papers, paperArgs, f, discard); err != nil {
				t.Fatal(err)
			}
			for _, pl := range e.plans {
				for _, step := range pl.steps {
					if strings.Contains(step, "TEMP B-TREE") {
						t.Errorf("scope %+v, %+v: %q in the plan of\n%s\n%s", sc, f, step, pl.sql, strings.Join(pl.steps, "\n"))
					}
				}
			}
		}
	}
}

// greatest names each expression once: a meeting's time of change is the
// greatest of five, three of them subqueries over its agenda, and nested
// CASEs ran the first of them eight times for each meeting.
func TestGreatestReadsEachOnce(t *testing.T) {
	exprs := []string{"(SELECT 1)", "(SELECT 2)", "(SELECT 3)", "(SELECT 4)", "(SELECT 5)"}
	sql := greatest(exprs...)
	for _, e := range exprs {
		if n := strings.Count(sql, e); n != 1 {
			t.Errorf("%s is %d times in %s", e, n, sql)
		}
	}
	s := mustOpen(t)
	var got string
	if err := s.r.QueryRow(`SELECT ` + greatest("'2026-01-02'", "'2026-03-01'", "''", "'2025-12-31'")).Scan(&got); err != nil || got != "2026-03-01" {
		t.Errorf("greatest = %q, %v; want 2026-03-01", got, err)
	}
}
