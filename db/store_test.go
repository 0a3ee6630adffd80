package db

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/internal/pgtest"
	"github.com/kommun/beslutsgang/workflow"
	"golang.org/x/crypto/bcrypt"
)

// The tests' "now": Monday 2 March 2026, 09:00 in Stockholm. Route dates are
// after it, so drafts may be created and submitted without import rules.
var start = time.Date(2026, time.March, 2, 9, 0, 0, 0, workflow.Stockholm)

func TestMain(m *testing.M) {
	BcryptCost = bcrypt.MinCost // hashing stays real, only cheaper
	os.Exit(runOnEngines(m))
}

// testEngine is the engine this run of the package's tests uses: the test
// binary runs the suite on SQLite, then runs itself again on PostgreSQL
// (engines_test.go).
var testEngine = SQLite

// newDSN is a new, empty database of the test's engine: a file in
// t.TempDir(), or a fresh database on the test PostgreSQL server.
func newDSN(t testing.TB) string {
	t.Helper()
	if testEngine == PostgreSQL {
		return pgtest.DatabaseURL(t)
	}
	return filepath.Join(t.TempDir(), "beslutsgang.db")
}

// clock is a settable Store.Now, safe for the goroutines of a test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// mustOpen opens a fresh database file in t.TempDir(), with the clock fixed at
// start and mail composed into the outbox.
func mustOpen(t testing.TB) *Store {
	t.Helper()
	s, _ := mustOpenClock(t)
	return s
}

// mustOpenClock is mustOpen that also hands back the clock, to move it.
func mustOpenClock(t testing.TB) (*Store, *clock) {
	t.Helper()
	s, err := Open(newDSN(t))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	clk := &clock{t: start}
	s.Now = clk.Now
	s.Composer = mailComposer{}
	return s, clk
}

// mailComposer writes a plain message per notification, so the outbox shows
// which mail an action queued.
type mailComposer struct{}

func (mailComposer) Compose(c *workflow.Case, ev workflow.Event, n workflow.Notification) (Mail, error) {
	return Mail{To: n.To.Email, Subject: fmt.Sprintf("%s: %s", c.Number, n.Kind),
		Text: fmt.Sprintf("%s %s (%s)", ev.Action, c.Title, n.Reason)}, nil
}

