package public

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/oparl"
)

// The handlers of the OParl objects and lists (routes in public_oparl.go).

func (s *Server) oparlSystem(c *fiber.Ctx) error {
	cat, err := s.oparlCatalog(c)
	if err != nil {
		return err
	}
	return oparlSend(c, cat.System(oparlSystemName))
}

// oparlMemoryItem is an object of a list kept in memory (bodies,
// organizations, terms: a few per board), with its position from 1.
type oparlMemoryItem struct {
	obj               any
	created, modified time.Time
}

// oparlMemoryPage pages and filters a list held in memory as the store does
// its lists: by position, after q.After.
func oparlMemoryPage(c *fiber.Ctx, list string, q oparlListQuery, items []oparlMemoryItem) error {
	var data []any
	var last int64
	more := false
	for i, it := range items {
		pos := int64(i + 1)
		if pos <= q.After || !oparlInWindow(q.OParlFilter, it.created, it.modified) {
			continue
		}
		if len(data) == q.Limit {
			more = true
			break
		}
		data, last = append(data, it.obj), pos
	}
	return oparlPage(c, list, q, data, more, last)
}

func oparlInWindow(f db.OParlFilter, created, modified time.Time) bool {
	return (f.CreatedSince.IsZero() || !created.Before(f.CreatedSince)) &&
		(f.CreatedUntil.IsZero() || !created.After(f.CreatedUntil)) &&
		(f.ModifiedSince.IsZero() || !modified.Before(f.ModifiedSince)) &&
		(f.ModifiedUntil.IsZero() || !modified.After(f.ModifiedUntil))
}

func (s *Server) oparlBodies(c *fiber.Ctx) error {
	q, err := oparlQuery(c)
	if err != nil {
		return err
	}
	cat, err := s.oparlCatalog(c)
	if err != nil {
		return err
	}
	var items []oparlMemoryItem
	now := s.Store.Now()
	for _, b := range cat.Bodies() {
		items = append(items, oparlMemoryItem{cat.BodyObject(b, now), b.Created, b.Modified})
	}
	return oparlMemoryPage(c, cat.URLs.Bodies(), q, items)
}

func (s *Server) oparlBodyRef(c *fiber.Ctx) (*oparl.Catalog, oparl.BodyRef, error) {
	cat, err := s.oparlCatalog(c)
	if err != nil {
		return nil, oparl.BodyRef{}, err
	}
	b, ok := cat.Body(c.Params("code"))
	if !ok {
		return nil, b, oparlNotFound("Organisationen (Body) " + strconv.Quote(c.Params("code")))
	}
	return cat, b, nil
}

func (s *Server) oparlBody(c *fiber.Ctx) error {
	cat, b, err := s.oparlBodyRef(c)
	if err != nil {
		return err
	}
	return oparlSend(c, cat.BodyObject(b, s.Store.Now()))
}

// oparlBodyList serves one of a Body's external lists.
func (s *Server) oparlBodyList(c *fiber.Ctx) error {
	cat, b, err := s.oparlBodyRef(c)
	if err != nil {
		return err
	}
	name := c.Params("list")
	lists := map[string]func(*fiber.Ctx, *oparl.Catalog, oparl.BodyRef, oparlListQuery) error{
		"organization": s.oparlOrganizations, "person": s.oparlPersons, "membership": s.oparlMemberships,
		"meeting": s.oparlMeetings, "agendaItem": s.oparlAgendaItems, "paper": s.oparlPapers,
		"consultation": s.oparlConsultations, "file": s.oparlFiles, "locationList": s.oparlLocations,
		"legislativeTermList": s.oparlTerms,
	}
	fn, ok := lists[name]
	if !ok {
		return oparlNotFound("Listan " + strconv.Quote(name))
	}
	q, err := oparlQuery(c)
	if err != nil {
		return err
	}
	return fn(c, cat, b, q)
}

func (s *Server) oparlOrganizations(c *fiber.Ctx, cat *oparl.Catalog, b oparl.BodyRef, q oparlListQuery) error {
	var items []oparlMemoryItem
	for _, o := range cat.Organs {
		if cat.BodyOfOrgan(o) != b.Code {
			continue
		}
		members, err := s.Store.OParlMembersOf(c.UserContext(), o.ID)
		if err != nil {
			return err
		}
		items = append(items, oparlMemoryItem{cat.OrganizationObject(o, members), o.Created, o.Modified})
	}
	return oparlMemoryPage(c, cat.BodyList(b.Code, "organization"), q, items)
}

func (s *Server) oparlTerms(c *fiber.Ctx, cat *oparl.Catalog, b oparl.BodyRef, q oparlListQuery) error {
	var items []oparlMemoryItem
	for _, t := range oparl.LegislativeTerms(s.Store.Now()) {
		items = append(items, oparlMemoryItem{cat.Term(b, t, false), b.Created, b.Created})
	}
	return oparlMemoryPage(c, cat.BodyList(b.Code, "legislativeTermList"), q, items)
}

