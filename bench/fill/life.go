package fill

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/workflow"
)

// A case's life is planned first (what happens to it, when, at which
// meetings: cheap, so the counting pass can run it for every case to number
// the paragraphs) and then lived through the workflow package, each step
// exactly as the store would take it, into a db.BulkCase.

type actKind uint8

const (
	actCreate actKind = iota
	actAttach
	actSubmit
	actReject
	actApprove
	actDecide
	actDispatch
	actClose
	actWithdraw
	actEdit
	actJustering
	actAnslag
	actLegalForce
)

type act struct {
	at    time.Time
	kind  actKind
	who   int // the approver of an approve or reject; the signature (0, 1) of a justering
	m     *meeting
	dec   workflow.DecisionType
	next  *meeting   // bordläggning: the later meeting
	route []*meeting // a new route (edit after återremiss)
}

// life is what happens to one case.
type life struct {
	i         int
	board     *boardInfo
	officer   workflow.User
	approvers []approver
	secret    bool
	created   time.Time
	first     []*meeting // the route it is registered with
	route     []*meeting // the route as planning goes on (tabled, reworked)
	acts      []act
}

// planner plans lives; its calendar and organisation are read-only.
type planner struct {
	o        *org
	cals     map[int64]*bodyCal // by body id
	seed     uint64
	workdays []workflow.Date // of the period the cases are registered in
	n        int
	asOf     time.Time
	files    [][]byte // attachment contents, each used many times
}

func (p *planner) rand(i int, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(p.seed^stream<<56, uint64(i)))
}

// createdAt spreads the cases evenly over the work days of the period, in
// office hours (08:00–16:30), in order: case i is registered before case i+1.
func (p *planner) createdAt(i int) time.Time {
	pos := (float64(i) + 0.5) / float64(p.n) * float64(len(p.workdays))
	day := int(pos)
	frac := pos - float64(day)
	return p.workdays[day].At(8, 0).Add(time.Duration(frac * float64(8*time.Hour+30*time.Minute))).Truncate(time.Second)
}

// plan decides case i's life. It is a pure function of i and the calendar.
func (p *planner) plan(i int) *life {
	r := p.rand(i, 1)
	pickN := r.IntN(p.o.total)
	var b *boardInfo
	for _, bi := range p.o.boards {
		if pickN < bi.spec.weight {
			b = bi
			break
		}
		pickN -= bi.spec.weight
	}
	l := &life{i: i, board: b, officer: pick(r, b.officers), secret: r.IntN(1000) < b.spec.secret, created: p.createdAt(i)}
	l.approvers = b.approvers[:1+r.IntN(len(b.approvers))]
	pattern := p.pattern(r, b)
	l.route = p.route(pattern, workflow.Today(l.created).AddDays(20+r.IntN(25)))
	if l.route == nil {
		return l // beyond the calendar: the case is not written
	}
	l.first = l.route
	l.add(act{at: l.created, kind: actCreate})
	for k := range r.IntN(4) {
		l.add(act{at: l.created.Add(time.Duration(5+10*k) * time.Minute), kind: actAttach, who: k})
	}
	t := l.created
	returned := false
	for {
		t = workday(r, t, 1+r.IntN(3))
		if r.IntN(50) == 0 { // given up before it was submitted
			l.add(act{at: t, kind: actWithdraw})
			return l
		}
		l.add(act{at: t, kind: actSubmit})
		if r.IntN(12) == 0 {
			t = workday(r, t, 1)
			l.add(act{at: t, kind: actReject, who: r.IntN(len(l.approvers))})
			t = workday(r, t, 1)
			l.add(act{at: t, kind: actSubmit})
		}
		for k := range l.approvers {
			t = workday(r, t, r.IntN(2))
			t = t.Add(time.Duration(30+r.IntN(90)) * time.Minute)
			l.add(act{at: t, kind: actApprove, who: k})
		}
		var back bool
		if t, back = p.steps(r, l, t, returned); !back {
			return l
		}
		// Återremiss: the officer reworks the report for a later meeting,
		// or the case is withdrawn.
		returned = true
		t = workday(r, t, 2+r.IntN(3))
		if r.IntN(2) == 0 {
			l.add(act{at: t, kind: actWithdraw})
			return l
		}
		route := p.route(pattern, workflow.Today(t).AddDays(20+r.IntN(15)))
		if route == nil {
			return l
		}
		l.route = route
		l.add(act{at: t, kind: actEdit, route: route})
	}
}

