package public_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/handlers"
	"github.com/kommun/beslutsgang/oparl"
	"github.com/kommun/beslutsgang/workflow"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// oparlSchemas compiles the vendored OParl 1.1 schemas (oparl/testdata/schema),
// by object type name.
func oparlSchemas(t *testing.T) map[string]*jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	c.RegisterFormat(&jsonschema.Format{Name: "url", Validate: func(v any) error {
		s, ok := v.(string)
		if !ok {
			return nil
		}
		u, err := url.Parse(s)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return &url.Error{Op: "parse", URL: s, Err: os.ErrInvalid}
		}
		return nil
	}})
	names := []string{"System", "Body", "Organization", "Person", "Membership", "Meeting", "AgendaItem", "Paper",
		"Consultation", "File", "Location", "LegislativeTerm"}
	out := map[string]*jsonschema.Schema{}
	for _, n := range names {
		f, err := os.Open(filepath.Join("..", "..", "oparl", "testdata", "schema", n+".json"))
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		loc := "https://schema.oparl.org/1.1/schema/" + n + ".json"
		if err := c.AddResource(loc, doc); err != nil {
			t.Fatal(err)
		}
		if out[n], err = c.Compile(loc); err != nil {
			t.Fatalf("%s: %v", n, err)
		}
	}
	return out
}

// oparlCrawl is what a walk through the API found.
type oparlCrawl struct {
	bodies  map[string]string // every answer's body, by URL
	objects map[string]map[string]any
	types   map[string]int // objects seen (also embedded) by type
}

// crawlOParl walks from the System through every OParl URL an answer names,
// at most limit requests and d long, and checks each answer: 200 with CORS,
// an object's id is its URL, every object (also embedded) valid by its
// schema, with created and modified, and no "", null or [] where a field
// should be left out.
func crawlOParl(t *testing.T, base string, limit int, d time.Duration) oparlCrawl {
	t.Helper()
	schemas := oparlSchemas(t)
	prefix := base + oparl.Prefix
	cr := oparlCrawl{bodies: map[string]string{}, objects: map[string]map[string]any{}, types: map[string]int{}}
	queue, seen := []string{prefix}, map[string]bool{prefix: true}
	deadline := time.Now().Add(d)
	for len(queue) > 0 && len(cr.bodies) < limit && time.Now().Before(deadline) {
		u := queue[0]
		queue = queue[1:]
		r, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		var body []byte
		body, err = readAll(r)
		if err != nil {
			t.Fatal(err)
		}
		cr.bodies[u] = string(body)
		if r.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %d %s", u, r.StatusCode, body)
			continue
		}
		if r.Header.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("GET %s: no CORS header", u)
		}
		var v map[string]any
		if err := json.Unmarshal(body, &v); err != nil {
			t.Fatalf("GET %s: %v", u, err)
		}
		if _, list := v["data"]; list {
			for _, k := range []string{"pagination", "links"} {
				if _, ok := v[k]; !ok {
					t.Errorf("list %s without %s", u, k)
				}
			}
		} else {
			if v["id"] != u {
				t.Errorf("GET %s: id %v", u, v["id"])
			}
			cr.objects[u] = v
		}
		checkOParlValue(t, u, "", v, schemas, cr.types)
		for _, next := range oparlURLs(v, prefix) {
			if !seen[next] {
				seen[next] = true
				queue = append(queue, next)
			}
		}
	}
	if len(queue) > 0 {
		t.Logf("the crawl stopped with %d URLs left after %d requests", len(queue), len(cr.bodies))
	}
	return cr
}

func readAll(r *http.Response) ([]byte, error) {
	defer r.Body.Close()
	return io.ReadAll(r.Body)
}

// oparlURLs collects the OParl URLs v names, in order of appearance.
func oparlURLs(v any, prefix string) []string {
	var out []string
	switch x := v.(type) {
	case string:
		if strings.HasPrefix(x, prefix) {
			out = append(out, x)
		}
	case []any:
		for _, e := range x {
			out = append(out, oparlURLs(e, prefix)...)
		}
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			out = append(out, oparlURLs(x[k], prefix)...)
		}
	}
	return out
}