func (s *Server) oparlPersons(c *fiber.Ctx, cat *oparl.Catalog, b oparl.BodyRef, q oparlListQuery) error {
	ps, more, err := s.Store.OParlPersons(c.UserContext(), b.Scope, q.OParlFilter)
	return oparlRows(c, cat.BodyList(b.Code, "person"), q, ps, more, err, func(p db.OParlPerson) (any, int64) { return cat.PersonObject(p), p.ID })
}

func (s *Server) oparlMemberships(c *fiber.Ctx, cat *oparl.Catalog, b oparl.BodyRef, q oparlListQuery) error {
	ms, more, err := s.Store.OParlMembers(c.UserContext(), b.Scope, q.OParlFilter)
	return oparlRows(c, cat.BodyList(b.Code, "membership"), q, ms, more, err, func(m db.OParlMember) (any, int64) { return cat.MembershipObject(m, false), m.ID })
}

// oparlMeetingObject reads what a Meeting embeds: its agenda and participants.
func (s *Server) oparlMeetingObject(c *fiber.Ctx, cat *oparl.Catalog, m db.OParlMeeting) (oparl.Meeting, error) {
	items, err := s.Store.OParlMeetingItems(c.UserContext(), m)
	if err != nil {
		return oparl.Meeting{}, err
	}
	participants, err := s.Store.OParlParticipants(c.UserContext(), m.ID)
	if err != nil {
		return oparl.Meeting{}, err
	}
	return cat.MeetingObject(m, items, participants), nil
}

func (s *Server) oparlMeetings(c *fiber.Ctx, cat *oparl.Catalog, b oparl.BodyRef, q oparlListQuery) error {
	ms, more, err := s.Store.OParlMeetings(c.UserContext(), b.Scope, db.OParlAllMeetings, q.OParlFilter)
	if err != nil {
		return err
	}
	data := make([]any, len(ms))
	var last int64
	for i, m := range ms {
		if data[i], err = s.oparlMeetingObject(c, cat, m); err != nil {
			return err
		}
		last = m.ID
	}
	return oparlPage(c, cat.BodyList(b.Code, "meeting"), q, data, more, last)
}

func (s *Server) oparlFiles(c *fiber.Ctx, cat *oparl.Catalog, b oparl.BodyRef, q oparlListQuery) error {
	ms, more, err := s.Store.OParlFiles(c.UserContext(), b.Scope, q.OParlFilter)
	return oparlRows(c, cat.BodyList(b.Code, "file"), q, ms, more, err, func(m db.OParlMeeting) (any, int64) { return cat.FileObject(m, false), m.ID })
}

func (s *Server) oparlLocations(c *fiber.Ctx, cat *oparl.Catalog, b oparl.BodyRef, q oparlListQuery) error {
	ms, more, err := s.Store.OParlMeetings(c.UserContext(), b.Scope, db.OParlWithPlace, q.OParlFilter)
	return oparlRows(c, cat.BodyList(b.Code, "locationList"), q, ms, more, err, func(m db.OParlMeeting) (any, int64) { return cat.LocationObject(m, false), m.ID })
}

func (s *Server) oparlAgendaItems(c *fiber.Ctx, cat *oparl.Catalog, b oparl.BodyRef, q oparlListQuery) error {
	items, more, err := s.Store.OParlAgendaItems(c.UserContext(), b.Scope, q.OParlFilter)
	return oparlRows(c, cat.BodyList(b.Code, "agendaItem"), q, items, more, err, func(it db.OParlAgendaItem) (any, int64) { return cat.AgendaItemObject(it, false), it.ID })
}

func (s *Server) oparlPapers(c *fiber.Ctx, cat *oparl.Catalog, b oparl.BodyRef, q oparlListQuery) error {
	cases, more, err := s.Store.OParlCases(c.UserContext(), b.Scope, q.OParlFilter)
	return oparlRows(c, cat.BodyList(b.Code, "paper"), q, cases, more, err, func(cs db.OParlCase) (any, int64) { return cat.PaperObject(cs), cs.ID })
}

func (s *Server) oparlConsultations(c *fiber.Ctx, cat *oparl.Catalog, b oparl.BodyRef, q oparlListQuery) error {
	steps, more, err := s.Store.OParlSteps(c.UserContext(), b.Scope, q.OParlFilter)
	return oparlRows(c, cat.BodyList(b.Code, "consultation"), q, steps, more, err, func(st db.OParlStep) (any, int64) {
		return cat.ConsultationObject(st, false), st.CaseID*1000 + int64(st.Pos)
	})
}

func (s *Server) oparlOrganization(c *fiber.Ctx) error {
	cat, err := s.oparlCatalog(c)
	if err != nil {
		return err
	}
	o, ok := cat.OrganByCode(c.Params("code"))
	if !ok {
		return oparlNotFound("Organet " + strconv.Quote(c.Params("code")))
	}
	members, err := s.Store.OParlMembersOf(c.UserContext(), o.ID)
	if err != nil {
		return err
	}
	return oparlSend(c, cat.OrganizationObject(o, members))
}

