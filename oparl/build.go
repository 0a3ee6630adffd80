package oparl

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/workflow"
)

// Catalog is the store's organisation (boards and organs, few rows), read
// once per request, from which every object finds its Body and Organization.
type Catalog struct {
	URLs
	Boards []db.OParlBoard
	Organs []db.OParlOrgan
}

// BodyRef is one OParl Body: a board without its council, or a council.
type BodyRef struct {
	Code, Name        string
	Scope             db.OParlScope
	Created, Modified time.Time
}

// Bodies lists the Bodies: each board, then each council organ.
func (c *Catalog) Bodies() []BodyRef {
	var out []BodyRef
	for _, b := range c.Boards {
		r := BodyRef{Code: b.Code, Name: b.Name, Scope: db.OParlScope{Board: b.ID}, Created: b.Created, Modified: b.Created}
		for _, o := range c.Organs {
			if o.BoardID == b.ID && o.Kind != workflow.KindCouncil && o.Created.After(r.Modified) {
				r.Modified = o.Created
			}
		}
		out = append(out, r)
	}
	for _, o := range c.Organs {
		if o.Kind == workflow.KindCouncil {
			out = append(out, BodyRef{Code: o.Code, Name: o.Name, Scope: db.OParlScope{Council: o.ID}, Created: o.Created, Modified: o.Created})
		}
	}
	return out
}

// Body finds a Body by its code.
func (c *Catalog) Body(code string) (BodyRef, bool) {
	for _, b := range c.Bodies() {
		if b.Code == code {
			return b, true
		}
	}
	return BodyRef{}, false
}

// BodyOfOrgan is the Body an organ belongs to: a council is its own.
func (c *Catalog) BodyOfOrgan(o db.OParlOrgan) string {
	if o.Kind == workflow.KindCouncil {
		return o.Code
	}
	return o.BoardCode
}

// BoardCode is the code of the board with id.
func (c *Catalog) BoardCode(id int64) string {
	for _, b := range c.Boards {
		if b.ID == id {
			return b.Code
		}
	}
	return ""
}

// Organ finds an organ by id.
func (c *Catalog) Organ(id int64) (db.OParlOrgan, bool) {
	for _, o := range c.Organs {
		if o.ID == id {
			return o, true
		}
	}
	return db.OParlOrgan{}, false
}

// OrganByCode finds an organ by code.
func (c *Catalog) OrganByCode(code string) (db.OParlOrgan, bool) {
	for _, o := range c.Organs {
		if o.Code == code {
			return o, true
		}
	}
	return db.OParlOrgan{}, false
}

// System is the installation: created with its first board, modified with
// its latest Body.
func (c *Catalog) System(name string) System {
	s := System{Common: Common{ID: c.URLs.System(), Type: TypeSystem}, OParlVersion: Version, Body: c.URLs.Bodies(), Name: name, Website: c.Base}
	var first, last time.Time
	for _, b := range c.Bodies() {
		if first.IsZero() || b.Created.Before(first) {
			first = b.Created
		}
		if b.Modified.After(last) {
			last = b.Modified
		}
	}
	s.Created, s.Modified = At(first), At(last)
	return s
}

// BodyObject is a Body with its external lists and its mandatperioder
// embedded (now decides which periods there are, LegislativeTerms).
func (c *Catalog) BodyObject(b BodyRef, now time.Time) Body {
	list := func(name string) string { return c.BodyList(b.Code, name) }
	out := Body{Common: Common{ID: c.URLs.Body(b.Code), Type: TypeBody, Created: At(b.Created), Modified: At(b.Modified)},
		System: c.URLs.System(), ShortName: b.Code, Name: b.Name, Website: c.Base,
		Organization: list("organization"), Person: list("person"), Meeting: list("meeting"), Paper: list("paper"),
		AgendaItem: list("agendaItem"), Consultation: list("consultation"), File: list("file"), LocationList: list("locationList"),
		LegislativeTermList: list("legislativeTermList"), Membership: list("membership"), LegislativeTerm: []LegislativeTerm{}}
	out.Classification = "Nämnd"
	if b.Scope.Council != 0 {
		out.Classification = "Fullmäktige"
	}
	for _, t := range LegislativeTerms(now) {
		out.LegislativeTerm = append(out.LegislativeTerm, c.Term(b, t, true))
	}
	return out
}