// checkOParlValue checks v, found at key of the answer of u: every object
// with an OParl type is valid by its schema and has its times; a deleted
// one has nothing else; nothing is "" or null, no list is empty but a
// page's data and a Body's legislativeTerm.
func checkOParlValue(t *testing.T, u, key string, v any, schemas map[string]*jsonschema.Schema, types map[string]int) {
	t.Helper()
	switch x := v.(type) {
	case nil:
		t.Errorf("%s: %s is null", u, key)
	case string:
		if x == "" {
			t.Errorf("%s: %s is \"\"", u, key)
		}
	case []any:
		if len(x) == 0 && key != "data" && key != "legislativeTerm" {
			t.Errorf("%s: %s is []", u, key)
		}
		for _, e := range x {
			checkOParlValue(t, u, key, e, schemas, types)
		}
	case map[string]any:
		if typ, ok := x["type"].(string); ok && strings.HasPrefix(typ, oparl.Version) {
			name := strings.TrimPrefix(typ, oparl.Version)
			types[name]++
			sch := schemas[name]
			// A deleted object keeps id, type, created and modified only
			// (§2.8 "Gelöschte Objekte"), also where the schema requires more
			// (AgendaItem's order): it is checked for those below.
			if sch == nil {
				t.Errorf("%s: unknown type %s", u, typ)
			} else if err := sch.Validate(x); err != nil && x["deleted"] != true {
				t.Errorf("%s: %s %v invalid: %v", u, name, x["id"], err)
			}
			for _, k := range []string{"created", "modified"} {
				s, _ := x[k].(string)
				if tm, err := time.Parse(oparl.Layout, s); err != nil || tm.IsZero() {
					t.Errorf("%s: %s %v has %s %q", u, name, x["id"], k, s)
				}
			}
			if x["deleted"] == true && len(x) != 5 {
				t.Errorf("%s: deleted %s %v keeps more than id, type, created, modified: %v", u, name, x["id"], x)
			}
		}
		for k, e := range x {
			checkOParlValue(t, u, k, e, schemas, types)
		}
	}
}

func TestOParlCrawlFindsEveryObjectValid(t *testing.T) {
	s := startServer(t)
	publishAProtokoll(t, s)
	cr := crawlOParl(t, s.Base, 3000, 2*time.Minute)
	for _, typ := range []string{"System", "Body", "Organization", "Person", "Membership", "Meeting", "AgendaItem", "Paper",
		"Consultation", "File", "Location", "LegislativeTerm"} {
		if cr.types[typ] == 0 {
			t.Errorf("the crawl found no %s", typ)
		}
	}
	t.Logf("%d answers; objects by type: %v", len(cr.bodies), cr.types)
	sys := cr.objects[s.Base+oparl.Prefix]
	if sys["oparlVersion"] != oparl.Version || sys["body"] != s.Base+"/oparl/v1.1/body" {
		t.Errorf("System: %v", sys)
	}
	// KF is a Body of its own; KS's organizations are KS's organs without it.
	if b := cr.objects[s.Base+"/oparl/v1.1/body/KF"]; b == nil || b["name"] != "Kommunfullmäktige" {
		t.Errorf("KF as a Body: %v", b)
	}
	// A published protokoll's File is read at the public protokoll address,
	// inline (no Content-Disposition: attachment).
	for u, o := range cr.objects {
		if o["type"] == oparl.TypeFile {
			acc, _ := o["accessUrl"].(string)
			if !strings.HasPrefix(acc, s.Base+"/protokoll/") || !strings.HasSuffix(acc, ".pdf") {
				t.Errorf("%s: accessUrl %q", u, acc)
			}
			resp, err := http.Get(acc)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/pdf" ||
				strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") {
				t.Errorf("%s: %d %q %q", acc, resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"))
			}
		}
		// Persons carry a name and their seat, never an address.
		if o["type"] == oparl.TypePerson && (o["email"] != nil || strings.Contains(cr.bodies[u], "@")) {
			t.Errorf("%s shows an e-mail address: %s", u, cr.bodies[u])
		}
	}
}

