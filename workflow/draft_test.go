package workflow

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestNewCase(t *testing.T) {
	res, err := NewCase(newDraft(), envFor(officer), false)
	if err != nil {
		t.Fatal(err)
	}
	c := res.Case
	want := Case{
		Number: "ASN-2019-17886", Board: boardASN, Title: "Internationell redovisning 2019",
		Summary: newDraft().Summary, Proposals: newDraft().Proposals, Background: newDraft().Background,
		Stage: StageDraft, Step: -1, Version: 1, Officer: officer.Person(), Route: fullRoute(),
		Approvers: []Approver{
			{Person: approver1.Person(), Position: "Enhetschef"},
			{Person: approver2.Person(), Position: "Avdelningschef"},
			{Person: approver3.Person(), Position: "Förvaltningschef"},
		},
		Recipients: recipients, CreatedAt: clock, UpdatedAt: clock,
	}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("case =\n%+v\nwant\n%+v", c, want)
	}
	wantEvent := Event{At: clock, Actor: officer.Person(), Action: "create", To: StageDraft}
	if !reflect.DeepEqual(res.Event, wantEvent) {
		t.Errorf("event = %+v, want %+v", res.Event, wantEvent)
	}
	wantDeadlines := []Deadline{{CaseNumber: "ASN-2019-17886", Kind: DeadlineSubmission, Ref: "submit",
		Due: MustDate("2019-12-17"), Responsible: officer.Person(), State: DeadlineOpen}}
	if !reflect.DeepEqual(res.Deadlines, wantDeadlines) {
		t.Errorf("deadlines = %+v, want %+v", res.Deadlines, wantDeadlines)
	}
	if len(res.Notifications) != 0 {
		t.Errorf("notifications = %+v, want none", res.Notifications)
	}
}

func TestNewCaseTrimsInput(t *testing.T) {
	d := newDraft()
	d.Title = "  Internationell redovisning 2019\n"
	d.Summary = "\tSammanfattning "
	d.Proposals = []string{"  att godkänna redovisningen ", "", "   "}
	d.Recipients = []Recipient{{Name: " Kommunstyrelsen ", Email: " kommunstyrelsen@malmo.se "}}
	res, err := NewCase(d, envFor(officer), false)
	if err != nil {
		t.Fatal(err)
	}
	c := res.Case
	if c.Title != "Internationell redovisning 2019" || c.Summary != "Sammanfattning" {
		t.Errorf("title %q, summary %q", c.Title, c.Summary)
	}
	if !slices.Equal(c.Proposals, []string{"att godkänna redovisningen"}) {
		t.Errorf("proposals = %q", c.Proposals)
	}
	if !slices.Equal(c.Recipients, []Recipient{{Name: "Kommunstyrelsen", Email: "kommunstyrelsen@malmo.se"}}) {
		t.Errorf("recipients = %q", c.Recipients)
	}
}

func TestNewCaseWho(t *testing.T) {
	tests := []struct {
		name        string
		actor       User
		forUser     User // zero: the actor's own case
		wantOfficer User
		wantCode    string
	}{
		{"officer for self", officer, User{}, officer, ""},
		{"officer naming self", officer, officer, officer, ""},
		{"secretary for an officer", secretary, colleague, colleague, ""},
		{"officer for a colleague", officer, colleague, User{}, EFORBIDDEN},
		{"outsider", outsider, User{}, User{}, EFORBIDDEN},
		{"outsider for an officer", outsider, officer, User{}, EFORBIDDEN},
		{"approver", approver1, officer, User{}, EFORBIDDEN},
		{"admin", admin, officer, User{}, EFORBIDDEN},
		{"secretary of another board", ksSecretary, officer, User{}, EFORBIDDEN},
		{"inactive secretary", inactiveSecretary, officer, User{}, EFORBIDDEN},
		// A secretary who is not an officer cannot be the case's officer.
		{"secretary for self", secretary, User{}, User{}, EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDraft()
			d.Officer = tt.forUser
			res, err := NewCase(d, envFor(tt.actor), false)
			if tt.wantCode != "" {
				wantCode(t, err, tt.wantCode)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.Case.Officer != tt.wantOfficer.Person() {
				t.Errorf("officer = %+v, want %+v", res.Case.Officer, tt.wantOfficer.Person())
			}
			if res.Event.Actor != tt.actor.Person() {
				t.Errorf("event actor = %+v, want %+v", res.Event.Actor, tt.actor.Person())
			}
		})
	}
	t.Run("secretary for an inactive officer", func(t *testing.T) {
		d := newDraft()
		d.Officer = colleague
		d.Officer.Active = false
		_, err := NewCase(d, envFor(secretary), false)
		wantFields(t, err, "officer")
	})
}

