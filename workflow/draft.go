package workflow

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Draft is the content of a tjänsteskrivelse as an officer writes it, with every
// reference (bodies, users) already looked up.
type Draft struct {
	Number     string // empty: the store assigns the next number of the series
	Board      Board
	Title      string
	Summary    string
	Proposals  []string
	Background string
	Secret     bool
	Route      []RouteStep
	Approvers  []DraftApprover
	Recipients []Recipient
	Officer    User
	Reference  string // the document's own diarienummer, as written; set only when the case is registered
}

// DraftApprover is an approver as named on the draft: a user and the position
// the report gives them.
type DraftApprover struct {
	User     User
	Position string
}

// Field limits keep one case readable and the database small.
const (
	MaxTitle     = 300
	MaxText      = 200_000
	MaxListItems = 50
	MaxReference = 60 // a diarienummer as another registry writes it
)

// NumberPattern is how case numbers are written: ASN-2019-17886.
var NumberPattern = regexp.MustCompile(`^([A-ZÅÄÖ]{2,10})-(\d{4})-([1-9]\d{0,8})$`)

// ParseNumber splits a case number into board code, year and serial.
func ParseNumber(s string) (board string, year, serial int, err error) {
	m := NumberPattern.FindStringSubmatch(s)
	if m == nil {
		return "", 0, 0, fmt.Errorf("%q är inte ett diarienummer på formen ASN-2019-17886", s)
	}
	year, _ = strconv.Atoi(m[2])
	serial, _ = strconv.Atoi(m[3])
	return m[1], year, serial, nil
}

// FormatNumber writes a case number.
func FormatNumber(board string, year, serial int) string {
	return fmt.Sprintf("%s-%d-%d", board, year, serial)
}

// NewCase makes a draft case from d. imported is true for cases carried over
// from another system: they keep their number and may have meetings in the past.
// The store assigns Number when d has none.
func NewCase(d Draft, env Env, imported bool) (Result, error) {
	u := env.Actor
	if !u.Has(d.Board.Code, RoleOfficer) && !u.Has(d.Board.Code, RoleSecretary) {
		return Result{}, Errorf(EFORBIDDEN, "Du är inte handläggare eller nämndsekreterare för %s", d.Board.Code)
	}
	if d.Officer.ID == 0 {
		d.Officer = u
	}
	if d.Officer.ID != u.ID && !u.Has(d.Board.Code, RoleSecretary) {
		return Result{}, Errorf(EFORBIDDEN, "Bara en nämndsekreterare kan skapa ärenden åt en annan handläggare")
	}
	p := validateDraft(&d, env, imported, nil)
	if d.Number != "" {
		if board, _, _, err := ParseNumber(d.Number); err != nil {
			p.Add("number", "%v", err)
		} else if board != d.Board.Code {
			p.Add("number", "Diarienumret %s hör inte till nämnden %s", d.Number, d.Board.Code)
		}
	}
	if err := p.Err(); err != nil {
		return Result{}, err
	}
	c := Case{Number: d.Number, Board: d.Board, Stage: StageDraft, Step: -1, Version: 1,
		CreatedAt: env.Now, UpdatedAt: env.Now}
	fill(&c, &d)
	c.Reference = strings.TrimSpace(d.Reference)
	ev := Event{At: env.Now, Actor: u.Person(), Action: "create", To: StageDraft}
	return Result{Case: c, Event: ev, Deadlines: PlanDeadlines(&c, env.Secretaries, env.Policy)}, nil
}

// CheckDraft is what can be said about a draft whose board is missing or
// unknown (title, texts, route, approvers, recipients), so a form shows it
// together with the missing board instead of after it is chosen.
func CheckDraft(d Draft, env Env, imported bool) Problems {
	d.Board = Board{}
	return validateDraft(&d, env, imported, nil)
}