func (s *Server) oparlPerson(c *fiber.Ctx) error {
	id, err := oparlID(c, "id", "Personen")
	if err != nil {
		return err
	}
	cat, err := s.oparlCatalog(c)
	if err != nil {
		return err
	}
	p, err := s.Store.OParlPersonByID(c.UserContext(), id)
	if err != nil {
		return err
	}
	return oparlSend(c, cat.PersonObject(p))
}

func (s *Server) oparlMembership(c *fiber.Ctx) error {
	id, err := oparlID(c, "id", "Uppdraget")
	if err != nil {
		return err
	}
	cat, err := s.oparlCatalog(c)
	if err != nil {
		return err
	}
	m, err := s.Store.OParlMemberByID(c.UserContext(), id)
	if err != nil {
		return err
	}
	return oparlSend(c, cat.MembershipObject(m, false))
}

// oparlMeetingByID reads the meeting whose id is the path's param after prefix.
func (s *Server) oparlMeetingByID(c *fiber.Ctx, prefix string) (*oparl.Catalog, db.OParlMeeting, error) {
	raw, ok := strings.CutPrefix(c.Params("id"), prefix)
	id, canonical := canonicalID(raw)
	if !ok || !canonical {
		return nil, db.OParlMeeting{}, oparlNotFound("Objektet " + strconv.Quote(c.Params("id")))
	}
	cat, err := s.oparlCatalog(c)
	if err != nil {
		return nil, db.OParlMeeting{}, err
	}
	m, err := s.Store.OParlMeetingByID(c.UserContext(), id)
	return cat, m, err
}

func (s *Server) oparlMeeting(c *fiber.Ctx) error {
	cat, m, err := s.oparlMeetingByID(c, "")
	if err != nil {
		return err
	}
	obj, err := s.oparlMeetingObject(c, cat, m)
	if err != nil {
		return err
	}
	return oparlSend(c, obj)
}

// oparlFile serves a protokoll's File: there only once it is published on the web.
func (s *Server) oparlFile(c *fiber.Ctx) error {
	cat, m, err := s.oparlMeetingByID(c, "protokoll-")
	if err != nil {
		return err
	}
	if !m.Published {
		return oparlNotFound("Protokollet är inte publicerat på webben och")
	}
	return oparlSend(c, cat.FileObject(m, false))
}

func (s *Server) oparlLocation(c *fiber.Ctx) error {
	cat, m, err := s.oparlMeetingByID(c, "")
	if err != nil {
		return err
	}
	return oparlSend(c, cat.LocationObject(m, false))
}

func (s *Server) oparlAgendaItem(c *fiber.Ctx) error {
	id, err := oparlID(c, "id", "Punkten")
	if err != nil {
		return err
	}
	cat, err := s.oparlCatalog(c)
	if err != nil {
		return err
	}
	it, err := s.Store.OParlAgendaItemByID(c.UserContext(), id)
	if err != nil {
		return err
	}
	return oparlSend(c, cat.AgendaItemObject(it, false))
}

func (s *Server) oparlPaper(c *fiber.Ctx) error {
	cat, err := s.oparlCatalog(c)
	if err != nil {
		return err
	}
	cs, err := s.Store.OParlCaseByNumber(c.UserContext(), c.Params("number"))
	if err != nil {
		return err
	}
	return oparlSend(c, cat.PaperObject(cs))
}

func (s *Server) oparlConsultation(c *fiber.Ctx) error {
	pos, err := strconv.Atoi(c.Params("pos"))
	if err != nil || pos < 0 || strconv.Itoa(pos) != c.Params("pos") {
		return oparlNotFound("Steget")
	}
	cat, err := s.oparlCatalog(c)
	if err != nil {
		return err
	}
	st, err := s.Store.OParlStepOf(c.UserContext(), c.Params("number"), pos)
	if err != nil {
		return err
	}
	return oparlSend(c, cat.ConsultationObject(st, false))
}

func (s *Server) oparlLegislativeTerm(c *fiber.Ctx) error {
	code, t, ok := oparl.ParseTermID(c.Params("id"))
	if !ok {
		return oparlNotFound("Mandatperioden " + strconv.Quote(c.Params("id")))
	}
	cat, err := s.oparlCatalog(c)
	if err != nil {
		return err
	}
	b, ok := cat.Body(code)
	if !ok {
		return oparlNotFound("Organisationen (Body) " + strconv.Quote(code))
	}
	for _, have := range oparl.LegislativeTerms(s.Store.Now()) {
		if have == t {
			return oparlSend(c, cat.Term(b, t, false))
		}
	}
	return oparlNotFound("Mandatperioden " + strconv.Quote(c.Params("id")))
}

// oparlRows answers one page of a list: the rows a store query read (or its
// error), each made an object by obj, which also gives the row's position
// for the next page's link.
func oparlRows[T any](c *fiber.Ctx, list string, q oparlListQuery, rows []T, more bool, err error, obj func(T) (any, int64)) error {
	if err != nil {
		return err
	}
	data := make([]any, len(rows))
	var last int64
	for i, r := range rows {
		data[i], last = obj(r)
	}
	return oparlPage(c, list, q, data, more, last)
}