func TestNewCaseValidation(t *testing.T) {
	day := func(s string) Date { return MustDate(s) }
	step := func(b Body, date string) RouteStep {
		var d Date
		if date != "" {
			d = day(date)
		}
		return RouteStep{Body: b, Date: d}
	}
	inactiveApprover := approver2
	inactiveApprover.Active = false
	tests := []struct {
		name   string
		edit   func(d *Draft)
		fields []string // nil: valid
	}{
		{"the fixture", func(d *Draft) {}, nil},
		{"no title", func(d *Draft) { d.Title = "" }, []string{"title"}},
		{"blank title", func(d *Draft) { d.Title = " \n\t " }, []string{"title"}},
		{"title of 300 characters", func(d *Draft) { d.Title = strings.Repeat("å", MaxTitle) }, nil},
		{"title of 301 characters", func(d *Draft) { d.Title = strings.Repeat("a", MaxTitle+1) }, []string{"title"}},
		{"too many proposals", func(d *Draft) { d.Proposals = slices.Repeat([]string{"att"}, MaxListItems+1) }, []string{"proposals"}},
		{"no route is fine in a draft", func(d *Draft) { d.Route = nil }, nil},
		{"route out of order", func(d *Draft) {
			d.Route = []RouteStep{step(bodyPresidium, "2020-01-16"), step(bodyAU, "2020-01-08"), step(bodyBoard, "2020-01-30")}
		}, []string{"route[1]"}},
		{"last step before the one before it", func(d *Draft) { d.Route[3].Date = day("2020-01-29") }, []string{"route[3]"}},
		{"two steps on one day", func(d *Draft) { d.Route[1].Date = day("2020-01-08") }, nil},
		{"a step out of order with the one two before it", func(d *Draft) {
			d.Route = []RouteStep{step(bodyPresidium, "2020-01-20"), step(bodyAU, "2020-01-10"), step(bodyBoard, "2020-01-15")}
		}, []string{"route[1]", "route[2]"}},
		{"undated steps at the end, not yet planned", func(d *Draft) {
			d.Route[2], d.Route[3] = step(bodyBoard, ""), step(bodyKS, "")
		}, nil},
		{"a dated step after an undated one", func(d *Draft) { d.Route[2] = step(bodyBoard, "") }, []string{"route[3]"}},
		{"no dates at all", func(d *Draft) {
			for i := range d.Route {
				d.Route[i].Date = Date{}
			}
		}, nil},
		{"a meeting in the past", func(d *Draft) { d.Route[0].Date = day("2020-01-01") }, []string{"route[0]"}},
		{"a meeting today", func(d *Draft) { d.Route[0].Date = day("2020-01-02") }, nil},
		{"too many steps", func(d *Draft) {
			d.Route = nil
			for range MaxListItems + 1 {
				d.Route = append(d.Route, step(bodyBoard, "2020-02-01"))
			}
		}, []string{"route"}},
		{"approver without the approver role", func(d *Draft) {
			d.Approvers[1] = DraftApprover{User: secretary, Position: "Avdelningschef"}
		}, []string{"approvers[1]"}},
		{"approver of another board", func(d *Draft) {
			d.Approvers[0].User.Grants = []Grant{grant("KS", RoleApprover)}
		}, []string{"approvers[0]"}},
		{"inactive approver", func(d *Draft) { d.Approvers[1].User = inactiveApprover }, []string{"approvers[1]"}},
		{"approver twice", func(d *Draft) { d.Approvers[2] = DraftApprover{User: approver1, Position: "Förvaltningschef"} },
			[]string{"approvers[2]"}},
		{"no approvers is fine in a draft", func(d *Draft) { d.Approvers = nil }, nil},
		{"recipient without e-mail", func(d *Draft) { d.Recipients[1].Email = "" }, nil},
		{"recipient with a bad e-mail", func(d *Draft) { d.Recipients[1].Email = "asf(at)malmo.se" }, []string{"recipients[1]"}},
		{"recipient with a display name in the e-mail", func(d *Draft) {
			d.Recipients[0].Email = "Kommunstyrelsen <kommunstyrelsen@malmo.se>"
		}, []string{"recipients[0]"}},
		{"recipient without a name", func(d *Draft) { d.Recipients[0].Name = "  " }, []string{"recipients[0]"}},
		{"too many recipients", func(d *Draft) {
			d.Recipients = slices.Repeat([]Recipient{{Name: "KS"}}, MaxListItems+1)
		}, []string{"recipients"}},
		{"no number: the store assigns one", func(d *Draft) { d.Number = "" }, nil},
		{"number of another board", func(d *Draft) { d.Number = "KS-2019-17886" }, []string{"number"}},
		{"malformed number", func(d *Draft) { d.Number = "ASN 2019/17886" }, []string{"number"}},
		{"number with a two-digit year", func(d *Draft) { d.Number = "ASN-19-17886" }, []string{"number"}},
		{"number with a leading zero", func(d *Draft) { d.Number = "ASN-2019-017886" }, []string{"number"}},
		{"number in lower case", func(d *Draft) { d.Number = "asn-2019-17886" }, []string{"number"}},
		{"several problems at once", func(d *Draft) {
			d.Title = ""
			d.Route[1].Date = day("2020-01-07")
			d.Approvers[0].User = outsider
			d.Number = "KS-2019-1"
		}, []string{"title", "route[1]", "approvers[0]", "number"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDraft()
			tt.edit(&d)
			_, err := NewCase(d, envFor(officer), false)
			if tt.fields == nil {
				if err != nil {
					t.Fatalf("NewCase: %v, want success", err)
				}
				return
			}
			wantFields(t, err, tt.fields...)
		})
	}
}