// rawDB is a connection of its own to the store's database, for looking (and
// tampering) behind the store's back; it enforces foreign keys as the store
// does, and takes the store's placeholders on either engine.
func rawDB(t testing.TB, path string) *sql.DB {
	t.Helper()
	driver, dsn := "sqlite3", "file:"+path+"?_busy_timeout=10000&_foreign_keys=on"
	if EngineOf(path) == PostgreSQL {
		driver, dsn = pgDriver, path
	}
	d, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func count(t testing.TB, d *sql.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := d.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// queryText renders the rows of a query, one line each, every value as Go
// syntax, so two renderings are equal exactly when the rows are.
func queryText(t testing.TB, q *sql.DB, query string) string {
	t.Helper()
	rows, err := q.Query(query)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var b strings.Builder
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for _, v := range vals {
			if bs, ok := v.([]byte); ok {
				v = string(bs)
			}
			fmt.Fprintf(&b, "%#v|", v)
		}
		b.WriteByte('\n')
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// dump renders every row of every table, the schema included, so two dumps
// are equal exactly when nothing in the database changed.
func dump(t testing.TB, path string) string {
	t.Helper()
	if EngineOf(path) == PostgreSQL {
		return dumpPostgres(t, path)
	}
	d := rawDB(t, path)
	defer d.Close()
	tables := []string{"sqlite_master"}
	order := map[string]string{"sqlite_master": " ORDER BY rowid"}
	rows, err := d.Query(`SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name, sql string
		if err := rows.Scan(&name, &sql); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
		// A WITHOUT ROWID table (the search index's shadow tables) reads in
		// key order anyway.
		if !strings.Contains(sql, "WITHOUT ROWID") {
			order[name] = " ORDER BY rowid"
		}
	}
	rows.Close()
	var b strings.Builder
	for _, table := range tables {
		fmt.Fprintf(&b, "== %s\n", table)
		b.WriteString(queryText(t, d, `SELECT * FROM "`+table+`"`+order[table]))
	}
	return b.String()
}

// wantUnchanged fails when the database differs from the dump taken before.
func wantUnchanged(t testing.TB, s *Store, before string) {
	t.Helper()
	if after := dump(t, s.Path()); after != before {
		t.Errorf("the database changed:\n%s", firstDiff(before, after))
	}
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return fmt.Sprintf("line %d\nbefore: %s\nafter:  %s", i+1, x, y)
		}
	}
	return "(no line differs)"
}

// people are the users of the test organisation.
type people struct {
	officer, officer2, approver1, approver2, secretary, ksSecretary, outsider workflow.User
}

// mustOrg creates boards ASN and KS, their bodies and the people.
func mustOrg(t testing.TB, s *Store) people {
	t.Helper()
	ctx := context.Background()
	for _, b := range []workflow.Board{{Code: "ASN", Name: "Arbetsmarknads- och socialnämnden"}, {Code: "KS", Name: "Kommunstyrelsen"}} {
		if _, err := s.CreateBoard(ctx, b); err != nil {
			t.Fatalf("CreateBoard: %v", err)
		}
	}
	for _, b := range []workflow.Body{
		{Code: "ASN-PB", Name: "ASN presidieberedning", Kind: workflow.KindPresidium, Board: "ASN"},
		{Code: "ASN-AU", Name: "ASN arbetsutskott", Kind: workflow.KindWorkingCommittee, Board: "ASN"},
		{Code: "ASN", Name: "Arbetsmarknads- och socialnämnden", Kind: workflow.KindBoard, Board: "ASN"},
		{Code: "KS", Name: "Kommunstyrelsen", Kind: workflow.KindExecutiveBoard, Board: "KS"},
	} {
		if _, err := s.CreateBody(ctx, b); err != nil {
			t.Fatalf("CreateBody: %v", err)
		}
	}
	user := func(email, name, title string, grants ...workflow.Grant) workflow.User {
		u, err := s.CreateUser(ctx, NewUser{Email: email, Name: name, Title: title, Password: "rätt häst batteri", Grants: grants})
		if err != nil {
			t.Fatalf("CreateUser %s: %v", email, err)
		}
		return u
	}
	g := func(board string, role workflow.Role) workflow.Grant { return workflow.Grant{Board: board, Role: role} }
	return people{
		officer:     user("sara.lind@kommun.example", "Sara Lind", "Utredare", g("ASN", workflow.RoleOfficer), g("KS", workflow.RoleOfficer)),
		officer2:    user("omar.haddad@kommun.example", "Omar Haddad", "Utredare", g("ASN", workflow.RoleOfficer)),
		approver1:   user("jonas.magnusson@kommun.example", "Jonas Magnusson", "Enhetschef", g("ASN", workflow.RoleApprover), g("KS", workflow.RoleApprover)),
		approver2:   user("katarina.lindeberg@kommun.example", "Katarina Lindeberg", "Avdelningschef", g("ASN", workflow.RoleApprover)),
		secretary:   user("eva.nilsson@kommun.example", "Eva Nilsson", "Nämndsekreterare", g("ASN", workflow.RoleSecretary)),
		ksSecretary: user("lena.ek@kommun.example", "Lena Ek", "Kommunsekreterare", g("KS", workflow.RoleSecretary)),
		outsider:    user("nils.berg@kommun.example", "Nils Berg", ""),
	}
}

// Route dates of the test cases, after start.
var (
	datePB = workflow.MustDate("2026-03-20")
	dateAU = workflow.MustDate("2026-03-27")
	dateN  = workflow.MustDate("2026-04-16")
)

// caseInput is an ASN tjänsteskrivelse with the route presidium, AU, nämnd and
// then kommunstyrelsen (not yet dated), signed off by two approvers.
func caseInput(p people, title string) CaseInput {
	return CaseInput{
		Board:      "ASN",
		Title:      title,
		Summary:    "Arbetsmarknads- och socialnämnden har uppdragits av kommunstyrelsen att redovisa förvaltningens internationella arbete.",
		Proposals:  []string{"Nämnden föreslås besluta att godkänna redovisningen", "Nämnden skickar redovisningen till kommunstyrelsen"},
		Background: "Varje förvaltning har fått i uppdrag att göra en sammanställning.",
		Route: []StepInput{{Body: "ASN-PB", Date: datePB.String()}, {Body: "ASN-AU", Date: dateAU.String()},
			{Body: "ASN", Date: dateN.String()}, {Body: "KS"}},
		Approvers:  []ApproverInput{{Email: p.approver1.Email, Position: "Enhetschef"}, {Email: p.approver2.Email, Position: "Avdelningschef"}},
		Recipients: []workflow.Recipient{{Name: "Kommunstyrelsen", Email: "kommunstyrelsen@kommun.example"}},
	}
}

func mustCreate(t testing.TB, s *Store, p people, title string) workflow.Case {
	t.Helper()
	c, err := s.CreateCase(context.Background(), caseInput(p, title), p.officer)
	if err != nil {
		t.Fatalf("CreateCase: %v", err)
	}
	return c
}

// mustAct takes an action that has to succeed, on the case's current version.
func mustAct(t testing.TB, s *Store, number string, actor workflow.User, cmd workflow.Command) workflow.Case {
	t.Helper()
	c, err := s.Case(context.Background(), number)
	if err != nil {
		t.Fatalf("Case %s: %v", number, err)
	}
	cmd.Version = c.Version
	c, err = s.Act(context.Background(), number, actor, cmd)
	if err != nil {
		t.Fatalf("%s by %s on %s: %v", cmd.Action, actor.Name, number, err)
	}
	return c
}

// mustReach takes a new case to the given point of its route: "approval"
// (submitted), "presidium", "working_committee" or "board".
func mustReach(t testing.TB, s *Store, p people, number string, stage workflow.Stage) workflow.Case {
	t.Helper()
	c := mustAct(t, s, number, p.officer, workflow.Command{Action: workflow.ActSubmit})
	if stage == workflow.StageApproval {
		return c
	}
	mustAct(t, s, number, p.approver1, workflow.Command{Action: workflow.ActApprove})
	c = mustAct(t, s, number, p.approver2, workflow.Command{Action: workflow.ActApprove})
	for c.Stage != stage {
		c = mustHandle(t, s, p, number)
	}
	return c
}

// atTime sets the store's clock to at and returns what puts it back.
func atTime(s *Store, at time.Time) (restore func()) {
	now := s.Now
	s.Now = func() time.Time { return at }
	return func() { s.Now = now }
}

// actHandle in a test's list of steps stands for handling the case at its
// step's meeting (mustHandle), the way a case moves at a body that meets.
const actHandle workflow.Action = "handle"

// actJustera stands for the justering of the protokoll that holds the case's
// decision (mustJustera).
const actJustera workflow.Action = "justera"

// mustStep takes one step of a test's list: an action, actHandle or actJustera.
func mustStep(t testing.TB, s *Store, p people, number string, actor workflow.User, cmd workflow.Command) workflow.Case {
	t.Helper()
	switch cmd.Action {
	case actHandle:
		return mustHandle(t, s, p, number)
	case actJustera:
		return mustJustera(t, s, p, number)
	}
	return mustAct(t, s, number, actor, cmd)
}

// mustJustera has the protokoll holding the case's decision justerat: the
// first approver, a member of the nämnd with an account here, is its
// justerare and signs.
func mustJustera(t testing.TB, s *Store, p people, number string) workflow.Case {
	t.Helper()
	ctx := context.Background()
	c, err := s.Case(ctx, number)
	if err != nil {
		t.Fatal(err)
	}
	st := c.CurrentStep()
	member, err := s.AddMember(ctx, st.Body.Code, p.secretary, MemberInput{Role: workflow.MemberChair, User: p.approver1.Email})
	if err != nil {
		t.Fatal(err)
	}
	defer atTime(s, st.Date.At(20, 0))()
	if _, err := s.SetAttendance(ctx, st.MeetingID, p.secretary, []AttendanceInput{{Member: member.ID, Present: true, Adjuster: true}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sign(ctx, st.MeetingID, p.approver1); err != nil {
		t.Fatal(err)
	}
	if c, err = s.Case(ctx, number); err != nil {
		t.Fatal(err)
	}
	return c
}

// mustHandle takes a case on from its current step the way the body does:
// the step's meeting gets its kallelse, is held that evening and records the
// case as handled with the body's proposal. The store's clock is at the
// meeting for these steps and back afterwards.
func mustHandle(t testing.TB, s *Store, p people, number string) workflow.Case {
	t.Helper()
	ctx := context.Background()
	c, err := s.Case(ctx, number)
	if err != nil {
		t.Fatal(err)
	}
	st := c.CurrentStep()
	m, err := s.Meeting(ctx, st.MeetingID)
	if err != nil {
		t.Fatalf("the meeting of %s: %v", number, err)
	}
	sec := p.secretary
	if st.Body.Board == "KS" {
		sec = p.ksSecretary
	}
	defer atTime(s, st.Date.At(19, 0))()
	if m.Status == workflow.MeetingPlanned {
		if m, err = s.MarkNoticeSent(ctx, m.ID, sec); err != nil {
			t.Fatal(err)
		}
	}
	if !m.Status.AtLeast(workflow.MeetingHeld) {
		if _, err = s.MarkHeld(ctx, m.ID, sec); err != nil {
			t.Fatal(err)
		}
	}
	_, c, err = s.Decide(ctx, m.ID, sec, DecisionInput{Case: number, Type: workflow.DecisionApproved, Text: st.Body.Name + " föreslår nämnden att besluta enligt förslaget."})
	if err != nil {
		t.Fatalf("handling %s at %s: %v", number, m.Title(), err)
	}
	return c
}

func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	if err == nil {
		t.Fatalf("err = nil, want %s", code)
	}
	if got := workflow.ErrorCode(err); got != code {
		t.Fatalf("error code = %s (%v), want %s", got, err, code)
	}
}
