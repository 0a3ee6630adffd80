package public

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/oparl"
	"github.com/kommun/beslutsgang/workflow"
)

// The OParl 1.1 read API (https://oparl.org; package oparl holds the
// mapping): public, no login, under the public readers' share (publicShare),
// every answer with Access-Control-Allow-Origin: * (OParl 1.1 §2.6) and every
// failure as OParl's Error object (§2.9).
//
//	GET /oparl/v1.1/                                    System
//	GET /oparl/v1.1/body                                list of Body
//	GET /oparl/v1.1/body/{code}                         Body
//	GET /oparl/v1.1/body/{code}/{list}                  list: organization, person, meeting, paper,
//	                                                    agendaItem, consultation, file, locationList,
//	                                                    legislativeTermList, membership
//	GET /oparl/v1.1/organization/{code}                 Organization
//	GET /oparl/v1.1/person/{id}, membership/{id}        Person, Membership
//	GET /oparl/v1.1/meeting/{id}, agendaitem/{id}       Meeting, AgendaItem
//	GET /oparl/v1.1/paper/{number}                      Paper
//	GET /oparl/v1.1/consultation/{number}/{pos}         Consultation
//	GET /oparl/v1.1/file/protokoll-{meeting id}         File
//	GET /oparl/v1.1/location/{meeting id}               Location
//	GET /oparl/v1.1/legislativeterm/{code}-{year}       LegislativeTerm
//
// A deleted object answers 200 with deleted: true and only its id, type,
// created and modified, the time of deletion (OParl 1.1 §2.8 "Gelöschte
// Objekte"): a seat taken off (Membership, and the Person once no seat is
// left), the id of a seat whose Person has a lower id, a meeting's cleared
// place (Location), and an agenda item taken off after the kallelse (one
// taken off before never was public and answers 404). All but the Location
// stay in their Body's list, where modified_since finds them.
//
// A list takes the filters created_since, created_until, modified_since and
// modified_until (full date-times, §2.5 "Filter"), elementsPerPage (or
// limit; at most oparlMaxPerPage), and after, the position its links.next
// carries; every other parameter is refused, so a misspelt filter is not
// silently ignored.

// oparlPerPage and oparlMaxPerPage bound a list page (§2.5 recommends
// paging lists longer than 100).
const (
	oparlPerPage    = 50
	oparlMaxPerPage = 100
)

// oparlSystemName is System.name.
const oparlSystemName = "Beslutsgång"

func (s *Server) routesOParl(app *fiber.App) {
	g := app.Group("/oparl/v1.1", s.oparlAnswer, s.PublicShare, s.oparlRemember)
	g.Get("/", s.oparlSystem)
	g.Get("/body", s.oparlBodies)
	g.Get("/body/:code", s.oparlBody)
	g.Get("/body/:code/:list", s.oparlBodyList)
	g.Get("/organization/:code", s.oparlOrganization)
	g.Get("/person/:id", s.oparlPerson)
	g.Get("/membership/:id", s.oparlMembership)
	g.Get("/meeting/:id", s.oparlMeeting)
	g.Get("/agendaitem/:id", s.oparlAgendaItem)
	g.Get("/paper/:number", s.oparlPaper)
	g.Get("/consultation/:number/:pos", s.oparlConsultation)
	g.Get("/file/:id", s.oparlFile)
	g.Get("/location/:id", s.oparlLocation)
	g.Get("/legislativeterm/:id", s.oparlLegislativeTerm)
	g.All("/*", func(c *fiber.Ctx) error {
		if c.Method() != fiber.MethodGet && c.Method() != fiber.MethodHead {
			return fiber.NewError(fiber.StatusMethodNotAllowed)
		}
		return fiber.NewError(fiber.StatusNotFound, "Det finns inget OParl-objekt på den här adressen")
	})
}

// oparlAnswer sets the headers every OParl answer carries (CORS, §2.6; the
// objects may be read from any origin) and writes a failure as an Error
// object: {"type": "https://schema.oparl.org/1.1/Error", "message": Swedish,
// "debug": status and path}.
func (s *Server) oparlAnswer(c *fiber.Ctx) error {
	c.Set(fiber.HeaderAccessControlAllowOrigin, "*")
	c.Set("Cross-Origin-Resource-Policy", "cross-origin")
	if c.Method() == fiber.MethodOptions {
		c.Set(fiber.HeaderAccessControlAllowMethods, "GET, HEAD, OPTIONS")
		c.Set(fiber.HeaderAllow, "GET, HEAD, OPTIONS")
		return c.SendStatus(fiber.StatusNoContent)
	}
	err := oparlPathCheck(c)
	if err == nil {
		err = c.Next()
	}
	if err == nil {
		return nil
	}
	p := httpx.ToProblem(err)
	if p.Status >= 500 && p.Status != fiber.StatusServiceUnavailable {
		httpx.Log(c).Error("oparl", "route", c.Route().Path, "err", err)
	}
	if p.Status == fiber.StatusMethodNotAllowed {
		c.Set(fiber.HeaderAllow, "GET, HEAD, OPTIONS")
	}
	msg := p.Detail
	if msg == "" || p.Status == fiber.StatusInternalServerError {
		msg = httpx.Titles[p.Status]
	}
	c.Status(p.Status)
	return oparlSend(c, oparl.Error{Type: oparl.TypeError, Message: msg,
		Debug: strconv.Itoa(p.Status) + " " + p.Title + ": " + c.Method() + " " + c.OriginalURL()})
}