func TestOParlSecretCaseShowsOnlyItsRegistration(t *testing.T) {
	s := startServer(t)
	cr := crawlOParl(t, s.Base, 3000, 2*time.Minute)
	for u, b := range cr.bodies {
		for _, w := range secretWords {
			if strings.Contains(b, w) {
				t.Errorf("%s shows %q from the secret case", u, w)
			}
		}
	}
	p := cr.objects[s.Base+"/oparl/v1.1/paper/"+secretNumber]
	if p == nil {
		t.Fatalf("the secret case is not registered as a Paper")
	}
	if p["name"] != workflow.WithheldText || p["reference"] != secretNumber || p["date"] == nil || p["body"] != s.Base+"/oparl/v1.1/body/ASN" {
		t.Errorf("secret Paper: %v", p)
	}
	for u, o := range cr.objects {
		if o["type"] == oparl.TypeAgendaItem && strings.Contains(cr.bodies[u], "/paper/"+secretNumber) && (o["name"] != workflow.WithheldText || o["resolutionText"] != nil) {
			t.Errorf("agenda item of the secret case: %v", o)
		}
	}
}

func TestOParlModifiedSinceFindsTheChange(t *testing.T) {
	s := startServer(t)
	var papers oparl.List
	getOParl(t, s, "/oparl/v1.1/body/ASN/paper?elementsPerPage=100", &papers)
	later := now.Add(72 * time.Hour)
	s.At(later)
	changed := editAPaper(t, s, papers, "summary", "Ändrad sammanfattning.")
	since := url.QueryEscape(later.Format(time.RFC3339))
	var got oparl.List
	getOParl(t, s, "/oparl/v1.1/body/ASN/paper?modified_since="+since, &got)
	if len(got.Data) != 1 || got.Data[0].(map[string]any)["reference"] != changed {
		t.Errorf("modified_since %s: %v, want only %s", later, got.Data, changed)
	}
	getOParl(t, s, "/oparl/v1.1/body/ASN/consultation?modified_since="+since, &got)
	for _, d := range got.Data {
		if p := d.(map[string]any)["paper"]; p != s.Base+"/oparl/v1.1/paper/"+changed {
			t.Errorf("consultation modified since %s of another paper: %v", later, p)
		}
	}
	if len(got.Data) == 0 {
		t.Errorf("the changed case's consultations are not modified since %s", later)
	}
	// created_until before everything: nothing; the filters are carried into next.
	getOParl(t, s, "/oparl/v1.1/body/ASN/paper?created_until=2000-01-01T00:00:00%2B01:00", &got)
	if len(got.Data) != 0 {
		t.Errorf("created_until 2000: %d papers", len(got.Data))
	}
	getOParl(t, s, "/oparl/v1.1/body/ASN/paper?elementsPerPage=2&modified_until="+since, &got)
	if len(got.Data) != 2 || !strings.Contains(got.Links.Next, "modified_until=") || !strings.Contains(got.Links.Next, "elementsPerPage=2") {
		t.Errorf("page of 2: %d objects, next %q", len(got.Data), got.Links.Next)
	}
	// Walking next reaches every paper once, in a stable order.
	seen := map[string]bool{}
	for next := s.Base + "/oparl/v1.1/body/ASN/paper?elementsPerPage=3"; next != ""; next = got.Links.Next {
		got = oparl.List{}
		getOParl(t, s, strings.TrimPrefix(next, s.Base), &got)
		for _, d := range got.Data {
			id := d.(map[string]any)["id"].(string)
			if seen[id] {
				t.Errorf("%s twice", id)
			}
			seen[id] = true
		}
	}
	if len(seen) != len(papers.Data) {
		t.Errorf("paging by 3 found %d papers, one page %d", len(seen), len(papers.Data))
	}
}

// editAPaper sets field to value in the first of papers that its officer
// may still edit, and returns its number.
func editAPaper(t *testing.T, s *server, papers oparl.List, field, value string) string {
	t.Helper()
	for _, d := range papers.Data {
		number := d.(map[string]any)["reference"].(string)
		c := s.GetCase(officer, number)
		if s.As(officer, "PATCH", "/api/v1/cases/"+number, map[string]any{"version": c.Version, field: value}).Status == http.StatusOK {
			return number
		}
	}
	t.Fatal("no case of the papers could be changed")
	return ""
}