// pattern is the bodies a case passes: a nämnd case through some of its
// presidium, arbetsutskott and nämnd, perhaps on to kommunstyrelsen and
// kommunfullmäktige; a kommunstyrelse case through its arbetsutskott to
// itself, perhaps on to fullmäktige.
func (p *planner) pattern(r *rand.Rand, b *boardInfo) []*bodyCal {
	ks := p.o.ks.bodies
	if b == p.o.ks {
		if r.IntN(10) < 3 {
			return ks
		}
		return ks[:2]
	}
	switch k := r.IntN(20); {
	case k < 8:
		return b.bodies
	case k < 15:
		return b.bodies[1:]
	case k < 17:
		return b.bodies[2:]
	case k < 19:
		return []*bodyCal{b.bodies[1], b.bodies[2], ks[1]}
	default:
		return []*bodyCal{b.bodies[1], b.bodies[2], ks[1], ks[2]}
	}
}

// route puts the pattern on meetings from earliest: each body's first
// meeting after the one before (a nämnd a week after its arbetsutskott, the
// body after a deciding one two weeks after it, for justering and dispatch).
func (p *planner) route(pattern []*bodyCal, earliest workflow.Date) []*meeting {
	var out []*meeting
	d := earliest
	for i, bc := range pattern {
		m := bc.onOrAfter(d)
		if m == nil {
			return nil
		}
		out = append(out, m)
		d = m.date.AddDays(1)
		if i+1 < len(pattern) {
			switch {
			case bc.body.Kind.Decides():
				d = m.date.AddDays(14)
			case pattern[i+1].body.Kind == workflow.KindBoard:
				d = m.date.AddDays(7)
			}
		}
	}
	return out
}

// deciding is the index of the step where the case's own board decides.
func (l *life) deciding() int {
	for i, m := range l.route {
		if m.cal.board == l.board && m.cal.body.Kind.Decides() {
			return i
		}
	}
	return -1
}

// steps plans the case's way along its route from the first step, which it
// reached (signed off) at after. It reports whether the case came back
// (återremiss) and when.
func (p *planner) steps(r *rand.Rand, l *life, after time.Time, noReturn bool) (time.Time, bool) {
	decidingStep := l.deciding()
	for s := 0; s < len(l.route); s++ {
		m := l.route[s]
		if withdraw := m.notice.Add(-23 * time.Hour); r.IntN(100) == 0 && withdraw.After(after) { // withdrawn while waiting for the meeting
			l.add(act{at: withdraw, kind: actWithdraw})
			return time.Time{}, false
		}
		typ := workflow.DecisionApproved
		switch k := r.IntN(100); {
		case s < decidingStep && m.cal.body.Kind == workflow.KindPresidium:
			typ = workflow.DecisionHandled
		case s == decidingStep && k < 10:
			typ = workflow.DecisionAmended
		case s == decidingStep && k < 14:
			typ = workflow.DecisionRejected
		}
		if s <= decidingStep {
			switch k := r.IntN(100); {
			case k < 3 && !noReturn:
				typ = workflow.DecisionReturned
			case k < 6:
				if next, ok := p.table(l, s); ok {
					l.add(act{at: m.held, kind: actDecide, m: m, dec: workflow.DecisionTabled, next: next.route[s]})
					l.notes(m, workflow.DecisionTabled)
					l.route = next.route
					after = m.held.Add(session)
					s-- // the same step, at the later meeting
					continue
				}
			}
		}
		l.add(act{at: m.held, kind: actDecide, m: m, dec: typ})
		l.notes(m, typ)
		after = m.held.Add(session)
		if typ == workflow.DecisionReturned {
			return m.held.Add(session), true
		}
		if s == decidingStep {
			dispatch := m.posted.Add(time.Duration(60+r.IntN(300)) * time.Minute)
			l.add(act{at: dispatch, kind: actDispatch})
			if s == len(l.route)-1 {
				l.add(act{at: dispatch.Add(30 * time.Minute), kind: actClose})
			}
		}
	}
	return time.Time{}, false
}