// EditDraft replaces the content of a case in draft. A draft saved as it
// was is Result.Unchanged: no event, the same version.
func EditDraft(c Case, version int, d Draft, env Env) (Result, error) {
	if c.Stage != StageDraft {
		return Result{}, Errorf(ECONFLICT, "Bara ett utkast kan ändras; ärendet är i steget %s", c.Stage.Label())
	}
	u := env.Actor
	if !isOfficer(&c, u) && !isSecretary(&c, u) {
		return Result{}, Errorf(EFORBIDDEN, "Bara ärendets handläggare eller nämndsekreteraren kan ändra utkastet")
	}
	if version != c.Version {
		return Result{}, staleVersion(c, version)
	}
	d.Board = c.Board
	if d.Officer.ID == 0 {
		d.Officer = User{ID: c.Officer.ID, Name: c.Officer.Name, Email: c.Officer.Email, Title: c.Officer.Title, Active: true,
			Grants: []Grant{{Board: c.Board.Code, Role: RoleOfficer}}}
	}
	if err := validateDraft(&d, env, false, c.Route).Err(); err != nil {
		return Result{}, err
	}
	next := c.Clone()
	fill(&next, &d)
	next.Version++
	next.UpdatedAt = env.Now
	changed := changedFields(&c, &next)
	if len(changed) == 0 && sameRouteRows(c.Route, next.Route) && sameSignatures(c.Approvers, next.Approvers) {
		// Saved as it was: a new version and an "update" event with no
		// fields would only refuse a colleague's edit of the same version.
		return Result{Case: c, Unchanged: true}, nil
	}
	ev := Event{CaseNumber: c.Number, At: env.Now, Actor: u.Person(), Action: "update",
		From: StageDraft, To: StageDraft, Payload: mustJSON(map[string]any{"fields": changed})}
	return Result{Case: next, Event: ev, Deadlines: PlanDeadlines(&next, env.Secretaries, env.Policy)}, nil
}

func fill(c *Case, d *Draft) {
	c.Title = strings.TrimSpace(d.Title)
	c.Summary = strings.TrimSpace(d.Summary)
	c.Background = strings.TrimSpace(d.Background)
	c.Proposals = d.Proposals
	c.Secret = d.Secret
	c.Route = d.Route
	c.Recipients = d.Recipients
	c.Officer = d.Officer.Person()
	c.Approvers = nil
	for _, a := range d.Approvers {
		p := a.User.Person()
		c.Approvers = append(c.Approvers, Approver{Person: p, Position: a.Position})
	}
}

// validateDraft checks d. existing is the route the case has now: a step kept
// as it is may stay in the past (an imported case, a case returned after its
// meetings), a new or moved one may not.
func validateDraft(d *Draft, env Env, imported bool, existing []RouteStep) Problems {
	var p Problems
	d.Title = strings.TrimSpace(d.Title)
	switch {
	case Blank(d.Title):
		p.Add("title", "Ange en rubrik")
	case len([]rune(d.Title)) > MaxTitle:
		p.Add("title", "Rubriken får vara högst %d tecken", MaxTitle)
	}
	if utf8.RuneCountInString(strings.TrimSpace(d.Reference)) > MaxReference {
		p.Add("reference", "Dokumentets diarienummer får vara högst %d tecken", MaxReference)
	}
	for field, text := range map[string]string{"summary": d.Summary, "background": d.Background} {
		if utf8.RuneCountInString(text) > MaxText {
			p.Add(field, "Texten får vara högst %d tecken", MaxText)
		}
	}
	d.Proposals = trimmed(d.Proposals)
	if len(d.Proposals) > MaxListItems {
		p.Add("proposals", "Högst %d förslag till beslut", MaxListItems)
	}
	boardKnown := d.Board.Code != "" // without it, who may be officer or approver is not known yet
	if boardKnown && !d.Officer.Has(d.Board.Code, RoleOfficer) {
		p.Add("officer", "%s är inte handläggare för %s", d.Officer.Name, d.Board.Code)
	}
	validateRoute(&p, d.Route, Today(env.Now), imported, existing)
	var seen []int64
	for i, a := range d.Approvers {
		field := fmt.Sprintf("approvers[%d]", i)
		switch {
		case a.User.ID == 0:
			// A row the caller could not resolve, and has said why: it keeps
			// its place so the rows after it are named by their own numbers.
		case !a.User.Active:
			p.Add(field, "%s är inte en aktiv användare", a.User.Email)
		case boardKnown && !a.User.Has(d.Board.Code, RoleApprover):
			p.Add(field, "%s är inte ansvarig chef för %s", a.User.Name, d.Board.Code)
		case slices.Contains(seen, a.User.ID):
			p.Add(field, "%s står två gånger bland de ansvariga", a.User.Name)
		}
		seen = append(seen, a.User.ID)
	}
	if len(d.Approvers) > MaxListItems {
		p.Add("approvers", "Högst %d ansvariga", MaxListItems)
	}
	if len(d.Recipients) > MaxListItems {
		p.Add("recipients", "Högst %d mottagare", MaxListItems)
	}
	// Trimmed in a copy: the caller's input, which the draft's list shares,
	// stays as it was sent (two sendings of it hash alike, db.CreateCaseOnce).
	d.Recipients = slices.Clone(d.Recipients)
	for i := range d.Recipients {
		r := &d.Recipients[i]
		r.Name, r.Email = strings.TrimSpace(r.Name), strings.TrimSpace(r.Email)
		field := fmt.Sprintf("recipients[%d]", i)
		if Blank(r.Name) {
			p.Add(field, "Mottagaren saknar namn")
		}
		if r.Email != "" {
			if e, err := CheckEmail(r.Email); err != nil {
				p.Add(field, "%s", err)
			} else {
				r.Email = e
			}
		}
	}
	return p
}