func getOParl(t *testing.T, s *server, path string, v any) {
	t.Helper()
	r := s.Request("GET", path, "", nil)
	if r.Status != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, r.Status, r.Body)
	}
	r.Decode(t, v)
}

func TestOParlErrorsAreErrorObjects(t *testing.T) {
	s := startServer(t)
	for path, status := range map[string]int{
		"/oparl/v1.1/paper/ASN-1999-1":                                  http.StatusNotFound,
		"/oparl/v1.1/nothing":                                           http.StatusNotFound,
		"/oparl/v1.1/body/XX":                                           http.StatusNotFound,
		"/oparl/v1.1/body/ASN/nolist":                                   http.StatusNotFound,
		"/oparl/v1.1/person/abc":                                        http.StatusNotFound,
		"/oparl/v1.1/file/protokoll-999999":                             http.StatusNotFound,
		"/oparl/v1.1/legislativeterm/ASN-2019":                          http.StatusNotFound,
		"/oparl/v1.1/body/ASN/paper?created_since=igår":                 http.StatusBadRequest,
		"/oparl/v1.1/body/ASN/paper?modified_since=2026-01-01":          http.StatusBadRequest,
		"/oparl/v1.1/body/ASN/paper?created_sinse=2026-01-01T00:00:00Z": http.StatusBadRequest,
		"/oparl/v1.1/body/ASN/paper?elementsPerPage=0":                  http.StatusBadRequest,
	} {
		r, err := http.Get(s.Base + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := readAll(r)
		var e oparl.Error
		if err := json.Unmarshal(body, &e); err != nil || r.StatusCode != status || e.Type != oparl.TypeError || e.Message == "" || e.Debug == "" {
			t.Errorf("GET %s: %d %s, want %d and an Error", path, r.StatusCode, body, status)
		}
		if r.Header.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("GET %s: no CORS header on the error", path)
		}
	}
	r, err := http.Post(s.Base+"/oparl/v1.1/body", "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != http.StatusMethodNotAllowed || r.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("POST: %d", r.StatusCode)
	}
}

func TestOParlUsesTheConfiguredBaseURL(t *testing.T) {
	s := startServerWith(t, handlers.Config{BaseURL: "https://beslut.kommun.example/"})
	var sys map[string]any
	getOParl(t, s, "/oparl/v1.1/", &sys)
	if sys["id"] != "https://beslut.kommun.example/oparl/v1.1/" || sys["body"] != "https://beslut.kommun.example/oparl/v1.1/body" {
		t.Errorf("System with a base URL: %v", sys)
	}
}

// The schemas do refuse: a check that validates nothing would pass the crawl.
func TestOParlSchemasRefuseWrongObjects(t *testing.T) {
	schemas := oparlSchemas(t)
	for name, v := range map[string]map[string]any{
		"System":  {"id": "https://x.example/oparl/v1.1/", "type": oparl.TypeSystem, "body": "https://x.example/b"},
		"Paper":   {"id": "https://x.example/p", "type": oparl.TypePaper, "date": "2026-13-45"},
		"Meeting": {"id": "https://x.example/m", "type": oparl.TypeMeeting, "start": "2026-03-02 09:00"},
		"File":    {"id": "https://x.example/f", "type": oparl.TypeFile},
	} {
		if schemas[name].Validate(v) == nil {
			t.Errorf("%s %v passes its schema", name, v)
		}
	}
}

// publishAProtokoll publishes the protokoll of one of the demo's posted
// ASN meetings on the web, as the secretary does: only then has it a File.
func publishAProtokoll(t *testing.T, s *server) {
	t.Helper()
	ctx := context.Background()
	ms, err := s.Store.Meetings(ctx, db.MeetingFilter{Body: "ASN"})
	if err != nil {
		t.Fatal(err)
	}
	sec, err := s.Store.UserByEmail(ctx, secretary)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.Status == workflow.MeetingPosted {
			if _, err := s.Store.Publish(ctx, m.ID, sec, db.RedactionInput{}, db.PublishedPDF{Data: []byte("%PDF-1.4\n")}); err != nil {
				t.Fatal(err)
			}
			return
		}
	}
	t.Fatal("the demo has no posted ASN meeting")
}