// table tries bordläggning of step s to its body's next meeting, as
// workflow's postpone moves it and the later steps that would no longer come
// after it (each to its body's first meeting from the day it shifts to, and
// after the step before it); it
// refuses when the calendar ends, when the steps would no longer follow each
// other in time, or when a body would come too soon after a deciding one.
func (p *planner) table(l *life, s int) (*life, bool) {
	cur := l.route[s]
	i := slices.Index(cur.cal.meetings, cur)
	if i+1 >= len(cur.cal.meetings) {
		return nil, false
	}
	next := cur.cal.meetings[i+1]
	shift := cur.date.DaysUntil(next.date)
	route := slices.Clone(l.route)
	route[s] = next
	prev := next.date
	for k := s + 1; k < len(route); k++ {
		if route[k].date.After(prev) {
			break
		}
		// The body's first meeting from the shifted day, but after the step
		// before it, as postpone chooses among the planned meetings.
		to := workflow.NextWorkday(route[k].date.AddDays(shift))
		if !to.After(prev) {
			to = workflow.NextWorkday(prev.AddDays(1))
		}
		m := route[k].cal.onOrAfter(to)
		if m == nil {
			return nil, false
		}
		route[k] = m
		prev = m.date
	}
	for k := 1; k < len(route); k++ {
		switch {
		case !route[k].date.After(route[k-1].date):
			// Steps the postponement did not move that were already on one
			// day: not a route anyone would keep.
			return nil, false
		case route[k-1].cal.body.Kind.Decides() && route[k].date.Before(route[k-1].date.AddDays(14)):
			return nil, false
		}
	}
	return &life{route: route}, true
}

// notes are what a meeting writes in the history of a case it handled:
// each justerare's signature, the anslag and, for a decision in substance
// of a deciding body, laga kraft.
func (l *life) notes(m *meeting, typ workflow.DecisionType) {
	l.add(act{at: m.sign1, kind: actJustering, m: m, who: 0})
	l.add(act{at: m.sign2, kind: actJustering, m: m, who: 1})
	l.add(act{at: m.posted, kind: actAnslag, m: m})
	if m.cal.body.Kind.Decides() && (typ == workflow.DecisionApproved || typ == workflow.DecisionAmended || typ == workflow.DecisionRejected) {
		l.add(act{at: workflow.LegalForce(m.postedOn).At(6, 15), kind: actLegalForce, m: m})
	}
}

func (l *life) add(a act) { l.acts = append(l.acts, a) }

// sorted is the acts in time order (notes of one meeting may come after the
// next meeting's decision).
func (l *life) sorted() []act {
	slices.SortStableFunc(l.acts, func(a, b act) int { return a.at.Compare(b.at) })
	return l.acts
}

// happened reports whether an act had happened by asOf.
func happened(a act, asOf time.Time) bool {
	if a.kind == actDecide {
		return a.m.decided(asOf)
	}
	return !a.at.After(asOf)
}

// workday is a time on the n-th work day after t (the same day for 0), in
// office hours.
func workday(r *rand.Rand, t time.Time, n int) time.Time {
	d := workflow.AddWorkdays(workflow.Today(t), n)
	at := d.At(8, 30).Add(time.Duration(r.IntN(7*60)) * time.Minute)
	if !at.After(t) {
		at = t.Add(time.Duration(10+r.IntN(60)) * time.Minute)
	}
	return at
}