func TestNewCaseTooMuchText(t *testing.T) {
	// Each long text is reported on its own field; the limit counts letters, not bytes.
	for field, edit := range map[string]func(d *Draft){
		"background": func(d *Draft) { d.Background = strings.Repeat("x", MaxText+1) },
		"summary":    func(d *Draft) { d.Summary = strings.Repeat("ö", MaxText+1) },
	} {
		d := newDraft()
		edit(&d)
		_, err := NewCase(d, envFor(officer), false)
		wantFields(t, err, field)
	}
	d := newDraft()
	d.Summary = strings.Repeat("ö", MaxText) // 2 bytes a letter, but within the limit
	if _, err := NewCase(d, envFor(officer), false); err != nil {
		t.Errorf("a summary of exactly %d letters was refused: %v", MaxText, err)
	}
}

func TestNewCasePastMeetings(t *testing.T) {
	// On 10 January the presidium of the 8th has been held.
	now := MustDate("2020-01-10").At(10, 0)
	t.Run("refused for a new case", func(t *testing.T) {
		_, err := NewCase(newDraft(), envAt(officer, now), false)
		wantFields(t, err, "route[0]")
	})
	t.Run("kept for an imported case", func(t *testing.T) {
		res, err := NewCase(newDraft(), envAt(officer, now), true)
		if err != nil {
			t.Fatal(err)
		}
		if res.Case.Number != "ASN-2019-17886" || res.Case.Route[0].Date != MustDate("2020-01-08") {
			t.Errorf("imported case %s route starts %s", res.Case.Number, res.Case.Route[0].Date)
		}
	})
	t.Run("imported, still in date order", func(t *testing.T) {
		d := newDraft()
		d.Route[1].Date = MustDate("2020-01-07")
		_, err := NewCase(d, envAt(officer, now), true)
		wantFields(t, err, "route[1]")
	})
	t.Run("imported, still with a number of its board", func(t *testing.T) {
		d := newDraft()
		d.Number = "KS-2019-17886"
		_, err := NewCase(d, envAt(officer, now), true)
		wantFields(t, err, "number")
	})
}