// errNotKept is an OParl answer that is not kept: not a 200 JSON object.
var errNotKept = errors.New("not kept")

// oparlRemember answers a GET of an OParl object or list from the store's
// list cache while the database is unchanged (db.Store.RememberPage): a
// list of meetings embeds every meeting's agenda, which costs far more to
// read and write than to send again, and the answers are the same for
// everyone. The key holds what an answer depends on besides the database:
// its address, the URL base its links are written with (oparlCatalog),
// and the day (the current legislative term). Files are sent as they are.
func (s *Server) oparlRemember(c *fiber.Ctx) error {
	if c.Method() != fiber.MethodGet || strings.HasPrefix(c.Path(), "/oparl/v1.1/file/") {
		return c.Next()
	}
	key := "oparl\x00" + s.oparlBase(c) + "\x00" + workflow.Today(s.Store.Now()).String() + "\x00" + c.OriginalURL()
	drawn := false
	body, err := s.Store.RememberPage(c.UserContext(), key, func(ctx context.Context) ([]byte, error) {
		drawn = true
		c.SetUserContext(ctx)
		if err := c.Next(); err != nil {
			return nil, err
		}
		r := c.Response()
		if r.StatusCode() != fiber.StatusOK || string(r.Header.ContentType()) != fiber.MIMEApplicationJSONCharsetUTF8 {
			return nil, errNotKept
		}
		return slices.Clone(r.Body()), nil
	})
	switch {
	case errors.Is(err, errNotKept):
		return nil // answered as the handler answered
	case err != nil || drawn:
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Send(body)
}

// oparlPathCheck refuses a path that holds a control character, a
// character that turns the writing direction, or no valid UTF-8 once
// decoded (paper/%00): no object has such an id, and the answer must not
// echo it (its debug carries the path percent-encoded, as sent).
func oparlPathCheck(c *fiber.Ctx) error {
	path, err := url.PathUnescape(string(c.Request().URI().PathOriginal()))
	if err == nil && workflow.TextProblem(path) == "" && !strings.ContainsAny(path, "\t\n\r") {
		return nil
	}
	return fiber.NewError(fiber.StatusNotFound, "Det finns inget OParl-objekt på den här adressen: den innehåller tecken som inget id har")
}

// oparlSend writes v as JSON in UTF-8 without HTML escaping (§2.4).
func oparlSend(c *fiber.Ctx, v any) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Send(bytes.TrimRight(b.Bytes(), "\n"))
}

// oparlBase is the base of the OParl objects' URLs: the configured public
// base URL (Config.BaseURL), else the request's scheme and host.
func (s *Server) oparlBase(c *fiber.Ctx) string {
	if base := strings.TrimRight(s.Config.BaseURL, "/"); base != "" {
		return base
	}
	return c.BaseURL()
}

// oparlCatalog reads the organisation and the URL base (oparlBase).
func (s *Server) oparlCatalog(c *fiber.Ctx) (*oparl.Catalog, error) {
	cat := &oparl.Catalog{URLs: oparl.URLs{Base: s.oparlBase(c)}}
	var err error
	if cat.Boards, err = s.Store.OParlBoards(c.UserContext()); err != nil {
		return nil, err
	}
	cat.Organs, err = s.Store.OParlOrgans(c.UserContext())
	return cat, err
}

func oparlNotFound(what string) error {
	return fiber.NewError(fiber.StatusNotFound, what+" finns inte")
}

// oparlID reads a positive integer id from the path, written as the
// object's id writes it: "017" or "+17" names no object (an object has one
// id, OParl 1.1 §2.2), so it is not found.
func oparlID(c *fiber.Ctx, name, what string) (int64, error) {
	id, ok := canonicalID(c.Params(name))
	if !ok {
		return 0, oparlNotFound(what)
	}
	return id, nil
}

// canonicalID reads s as a positive integer written in its one form: digits
// without sign or leading zeros.
func canonicalID(s string) (int64, bool) {
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0 && strconv.FormatInt(id, 10) == s
}

// oparlListQuery is a list request's validated parameters.
type oparlListQuery struct {
	db.OParlFilter
	carry url.Values // the filters and page size, carried into the links
}