// live runs the planned life through the workflow into a bulk case; ranks
// are the places of its decisions at their meetings, from the counting pass.
// It reads the calendar and changes nothing shared, so cases may live in
// parallel.
func (p *planner) live(l *life, b *db.BulkLoader, ranks []int32) (*db.BulkCase, error) {
	if len(l.acts) == 0 {
		return nil, nil
	}
	r := p.rand(l.i, 2)
	c := &db.BulkCase{}
	bd := l.board
	year := workflow.Today(l.created).Year
	ttl := title(r, bd.spec.code, year)
	summary, background := report(r, ttl, bd.spec.name, year)
	draft := workflow.Draft{Board: bd.board, Title: ttl, Summary: summary, Background: background, Secret: l.secret,
		Proposals: proposals(r, bd.spec.name, ttl), Officer: l.officer, Recipients: recipients(r, l.officer)}
	setRoute := func(route []*meeting) {
		draft.Route = nil
		for _, m := range route {
			draft.Route = append(draft.Route, workflow.RouteStep{Body: m.cal.body, Date: m.date})
		}
	}
	setRoute(l.first)
	for _, a := range l.approvers {
		draft.Approvers = append(draft.Approvers, workflow.DraftApprover{User: a.user, Position: a.position})
	}
	decidedAt := map[int64]int{} // meeting id -> the paragraph
	var decisionMeeting *meeting
	apply := func(res workflow.Result, err error) error {
		if err != nil || res.Unchanged { // an edit of nothing leaves no event
			return err
		}
		c.Case = res.Case
		c.History = append(c.History, db.ChangeOf(res))
		return nil
	}
	for _, a := range l.sorted() {
		if !happened(a, p.asOf) {
			break
		}
		at := a.at
		p.relink(&c.Case, at, decisionMeeting)
		cs := &c.Case
		env := func(u workflow.User) workflow.Env { return b.Env(bd.board.Code, u, at) }
		cmd := func(action workflow.Action, reason string) workflow.Command {
			return workflow.Command{Action: action, Version: cs.Version, Reason: reason}
		}
		sec := bd.secretary()
		var err error
		switch a.kind {
		case actCreate:
			err = apply(workflow.NewCase(draft, env(l.officer), false))
		case actAttach:
			err = b.Attach(c, l.officer, at, attachment(r, a.who, p.files))
		case actSubmit:
			err = apply(workflow.Apply(*cs, cmd(workflow.ActSubmit, ""), env(l.officer)))
		case actReject:
			err = apply(workflow.Apply(*cs, cmd(workflow.ActReject, pick(r, rejectReasons)), env(l.approvers[a.who].user)))
		case actApprove:
			err = apply(workflow.Apply(*cs, cmd(workflow.ActApprove, ""), env(l.approvers[a.who].user)))
		case actWithdraw:
			by := l.officer
			if cs.Stage.OnRoute() {
				by = sec
			}
			err = apply(workflow.Apply(*cs, cmd(workflow.ActWithdraw, pick(r, withdrawReasons)), env(by)))
		case actDispatch:
			err = apply(workflow.Apply(*cs, cmd(workflow.ActDispatch, ""), env(sec)))
		case actClose:
			err = apply(workflow.Apply(*cs, cmd(workflow.ActClose, ""), env(sec)))
		case actEdit:
			setRoute(a.route)
			draft.Officer = workflow.User{} // keep the case's officer, as EditDraft from a form does
			err = apply(workflow.EditDraft(*cs, cs.Version, draft, env(l.officer)))
		case actDecide:
			m := a.m
			rank := int(ranks[0])
			ranks = ranks[1:]
			at = m.decisionAt(rank)
			n := m.base + rank + 1
			if !m.cal.body.Kind.KeepsMinutes() {
				n = 0 // the presidium keeps no protokoll: no §
			}
			d := workflow.MeetingDecision{Type: a.dec, Text: decisionText(r, cs, m, a.dec), Paragraph: n}
			if a.next != nil {
				d.NextDate = a.next.date
			}
			msec := m.cal.board.secretary()
			step := cs.Step
			env := b.Env(bd.board.Code, msec, at)
			if a.dec == workflow.DecisionTabled {
				env.Meetings = p.meetingDays(cs, at)
			}
			var res workflow.Result
			res, err = workflow.DecideAtMeeting(*cs, m.state(at), d, env)
			if err == nil {
				c.Case = res.Case
				c.History = append(c.History, db.DecisionChange(res, m.state(at), step, d, msec.Person()))
				decidedAt[m.id] = n
				if res.Case.Decision != nil && res.Case.Decision.Paragraph == workflow.ParagraphLabel(n) {
					decisionMeeting = m
				}
			}
		case actJustering:
			signer, name := a.m.signer(a.who)
			c.History = append(c.History, db.BulkJustering(cs, a.m.state(at), decidedAt[a.m.id], signer.Person(), name, a.who == 1, at))
		case actAnslag:
			c.History = append(c.History, db.BulkAnslag(cs, a.m.state(at), decidedAt[a.m.id], a.m.cal.board.secretary().Person(), at))
		case actLegalForce:
			c.History = append(c.History, db.BulkLegalForce(cs, a.m.state(at), decidedAt[a.m.id], at))
		}
		if err != nil {
			return nil, fmt.Errorf("case %d (%s), %v at %s: %w", l.i, ttl, a.kind, at.Format(time.DateTime), err)
		}
	}
	return c, nil
}