func TestParseNumber(t *testing.T) {
	board, year, serial, err := ParseNumber("ASN-2019-17886")
	if err != nil || board != "ASN" || year != 2019 || serial != 17886 {
		t.Errorf("ParseNumber = %q %d %d %v", board, year, serial, err)
	}
	if got := FormatNumber("ASN", 2019, 17886); got != "ASN-2019-17886" {
		t.Errorf("FormatNumber = %q", got)
	}
	if b, _, _, err := ParseNumber("SÖN-2020-1"); err != nil || b != "SÖN" {
		t.Errorf("ParseNumber(SÖN-2020-1) = %q, %v", b, err)
	}
	for _, bad := range []string{"", "ASN-2019-0", "A-2019-1", "ASN-2019-1 ", "ASN-2019-1234567890"} {
		if _, _, _, err := ParseNumber(bad); err == nil {
			t.Errorf("ParseNumber(%q) accepted", bad)
		}
	}
}

func TestEditDraft(t *testing.T) {
	edited := func() Draft {
		d := newDraft()
		d.Title = "Internationell redovisning 2019, reviderad"
		d.Recipients = append(d.Recipients, Recipient{Name: "Stadskontoret", Email: "stadskontoret@malmo.se"})
		return d
	}
	for _, by := range []User{officer, secretary} {
		t.Run("by "+by.Name, func(t *testing.T) {
			c := draftCase(t)
			before := snapshot(c)
			at := clock.Add(2 * time.Hour)
			res, err := EditDraft(c, c.Version, edited(), envAt(by, at))
			if err != nil {
				t.Fatal(err)
			}
			got := res.Case
			if got.Title != "Internationell redovisning 2019, reviderad" || len(got.Recipients) != 3 {
				t.Errorf("case title %q, %d recipients", got.Title, len(got.Recipients))
			}
			if got.Version != c.Version+1 || !got.UpdatedAt.Equal(at) || !got.CreatedAt.Equal(clock) {
				t.Errorf("version %d updated %v created %v", got.Version, got.UpdatedAt, got.CreatedAt)
			}
			if got.Officer != officer.Person() || got.Number != c.Number || got.Stage != StageDraft || got.Step != -1 {
				t.Errorf("officer %+v number %s stage %s step %d", got.Officer, got.Number, got.Stage, got.Step)
			}
			if res.Event.Action != "update" || res.Event.From != StageDraft || res.Event.To != StageDraft ||
				res.Event.Actor != by.Person() || res.Event.CaseNumber != c.Number || !res.Event.At.Equal(at) {
				t.Errorf("event = %+v", res.Event)
			}
			wantPayload(t, res.Event.Payload, []string{"title", "recipients"})
			if !reflect.DeepEqual(c, before) {
				t.Errorf("EditDraft changed its input case")
			}
		})
	}
}

func wantPayload(t *testing.T, payload json.RawMessage, fields []string) {
	t.Helper()
	var p struct {
		Fields []string `json:"fields"`
	}
	if err := json.Unmarshal(payload, &p); err != nil {
		t.Fatalf("payload %s: %v", payload, err)
	}
	if !slices.Equal(p.Fields, fields) {
		t.Errorf("changed fields = %q, want %q", p.Fields, fields)
	}
}