// Term is a mandatperiod: 15 October of an election year to 14 October four
// years later (vallagen: ordinary elections every fourth year in September;
// KL 5 kap 5 §: the new fullmäktige's term starts on 15 October).
type Term struct{ Start int }

// FirstTerm is the first mandatperiod listed: the one before 2022–2026, so
// cases from 2019 on have theirs.
const FirstTerm = 2018

// LegislativeTerms lists the mandatperioder from FirstTerm through the one
// after the current one (decided by the election in September of its first
// year), in order.
func LegislativeTerms(now time.Time) []Term {
	d := workflow.Today(now)
	cur := d.Year - (d.Year-FirstTerm)%4
	if d.Before(workflow.Date{Year: cur, Month: time.October, Day: 15}) {
		cur -= 4
	}
	var out []Term
	for y := FirstTerm; y <= cur+4; y += 4 {
		out = append(out, Term{Start: y})
	}
	return out
}

// Term is the LegislativeTerm t of Body b; embedded, it names no body.
func (c *Catalog) Term(b BodyRef, t Term, embedded bool) LegislativeTerm {
	out := LegislativeTerm{Common: Common{ID: c.LegislativeTerm(b.Code, t.Start), Type: TypeLegislativeTerm, Created: At(b.Created), Modified: At(b.Created)},
		Name:      fmt.Sprintf("Mandatperioden %d–%d", t.Start, t.Start+4),
		StartDate: fmt.Sprintf("%d-10-15", t.Start), EndDate: fmt.Sprintf("%d-10-14", t.Start+4)}
	if !embedded {
		out.Body = c.URLs.Body(b.Code)
	}
	return out
}

// ParseTermID splits "{body code}-{start year}" and checks the year is one
// a term starts in, written as the id writes it (not "ASN-02018").
func ParseTermID(id string) (code string, t Term, ok bool) {
	i := strings.LastIndex(id, "-")
	if i < 0 {
		return "", Term{}, false
	}
	y, err := strconv.Atoi(id[i+1:])
	if err != nil || y < FirstTerm || (y-FirstTerm)%4 != 0 || strconv.Itoa(y) != id[i+1:] {
		return "", Term{}, false
	}
	return id[:i], Term{Start: y}, true
}

var organTypes = map[workflow.BodyKind]string{
	workflow.KindPresidium:        "Presidium",
	workflow.KindWorkingCommittee: "Arbetsutskott",
	workflow.KindBoard:            "Nämnd",
	workflow.KindExecutiveBoard:   "Kommunstyrelse",
	workflow.KindCouncil:          "Kommunfullmäktige",
}

// OrganizationObject is an organ with its members' seats (memberIDs).
func (c *Catalog) OrganizationObject(o db.OParlOrgan, memberIDs []int64) Organization {
	out := Organization{Common: Common{ID: c.Organization(o.Code), Type: TypeOrganization, Created: At(o.Created), Modified: At(o.Modified)},
		Body: c.URLs.Body(c.BodyOfOrgan(o)), Name: o.Name, ShortName: o.Code,
		OrganizationType: "Gremium", Classification: organTypes[o.Kind]}
	for _, id := range memberIDs {
		out.Membership = append(out.Membership, c.Membership(id))
	}
	return out
}

// PersonObject is a person with their seats embedded as Memberships; a
// person without an active seat, or the id of a seat that belongs to a
// Person with a lower id (p.MergedInto), is a deleted Person: id, type,
// created, modified and deleted, no name (OParl 1.1 §2.8 "Gelöschte
// Objekte").
func (c *Catalog) PersonObject(p db.OParlPerson) Person {
	if !p.Active {
		return Person{Common: Deleted(c.Person(p.ID), TypePerson, At(p.Created), At(p.Modified))}
	}
	o, _ := c.Organ(p.OrganID)
	out := Person{Common: Common{ID: c.Person(p.ID), Type: TypePerson, Created: At(p.Created), Modified: At(p.Modified)},
		Body: c.URLs.Body(c.BodyOfOrgan(o)), Name: p.Name}
	for _, m := range p.Seats {
		out.Membership = append(out.Membership, c.MembershipObject(m, true))
	}
	return out
}