// relink is the route as the store loads it at t: each dated step on its
// meeting with the meeting's status, and whether the decision still awaits
// justering.
func (p *planner) relink(c *workflow.Case, t time.Time, decided *meeting) {
	for i := range c.Route {
		st := &c.Route[i]
		st.MeetingID, st.MeetingStatus = 0, ""
		if st.Date.IsZero() {
			continue
		}
		if m := p.cals[st.Body.ID].on(st.Date); m != nil {
			st.MeetingID, st.MeetingStatus, st.MeetingOrigin = m.id, m.status(t), workflow.OriginPlan
		}
	}
	if d := c.Decision; d != nil && d.Paragraph != "" && d.DispatchedAt == nil && decided != nil {
		d.AwaitsJustering = !decided.status(t).AtLeast(workflow.MeetingJustified)
	}
}

// meetingDays are what the store gives a bordläggning at t to choose among
// (withMeetingDays): the meetings of the bodies of c's current and later
// steps, from the start of the year of the earlier of t's day and the
// current step's date.
func (p *planner) meetingDays(c *workflow.Case, t time.Time) workflow.MeetingDays {
	from := workflow.Today(t)
	if st := c.CurrentStep(); st != nil && st.Date.Before(from) {
		from = st.Date
	}
	from = workflow.Date{Year: from.Year, Month: 1, Day: 1}
	out := workflow.MeetingDays{}
	for _, st := range c.Route[c.Step:] {
		cal := p.cals[st.Body.ID]
		days := []workflow.MeetingDay{}
		for m := cal.onOrAfter(from); m != nil; m = cal.after(m) {
			days = append(days, workflow.MeetingDay{Date: m.date, Origin: workflow.OriginPlan, Status: m.status(t)})
		}
		out[st.Body.ID] = days
	}
	return out
}