func TestEditDraftChangedFields(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(d *Draft)
		fields []string
	}{
		{"nothing", func(d *Draft) {}, nil},
		{"only whitespace", func(d *Draft) { d.Title = " " + d.Title + " " }, nil},
		{"summary", func(d *Draft) { d.Summary = "Ny sammanfattning" }, []string{"summary"}},
		{"proposals", func(d *Draft) { d.Proposals = d.Proposals[:1] }, []string{"proposals"}},
		{"background", func(d *Draft) { d.Background = "Nytt ärende" }, []string{"background"}},
		{"secret", func(d *Draft) { d.Secret = true }, []string{"secret"}},
		{"officer", func(d *Draft) { d.Officer = colleague }, []string{"officer"}},
		{"route date", func(d *Draft) { d.Route[2].Date = MustDate("2020-02-01") }, []string{"route"}},
		{"route without the AU", func(d *Draft) { d.Route = slices.Delete(d.Route, 1, 2) }, []string{"route"}},
		{"approver order", func(d *Draft) { d.Approvers[0], d.Approvers[1] = d.Approvers[1], d.Approvers[0] }, []string{"approvers"}},
		{"approver position", func(d *Draft) { d.Approvers[2].Position = "Tf. förvaltningschef" }, []string{"approvers"}},
		{"recipient e-mail", func(d *Draft) { d.Recipients[0].Email = "ks@malmo.se" }, []string{"recipients"}},
		{"everything", func(d *Draft) {
			d.Title, d.Summary, d.Background, d.Secret = "Ny", "Ny", "Ny", true
			d.Proposals = []string{"att"}
			d.Officer = colleague
			d.Route = d.Route[:3]
			d.Approvers = d.Approvers[:1]
			d.Recipients = nil
		}, []string{"title", "summary", "proposals", "background", "secret", "officer", "route", "approvers", "recipients"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := draftCase(t)
			d := newDraft()
			tt.edit(&d)
			res, err := EditDraft(c, c.Version, d, envFor(secretary))
			if err != nil {
				t.Fatal(err)
			}
			if tt.fields == nil {
				// Saved as it was: nothing to write.
				if !res.Unchanged || res.Event.Action != "" || res.Case.Version != c.Version || !reflect.DeepEqual(res.Case, c) {
					t.Errorf("an edit that changes nothing: unchanged %v, event %q, version %d (was %d)",
						res.Unchanged, res.Event.Action, res.Case.Version, c.Version)
				}
				return
			}
			if res.Unchanged {
				t.Errorf("an edit of %v is taken as unchanged", tt.fields)
			}
			wantPayload(t, res.Event.Payload, tt.fields)
		})
	}
}

// What changedFields does not name still makes an edit: a step moved to
// another meeting on the same date, an extra meeting asked for, a
// postponement dropped, a signature cleared.
func TestEditDraftChangesBeyondItsFields(t *testing.T) {
	tests := []struct {
		name string
		edit func(c *Case, d *Draft)
	}{
		{"another meeting the same day", func(c *Case, d *Draft) { c.Route[2].MeetingID, d.Route[2].MeetingID = 7, 8 }},
		{"an extra meeting asked for", func(c *Case, d *Draft) { d.Route[2].ExtraMeeting = true }},
		{"a postponement dropped", func(c *Case, d *Draft) { c.Route[2].Postponed = []Date{MustDate("2019-11-20")} }},
		{"a signature cleared", func(c *Case, d *Draft) { at := clock; c.Approvers[0].SignedAt = &at }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := draftCase(t)
			d := newDraft()
			tt.edit(&c, &d)
			res, err := EditDraft(c, c.Version, d, envFor(secretary))
			if err != nil {
				t.Fatal(err)
			}
			if res.Unchanged || res.Case.Version != c.Version+1 || res.Event.Action != "update" {
				t.Errorf("unchanged %v, version %d (was %d), event %q", res.Unchanged, res.Case.Version, c.Version, res.Event.Action)
			}
		})
	}
}