// MembershipObject is a member's seat; embedded in its Person it names no
// person. A seat taken off the list is a deleted Membership.
func (c *Catalog) MembershipObject(m db.OParlMember, embedded bool) Membership {
	if !m.Active {
		return Membership{Common: Deleted(c.Membership(m.ID), TypeMembership, At(m.Created), At(m.Modified))}
	}
	voting := m.Role == workflow.MemberChair || m.Role == workflow.MemberRegular
	out := Membership{Common: Common{ID: c.Membership(m.ID), Type: TypeMembership, Created: At(m.Created), Modified: At(m.Modified)},
		Organization: c.Organization(m.OrganCode), Role: m.Role.Label(), VotingRight: &voting}
	if !embedded {
		out.Person = c.Person(m.PersonID)
	}
	return out
}

// clock is the time "HH:MM" on d in Stockholm; nil when not set.
func clock(d workflow.Date, hhmm string) *Time {
	t, err := time.ParseInLocation("15:04", hhmm, workflow.Stockholm)
	if err != nil {
		return nil
	}
	return At(d.At(t.Hour(), t.Minute()))
}

// MeetingObject is a meeting with its place, agenda (from the kallelse on),
// and, once its protokoll is published on the web, its participants (as the
// published protokoll names them: db.Store.OParlParticipants) and its
// protokoll as a File.
func (c *Catalog) MeetingObject(m db.OParlMeeting, items []db.OParlAgendaItem, participants []int64) Meeting {
	out := Meeting{Common: Common{ID: c.Meeting(m.ID), Type: TypeMeeting, Created: At(m.Created), Modified: At(m.Modified)},
		Name: m.OrganName + " " + m.Date.String(), MeetingState: m.Status.Label(),
		Start: clock(m.Date, m.Start), End: clock(m.Date, m.End), Organization: []string{c.Organization(m.OrganCode)}}
	if out.Start == nil {
		out.End = nil
	}
	if m.Place != "" {
		l := c.LocationObject(m, true)
		out.Location = &l
	}
	if m.Published {
		for _, id := range participants {
			out.Participant = append(out.Participant, c.Person(id))
		}
	}
	if m.Published {
		f := c.FileObject(m, true)
		out.ResultsProtocol = &f
	}
	for _, it := range items {
		out.AgendaItem = append(out.AgendaItem, c.AgendaItemObject(it, true))
	}
	return out
}

// FileObject is the protokoll of a meeting published on the web; embedded in its
// Meeting it names no meeting. Its times are the File's own, not the
// meeting's: created at the first publication, modified at the newest
// (db.OParlMeeting.FileCreated, FileModified).
func (c *Catalog) FileObject(m db.OParlMeeting, embedded bool) File {
	out := File{Common: Common{ID: c.ProtokollFile(m.ID), Type: TypeFile, Created: At(m.FileCreated), Modified: At(m.FileModified)},
		Name: "Protokoll " + m.OrganName + " " + m.Date.String(), FileName: m.Date.String() + ".pdf", MimeType: "application/pdf",
		Date: Date(m.PostedOn), AccessURL: c.ProtokollPDF(m.OrganCode, m.Date)}
	if !embedded {
		out.Meeting = []string{c.Meeting(m.ID)}
	}
	return out
}

// LocationObject is a meeting's place; a place taken away is a deleted
// Location, deleted when the meeting last changed.
func (c *Catalog) LocationObject(m db.OParlMeeting, embedded bool) Location {
	if m.Place == "" {
		return Location{Common: Deleted(c.Location(m.ID), TypeLocation, At(m.Created), At(m.Modified))}
	}
	out := Location{Common: Common{ID: c.Location(m.ID), Type: TypeLocation, Created: At(m.Created), Modified: At(m.Modified)},
		Description: m.Place}
	if !embedded {
		out.Meetings = []string{c.Meeting(m.ID)}
	}
	return out
}