func decisionText(r *rand.Rand, c *workflow.Case, m *meeting, typ workflow.DecisionType) string {
	body := m.cal.body
	switch {
	case typ == workflow.DecisionHandled:
		return "Presidiet har berett ärendet inför arbetsutskottet."
	case typ == workflow.DecisionTabled:
		return "Ärendet bordläggs till nästa sammanträde."
	case typ == workflow.DecisionReturned:
		return "Ärendet återremitteras till förvaltningen för att " + pick(r, returnReasons) + "."
	case body.Kind == workflow.KindWorkingCommittee:
		return "Arbetsutskottet föreslår nämnden att besluta enligt förvaltningens förslag."
	case typ == workflow.DecisionRejected:
		return body.Name + " beslutar att avslå förslaget."
	case typ == workflow.DecisionAmended:
		return workflow.DecisionDraft(c.Proposals) + "\n" + body.Name + " beslutar därutöver att " + pick(r, amendments) + "."
	case m.cal.board.board.Code != c.Board.Code:
		return body.Name + " beslutar att lägga ärendet till handlingarna."
	}
	return workflow.DecisionDraft(c.Proposals)
}

var (
	rejectReasons   = []string{"Komplettera med kostnadsberäkning", "Förtydliga konsekvenserna för barn", "Beslutsunderlaget saknar bilaga", "Stäm av med ekonomiavdelningen först"}
	withdrawReasons = []string{"Ärendet har blivit inaktuellt", "Frågan hanteras i ett annat ärende", "Sökanden har återkallat ansökan", "Uppdraget har upphävts"}
	returnReasons   = []string{"komplettera med en ekonomisk analys", "belysa konsekvenserna för barn och unga", "inhämta synpunkter från stadsområdena", "utreda alternativa lokaler"}
	amendments      = []string{"uppdra åt förvaltningen att återrapportera i samband med delårsrapporten", "ärendet ska följas upp inom ett år", "förvaltningen ska samråda med pensionärsrådet"}
)

var recipientList = []workflow.Recipient{
	{Name: "Kommunstyrelsen", Email: "kommunstyrelsen@kommun.example"},
	{Name: "Stadsrevisionen", Email: "stadsrevisionen@kommun.example"},
	{Name: "Ekonomiavdelningen", Email: "ekonomi@kommun.example"},
	{Name: "Region Skåne", Email: "registrator@skane.example"},
	{Name: "Arbetsförmedlingen"},
}

func recipients(r *rand.Rand, officer workflow.User) []workflow.Recipient {
	n := 1 + r.IntN(3)
	out := slices.Clone(recipientList[:n])
	if r.IntN(3) == 0 {
		out = append(out, workflow.Recipient{Name: officer.Name, Email: officer.Email})
	}
	return out
}

var attachmentNames = []string{"Ekonomisk redovisning", "Statistikbilaga", "Remissvar", "Protokollsutdrag", "Riskanalys", "Barnkonsekvensanalys", "Kartbilaga", "Tidplan"}

// attachment is the k-th file of a case: mostly one of a few hundred shared
// contents, as the same templates and reports are attached again and again.
// They are plain text, whose text the search index reads without pdftotext
// (a PDF would start a process per file).
func attachment(r *rand.Rand, k int, files [][]byte) db.NewAttachment {
	return db.NewAttachment{Name: fmt.Sprintf("Bilaga %d %s.txt", k+1, pick(r, attachmentNames)),
		ContentType: "text/plain; charset=utf-8", Data: pick(r, files)}
}

// attachmentFiles are the shared contents: short reports in plain text.
func attachmentFiles(seed uint64, n int) [][]byte {
	r := rand.New(rand.NewPCG(seed, 3))
	out := make([][]byte, n)
	for i := range out {
		var b strings.Builder
		fmt.Fprintf(&b, "%s\n\n", pick(r, attachmentNames))
		for range 10 + r.IntN(40) {
			fmt.Fprintf(&b, "Uppföljning av %s i %s: %d ärenden, %d kronor.\n", pick(r, topics), pick(r, places), r.IntN(1000), r.IntN(10_000_000))
		}
		out[i] = []byte(b.String())
	}
	return out
}