func TestEditDraftRefusals(t *testing.T) {
	tests := []struct {
		name    string
		build   func(t *testing.T) Case
		by      User
		version func(c Case) int
		edit    func(d *Draft)
		want    string
	}{
		{"in approval", func(t *testing.T) Case { return approvalCase(t, 0) }, officer, current, nil, ECONFLICT},
		{"on the route", presidiumCase, secretary, current, nil, ECONFLICT},
		{"closed", closedCase, secretary, current, nil, ECONFLICT},
		{"stale version", draftCase, officer, func(c Case) int { return c.Version - 1 }, nil, ECONFLICT},
		{"newer version", draftCase, officer, func(c Case) int { return c.Version + 1 }, nil, ECONFLICT},
		{"outsider", draftCase, outsider, current, nil, EFORBIDDEN},
		{"another officer", draftCase, colleague, current, nil, EFORBIDDEN},
		{"approver", draftCase, approver1, current, nil, EFORBIDDEN},
		{"admin", draftCase, admin, current, nil, EFORBIDDEN},
		{"secretary of another board", draftCase, ksSecretary, current, nil, EFORBIDDEN},
		{"inactive secretary", draftCase, inactiveSecretary, current, nil, EFORBIDDEN},
		{"no title", draftCase, officer, current, func(d *Draft) { d.Title = "" }, EINVALID},
		{"approver without the role", draftCase, officer, current, func(d *Draft) {
			d.Approvers[0].User = outsider
		}, EINVALID},
		{"a new officer who is not one", draftCase, secretary, current, func(d *Draft) { d.Officer = approver1 }, EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.build(t)
			d := newDraft()
			if tt.edit != nil {
				tt.edit(&d)
			}
			res, err := EditDraft(c, tt.version(c), d, envFor(tt.by))
			wantCode(t, err, tt.want)
			if !reflect.ValueOf(res).IsZero() {
				t.Errorf("failed EditDraft returned %+v", res)
			}
		})
	}
}

func current(c Case) int { return c.Version }

func TestEditReturnedDraft(t *testing.T) {
	// A case sent back from the AU is a draft again: the officer edits it and
	// submits it anew, and the sign-off starts over.
	c := mustApply(t, workingCommitteeCase(t), secretary, Command{Action: ActReturn, Reason: "Komplettera med kostnader"})
	d := newDraft()
	d.Background += " Kostnaderna redovisas i bilaga."
	res, err := EditDraft(c, c.Version, d, envFor(officer))
	if err != nil {
		t.Fatal(err)
	}
	wantPayload(t, res.Event.Payload, []string{"background"})
	again := mustApply(t, res.Case, officer, Command{Action: ActSubmit})
	if again.Stage != StageApproval || again.NextApprover() != 0 {
		t.Errorf("resubmitted case in %s, next approver %d", again.Stage, again.NextApprover())
	}
}

func TestEditDraftKeepsPastMeetings(t *testing.T) {
	// An imported draft whose meetings are past: a title fix must not force
	// re-dating every step, but a step may not be moved into the past.
	later := MustDate("2020-03-02").At(10, 0)
	c := draftCase(t)
	d := newDraft()
	d.Title = "Internationell redovisning 2019 (rättad)"
	res, err := EditDraft(c, c.Version, d, envAt(officer, later))
	if err != nil {
		t.Fatalf("editing the title of a draft with past meetings: %v", err)
	}
	if res.Case.Route[0].Date != MustDate("2020-01-08") {
		t.Errorf("route changed: %v", res.Case.Route[0].Date)
	}
	d = newDraft()
	d.Route[0].Date = MustDate("2020-01-09") // moved, and still in the past
	_, err = EditDraft(c, c.Version, d, envAt(officer, later))
	wantFields(t, err, "route[0]")
}