func validateRoute(p *Problems, route []RouteStep, today Date, imported bool, existing []RouteStep) {
	kept := func(s RouteStep) bool {
		return slices.ContainsFunc(existing, func(e RouteStep) bool { return e.Body.Code == s.Body.Code && e.Date == s.Date })
	}
	if len(route) > MaxListItems {
		p.Add("route", "Högst %d steg i beslutsplaneringen", MaxListItems)
	}
	var last Date    // the latest date so far
	undated := false // a step without a date is not yet planned; only such steps may follow it
	for i, s := range route {
		field := fmt.Sprintf("route[%d]", i)
		switch {
		case s.Date.IsZero():
			undated = true
		case undated:
			p.Add(field, "%s har datum men kommer efter ett steg utan datum; steg utan datum ska stå sist", s.Body.Name)
		case !imported && s.Date.Before(today) && !kept(s):
			p.Add(field, "Sammanträdesdagen %s för %s har redan passerat", s.Date, s.Body.Name)
		case s.Date.Before(last):
			p.Add(field, "%s %s kommer före föregående steg (%s); stegen ska stå i datumordning", s.Body.Name, s.Date, last)
		default:
			last = s.Date
		}
	}
}

// trimmed is list with each item trimmed and the Blank ones left out.
func trimmed(list []string) []string {
	var out []string
	for _, s := range list {
		if s = strings.TrimSpace(s); !Blank(s) {
			out = append(out, s)
		}
	}
	return out
}

// sameRouteRows tells whether the edited route b keeps a in what
// changedFields does not name: the meeting each step is on (a step of b
// without one is bound by the store to the body's meeting on its date,
// which for the same date is the meeting it has), its postponements, and no
// new extra meeting asked for.
func sameRouteRows(a, b []RouteStep) bool {
	return slices.EqualFunc(a, b, func(x, y RouteStep) bool {
		return (y.MeetingID == 0 || x.MeetingID == y.MeetingID) && slices.Equal(x.Postponed, y.Postponed) && !y.ExtraMeeting
	})
}

// sameSignatures tells whether the approvers have signed alike: an edit
// clears any signature (fill), which changedFields does not name.
func sameSignatures(a, b []Approver) bool {
	return slices.EqualFunc(a, b, func(x, y Approver) bool { return (x.SignedAt == nil) == (y.SignedAt == nil) })
}

func changedFields(a, b *Case) []string {
	var out []string
	add := func(name string, changed bool) {
		if changed {
			out = append(out, name)
		}
	}
	add("title", a.Title != b.Title)
	add("summary", a.Summary != b.Summary)
	add("proposals", !slices.Equal(a.Proposals, b.Proposals))
	add("background", a.Background != b.Background)
	add("secret", a.Secret != b.Secret)
	add("officer", a.Officer.ID != b.Officer.ID)
	add("route", !slices.EqualFunc(a.Route, b.Route, func(x, y RouteStep) bool {
		return x.Body.Code == y.Body.Code && x.Date == y.Date
	}))
	add("approvers", !slices.EqualFunc(a.Approvers, b.Approvers, func(x, y Approver) bool {
		return x.ID == y.ID && x.Position == y.Position
	}))
	add("recipients", !slices.Equal(a.Recipients, b.Recipients))
	return out
}