// An id is written one way: with leading zeros or a sign it names no
// object. A path with a control character is not found and not echoed; a
// filter given twice or empty is refused, not read as one of its values.
func TestOParlRefusesWhatNamesNoObject(t *testing.T) {
	s := startServer(t)
	publishAProtokoll(t, s)
	var files oparl.List
	getOParl(t, s, "/oparl/v1.1/body/ASN/file", &files)
	if len(files.Data) == 0 {
		t.Fatal("no File to test with")
	}
	file := files.Data[0].(map[string]any)
	meeting := strings.TrimPrefix(file["meeting"].([]any)[0].(string), s.Base)
	id := meeting[strings.LastIndex(meeting, "/")+1:]
	var m map[string]any
	getOParl(t, s, meeting, &m)
	item := strings.TrimPrefix(m["agendaItem"].([]any)[0].(map[string]any)["id"].(string), s.Base)
	itemID := item[strings.LastIndex(item, "/")+1:]
	for _, p := range []string{meeting, "/oparl/v1.1/file/protokoll-" + id, item, "/oparl/v1.1/location/" + id,
		"/oparl/v1.1/legislativeterm/ASN-2018", "/oparl/v1.1/consultation/ASN-2019-17886/1"} {
		getOParl(t, s, p, &map[string]any{}) // the canonical ids are found
	}
	for path, status := range map[string]int{
		"/oparl/v1.1/meeting/0" + id:                 http.StatusNotFound,
		"/oparl/v1.1/meeting/+" + id:                 http.StatusNotFound,
		"/oparl/v1.1/file/protokoll-0" + id:          http.StatusNotFound,
		"/oparl/v1.1/location/00" + id:               http.StatusNotFound,
		"/oparl/v1.1/agendaitem/0" + itemID:          http.StatusNotFound,
		"/oparl/v1.1/legislativeterm/ASN-02018":      http.StatusNotFound,
		"/oparl/v1.1/consultation/ASN-2019-17886/01": http.StatusNotFound,
		"/oparl/v1.1/paper/%00":                      http.StatusNotFound,
		"/oparl/v1.1/paper/ASN%0A2019":               http.StatusNotFound,
		"/oparl/v1.1/body/%E2%80%AEASN":              http.StatusNotFound,
		"/oparl/v1.1/organization/A%1BB":             http.StatusNotFound,
		"/oparl/v1.1/body/ASN/paper?modified_since=": http.StatusBadRequest,
		"/oparl/v1.1/body/ASN/paper?created_until=":  http.StatusBadRequest,
		"/oparl/v1.1/body/ASN/paper?modified_since=2026-01-01T00:00:00Z&modified_since=2020-01-01T00:00:00Z": http.StatusBadRequest,
		"/oparl/v1.1/body/ASN/paper?elementsPerPage=2&limit=3":                                               http.StatusBadRequest,
		"/oparl/v1.1/body/ASN/paper?after=":                                                                  http.StatusBadRequest,
		"/oparl/v1.1/body/ASN/paper?after=1&after=2":                                                         http.StatusBadRequest,
		"/oparl/v1.1/body/ASN/paper?a%00b=1":                                                                 http.StatusBadRequest,
	} {
		r, err := http.Get(s.Base + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := readAll(r)
		var e oparl.Error
		if err := json.Unmarshal(body, &e); err != nil || r.StatusCode != status || e.Type != oparl.TypeError || e.Message == "" {
			t.Errorf("GET %s: %d %s, want %d and an Error", path, r.StatusCode, body, status)
			continue
		}
		for _, ch := range e.Message + e.Debug {
			if ch < 0x20 || ch == 0x7f || ch == 0x202e {
				t.Errorf("GET %s: the Error echoes U+%04X: %q", path, ch, e.Message)
			}
		}
		if status == http.StatusBadRequest && !strings.Contains(e.Message, "flera gånger") && !strings.Contains(e.Message, "saknar värde") &&
			!strings.Contains(e.Message, "Okänd parameter med tecken") {
			t.Errorf("GET %s: %q does not say what is wrong", path, e.Message)
		}
	}
}

// oparlAll walks a list from its first page and returns every object.
func oparlAll(t *testing.T, s *server, list string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for next := s.Base + list; next != ""; {
		var page oparl.List
		getOParl(t, s, strings.TrimPrefix(next, s.Base), &page)
		for _, d := range page.Data {
			out = append(out, d.(map[string]any))
		}
		next = page.Links.Next
	}
	return out
}

// Someone who sits on two organs is one Person with a Membership for each,
// and every Membership and participant names that Person.
func TestOParlPersonOnTwoOrgansIsOnePerson(t *testing.T) {
	s := startServer(t)
	publishAProtokoll(t, s)
	persons := oparlAll(t, s, "/oparl/v1.1/body/ASN/person?elementsPerPage=2")
	byName := map[string][]map[string]any{}
	for _, p := range persons {
		name, _ := p["name"].(string)
		byName[name] = append(byName[name], p)
	}
	chair, err := s.Store.UserByEmail(context.Background(), "ordforande@kommun.example")
	if err != nil {
		t.Fatal(err)
	}
	// Cecilia Holm sits on the arbetsutskott and the nämnd by her e-mail
	// address; the chair on all three organs by her user account.
	for name, seats := range map[string]int{"Cecilia Holm": 2, chair.Name: 3} {
		ps := byName[name]
		if len(ps) != 1 {
			t.Errorf("%s is %d Persons", name, len(ps))
			continue
		}
		ms, _ := ps[0]["membership"].([]any)
		if len(ms) != seats {
			t.Errorf("%s has %d Memberships, want %d: %v", name, len(ms), seats, ps[0])
		}
		for _, m := range ms {
			var got map[string]any
			getOParl(t, s, strings.TrimPrefix(m.(map[string]any)["id"].(string), s.Base), &got)
			if got["person"] != ps[0]["id"] {
				t.Errorf("%s's Membership %v names Person %v", name, got["id"], got["person"])
			}
		}
	}
	ids := map[string]bool{}
	for _, p := range persons {
		ids[p["id"].(string)] = true
	}
	for _, m := range oparlAll(t, s, "/oparl/v1.1/body/ASN/membership") {
		if p, ok := m["person"].(string); ok && !ids[p] {
			t.Errorf("Membership %v names %s, no Person of the list", m["id"], p)
		}
	}
	for _, m := range oparlAll(t, s, "/oparl/v1.1/body/ASN/meeting") {
		for _, p := range asList(m["participant"]) {
			if !ids[p.(string)] {
				t.Errorf("Meeting %v has participant %s, no Person of the list", m["id"], p)
			}
		}
	}
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

// Taking a member off an organ, or an item off an agenda, moves modified of
// what held them, so a client asking modified_since learns of it.
func TestOParlRemovalsMoveModified(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	sec, err := s.Store.UserByEmail(ctx, "sekreterare@kommun.example")
	if err != nil {
		t.Fatal(err)
	}
	later := now.Add(72 * time.Hour)
	s.At(later)
	since := url.QueryEscape(later.Format(time.RFC3339))
	members, err := s.Store.Members(ctx, "ASN")
	if err != nil {
		t.Fatal(err)
	}
	var daniel, cecilia workflow.Member
	for _, m := range members {
		switch m.Name {
		case "Daniel Berg":
			daniel = m
		case "Cecilia Holm":
			cecilia = m
		}
	}
	if daniel.ID == 0 || cecilia.ID == 0 {
		t.Fatalf("the demo's ASN members: %+v", members)
	}
	for _, m := range []workflow.Member{daniel, cecilia} {
		if err := s.Store.RemoveMember(ctx, "ASN", m.ID, sec); err != nil {
			t.Fatal(err)
		}
	}
	var page oparl.List
	getOParl(t, s, "/oparl/v1.1/body/ASN/organization?modified_since="+since, &page)
	if len(page.Data) != 1 || page.Data[0].(map[string]any)["shortName"] != "ASN" {
		t.Errorf("organizations modified since the removal: %v", page.Data)
	}
	getOParl(t, s, "/oparl/v1.1/body/ASN/membership?modified_since="+since, &page)
	if len(page.Data) != 2 {
		t.Errorf("memberships modified since the removal: %v", page.Data)
	}
	for _, d := range page.Data {
		if d.(map[string]any)["deleted"] != true {
			t.Errorf("a removed seat: %v", d)
		}
	}
	// Daniel sat on the nämnd alone: a deleted Person. Cecilia sits on the
	// arbetsutskott still: her Person stays, with that seat, modified.
	getOParl(t, s, "/oparl/v1.1/body/ASN/person?modified_since="+since, &page)
	got := map[string]map[string]any{}
	for _, d := range page.Data {
		p := d.(map[string]any)
		got[p["id"].(string)] = p
	}
	if len(got) != 2 {
		t.Fatalf("persons modified since the removal: %v", page.Data)
	}
	deleted, kept := 0, 0
	for _, p := range got {
		if p["deleted"] == true {
			deleted++
		} else if p["name"] == "Cecilia Holm" && len(asList(p["membership"])) == 1 {
			kept++
		}
		if mod, _ := time.Parse(oparl.Layout, p["modified"].(string)); !mod.Equal(later) {
			t.Errorf("person %v modified %v, want %v", p["id"], p["modified"], later)
		}
	}
	if deleted != 1 || kept != 1 {
		t.Errorf("persons after the removals: %v", got)
	}

	// An item taken off a planned meeting's agenda.
	ms, err := s.Store.Meetings(ctx, db.MeetingFilter{Body: "ASN"})
	if err != nil {
		t.Fatal(err)
	}
	var meeting workflow.Meeting
	var item db.AgendaItem
	for _, m := range ms {
		if m.Status != workflow.MeetingPlanned && m.Status != workflow.MeetingNoticeSent {
			continue
		}
		items, err := s.Store.Agenda(ctx, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			if it.Kind != db.ItemCase {
				meeting, item = m, it
			}
		}
	}
	if item.ID == 0 {
		t.Fatal("no planned meeting with an item that is no case")
	}
	later2 := later.Add(time.Hour)
	s.At(later2)
	since2 := url.QueryEscape(later2.Format(time.RFC3339))
	getOParl(t, s, "/oparl/v1.1/body/ASN/meeting?modified_since="+since2, &page)
	if len(page.Data) != 0 {
		t.Fatalf("meetings modified before anything changed: %v", page.Data)
	}
	if _, err := s.Store.RemoveAgendaItem(ctx, meeting.ID, item.ID, sec); err != nil {
		t.Fatal(err)
	}
	getOParl(t, s, "/oparl/v1.1/body/ASN/meeting?modified_since="+since2, &page)
	if len(page.Data) != 1 || page.Data[0].(map[string]any)["id"] != s.Base+"/oparl/v1.1/meeting/"+strconv.FormatInt(meeting.ID, 10) {
		t.Errorf("meetings modified since the item was removed: %v", page.Data)
	}
}

// A control character or a turn of the writing direction in the value of a
// list parameter is a bad parameter like any other: OParl's Error with 400
// and the CORS header, not the API's problem+json (which a browser client
// on another origin could not even read), and the character not echoed.
func TestOParlControlCharacterInAParameterIsAnOParlError(t *testing.T) {
	s := startServer(t)
	for _, path := range []string{
		"/oparl/v1.1/body/ASN/paper?elementsPerPage=%00",
		"/oparl/v1.1/body/ASN/paper?limit=1%0A",
		"/oparl/v1.1/body/ASN/paper?modified_since=%E2%80%AE2026-01-01T00:00:00Z",
		"/oparl/v1.1/body/ASN/paper?after=%1B",
		"/oparl/v1.1/body/ASN/paper?omit_internal=%00",
		"/oparl/v1.1/body/ASN/paper?x=%00",
	} {
		r, err := http.Get(s.Base + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := readAll(r)
		var e oparl.Error
		if err := json.Unmarshal(body, &e); err != nil || r.StatusCode != http.StatusBadRequest || e.Type != oparl.TypeError || e.Message == "" {
			t.Errorf("GET %s: %d %s, want 400 and an OParl Error", path, r.StatusCode, body)
		}
		if r.Header.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("GET %s: no CORS header on the error", path)
		}
		for _, ch := range e.Message + e.Debug {
			if ch < 0x20 || ch == 0x7f || ch == 0x202e {
				t.Errorf("GET %s: the Error echoes U+%04X: %q", path, ch, e.Message)
			}
		}
	}
}