var oparlTimeParams = []string{"created_since", "created_until", "modified_since", "modified_until"}

// oparlParseTime reads a full date-time with offset (§2.4); a "+" a client
// forgot to encode arrives as a space and is read back as "+".
func oparlParseTime(v string) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339, v)
	if err != nil && strings.Count(v, " ") == 1 {
		t, err = time.Parse(time.RFC3339, strings.Replace(v, " ", "+", 1))
	}
	return t, err == nil
}

// oparlQuery validates a list's query (see the routes' comment).
func oparlQuery(c *fiber.Ctx) (oparlListQuery, error) {
	q := oparlListQuery{OParlFilter: db.OParlFilter{Limit: oparlPerPage}, carry: url.Values{}}
	var bad []string
	seen := map[string]bool{}
	c.Context().QueryArgs().VisitAll(func(k, v []byte) {
		key := string(k)
		switch key {
		case "created_since", "created_until", "modified_since", "modified_until", "elementsPerPage", "limit", "after", "omit_internal":
		default:
			if workflow.TextProblem(key) != "" || strings.ContainsAny(key, "\t\n\r") {
				key = "med tecken som inte får finnas i text"
			} else {
				key = strconv.Quote(key)
			}
			bad = append(bad, "Okänd parameter "+key+"; en lista tar created_since, created_until, modified_since, modified_until, elementsPerPage och after")
			return
		}
		if workflow.TextProblem(string(v)) != "" || strings.ContainsAny(string(v), "\t\n\r") {
			// Not echoed: the value may turn the writing direction.
			bad = append(bad, "Parametern "+key+" har ett värde med tecken som inte får finnas i text")
			seen[key] = true
			return
		}
		// A repeated or empty filter would be read as one of its values,
		// or as none: refused, so the client learns its query is not read.
		if key == "limit" {
			key = "elementsPerPage"
		}
		switch {
		case seen[key] && key == "elementsPerPage":
			bad = append(bad, "Sidstorleken anges flera gånger (elementsPerPage eller limit); ange den en gång")
		case seen[key]:
			bad = append(bad, "Parametern "+key+" anges flera gånger; ange den en gång")
		case len(v) == 0 && key != "omit_internal":
			bad = append(bad, "Parametern "+string(k)+" saknar värde")
		}
		seen[key] = true
	})
	times := []*time.Time{&q.CreatedSince, &q.CreatedUntil, &q.ModifiedSince, &q.ModifiedUntil}
	for i, name := range oparlTimeParams {
		v := c.Query(name)
		if v == "" {
			continue
		}
		t, ok := oparlParseTime(v)
		if !ok {
			bad = append(bad, name+" ska vara en tidpunkt med tidszon, t.ex. 2026-01-01T00:00:00+01:00 (med + skrivet %2B)")
			continue
		}
		*times[i] = t
		q.carry.Set(name, t.Format(time.RFC3339))
	}
	if !q.CreatedSince.IsZero() && !q.CreatedUntil.IsZero() && q.CreatedUntil.Before(q.CreatedSince) {
		bad = append(bad, "created_until ligger före created_since")
	}
	if !q.ModifiedSince.IsZero() && !q.ModifiedUntil.IsZero() && q.ModifiedUntil.Before(q.ModifiedSince) {
		bad = append(bad, "modified_until ligger före modified_since")
	}
	for _, name := range []string{"elementsPerPage", "limit"} {
		if v := c.Query(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				bad = append(bad, name+" ska vara ett positivt heltal")
				continue
			}
			q.Limit = min(n, oparlMaxPerPage)
			q.carry.Set("elementsPerPage", strconv.Itoa(q.Limit))
		}
	}
	if v := c.Query("after"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			bad = append(bad, "after ska vara ett heltal från en tidigare sidas länk next")
		}
		q.After = n
	}
	if len(bad) > 0 {
		return q, fiber.NewError(fiber.StatusBadRequest, strings.Join(bad, "; "))
	}
	return q, nil
}

// oparlPage writes a list page: data, pagination, and links whose first and
// self carry the filters and next also the last item's position.
func oparlPage(c *fiber.Ctx, list string, q oparlListQuery, data []any, more bool, last int64) error {
	link := func(after int64) string {
		v := url.Values{}
		for k, vs := range q.carry {
			v[k] = vs
		}
		if after > 0 {
			v.Set("after", strconv.FormatInt(after, 10))
		}
		if len(v) == 0 {
			return list
		}
		return list + "?" + v.Encode()
	}
	if data == nil {
		data = []any{}
	}
	page := oparl.List{Data: data, Pagination: oparl.Pagination{ElementsPerPage: q.Limit},
		Links: oparl.Links{First: link(0), Self: link(q.After)}}
	if more {
		page.Links.Next = link(last)
	}
	return oparlSend(c, page)
}