var itemTitles = map[string]string{
	"opening":    "Mötets öppnande",
	"adjusters":  "Val av justerare",
	"delegation": "Anmälan av delegationsbeslut",
}

// AgendaItemObject is a point of a föredragningslista. A case's point has
// the case's title, or workflow.WithheldText for a secret case, which is
// not public; the decision is shown as the store reads it for the public
// (db.OParlAgendaItem: its § once the protokoll is published on the web,
// result and resolutionText unless the secretary withheld the paragraph),
// never for a secret case. An item taken off the agenda after the kallelse
// (it.Deleted) is a deleted AgendaItem: id, type, created (its meeting's),
// modified (its removal) and deleted, nothing else, not even order (OParl
// 1.1 §2.8 "Gelöschte Objekte", OParl/spec src/4-07-geloeschte-objekte.md).
func (c *Catalog) AgendaItemObject(it db.OParlAgendaItem, embedded bool) AgendaItem {
	if it.Deleted {
		return AgendaItem{Common: Deleted(c.AgendaItem(it.ID), TypeAgendaItem, At(it.Created), At(it.Modified))}
	}
	public := !it.CaseSecret
	out := AgendaItem{Common: Common{ID: c.AgendaItem(it.ID), Type: TypeAgendaItem, Created: At(it.Created), Modified: At(it.Modified)},
		Order: it.Pos, Public: &public}
	switch {
	case it.CaseNumber == "":
		out.Name = it.Title
		if t, ok := itemTitles[it.Kind]; ok {
			out.Name = t
		}
	case it.CaseSecret:
		out.Name = workflow.WithheldText
	default:
		out.Name = it.CaseTitle
	}
	if it.CaseNumber != "" && it.StepPos >= 0 {
		out.Consultation = c.Consultation(it.CaseNumber, it.StepPos)
	}
	if it.MeetingStatus.AtLeast(workflow.MeetingJustified) && !it.CaseSecret {
		if it.DecisionType != "" {
			out.Result = it.DecisionType.Label()
			out.ResolutionText = it.DecisionText
		}
		if it.Paragraph > 0 {
			out.Number = "§ " + strconv.Itoa(it.Paragraph)
		}
	}
	if !embedded {
		out.Meeting = c.Meeting(it.MeetingID)
	}
	return out
}

// PaperObject is a case as the diary registers it: reference (diarienummer),
// name (the title, or workflow.WithheldText for a secret case), date of
// registration and its route as consultations.
func (c *Catalog) PaperObject(cs db.OParlCase) Paper {
	out := Paper{Common: Common{ID: c.Paper(cs.Number), Type: TypePaper, Created: At(cs.Created), Modified: At(cs.Modified)},
		Body: c.URLs.Body(c.BoardCode(cs.BoardID)), Name: cs.Title, Reference: cs.Number,
		Date: Date(workflow.Today(cs.Created)), PaperType: PaperType}
	if cs.Secret {
		out.Name = workflow.WithheldText
	}
	for _, st := range cs.Steps {
		out.Consultation = append(out.Consultation, c.ConsultationObject(st, true))
	}
	return out
}

// ConsultationObject is a route step: the organ, its meeting and agenda
// item, and whether the organ decides (the last step) or prepares.
func (c *Catalog) ConsultationObject(st db.OParlStep, embedded bool) Consultation {
	authoritative := st.Last
	out := Consultation{Common: Common{ID: c.Consultation(st.CaseNumber, st.Pos), Type: TypeConsultation, Created: At(st.Created), Modified: At(st.Modified)},
		Authoritative: &authoritative, Role: "Beredning"}
	if st.Last {
		out.Role = "Beslut"
	}
	if o, ok := c.Organ(st.OrganID); ok {
		out.Organization = []string{c.Organization(o.Code)}
	}
	if st.MeetingID != 0 {
		out.Meeting = c.Meeting(st.MeetingID)
	}
	if st.AgendaItemID != 0 {
		out.AgendaItem = c.AgendaItem(st.AgendaItemID)
	}
	if !embedded {
		out.Paper = c.Paper(st.CaseNumber)
	}
	return out
}
