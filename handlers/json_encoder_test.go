package handlers_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/kommun/beslutsgang/handlers"
)

// The API's JSON is written by goccy/go-json (handlers.New), for speed; its
// answers are byte for byte what encoding/json writes, for every GET of the
// API over the demo data, as each kind of user, errors included.
func TestJSONAnswersAsEncodingJSON(t *testing.T) {
	fast := startServer(t)
	std := startServerWith(t, handlers.Config{JSONEncoder: json.Marshal})
	// A case whose texts hold what encoders escape differently if at all:
	// HTML's <, > and &, quotes, JavaScript's line separators, a tab and a
	// line feed, letters beyond the BMP, a combining accent.
	tricky := newCase()
	tricky["title"] = `Avgift <b>"Åre & Ölands"</b> ` + "\u2028\u2029"
	tricky["summary"] = "Rad ett\nrad\ttvå 🏛️ é\u0301"
	for _, s := range []*server{fast, std} {
		if r := s.As(officer, "POST", "/api/v1/cases", tricky); r.Status != http.StatusCreated {
			t.Fatalf("POST /cases: %d %s", r.Status, r.Body)
		}
	}
	var numbers []string
	var list struct {
		Items []struct {
			Number string `json:"number"`
		} `json:"items"`
	}
	std.GetJSON(secretary, "/api/v1/cases?per_page=100", &list)
	for _, c := range list.Items {
		numbers = append(numbers, c.Number)
	}
	var meetings []struct {
		ID int64 `json:"id"`
	}
	std.GetJSON(secretary, "/api/v1/meetings", &meetings)
	var bodies []struct {
		Code string `json:"code"`
	}
	std.GetJSON(secretary, "/api/v1/bodies", &bodies)
	if len(numbers) < 5 || len(meetings) < 5 || len(bodies) < 3 {
		t.Fatalf("demo data: %d cases, %d meetings, %d bodies", len(numbers), len(meetings), len(bodies))
	}

	paths := []string{"/api/v1/me", "/api/v1/boards", "/api/v1/bodies", "/api/v1/cases", "/api/v1/cases?per_page=100",
		"/api/v1/cases?q=" + url.QueryEscape("förslag"), "/api/v1/me/deadlines", "/api/v1/me/reminders", "/api/v1/recurring",
		"/api/v1/outbox", "/api/v1/admin/mail-gaps", "/api/v1/meetings", "/api/v1/cases/ASN-1999-1", "/api/v1/cases?stage=okänd"}
	for _, n := range numbers {
		paths = append(paths, "/api/v1/cases/"+url.PathEscape(n), "/api/v1/cases/"+url.PathEscape(n)+"/events",
			"/api/v1/cases/"+url.PathEscape(n)+"/deadlines")
	}
	for _, m := range meetings {
		paths = append(paths, fmt.Sprintf("/api/v1/meetings/%d", m.ID), fmt.Sprintf("/api/v1/meetings/%d/protokoll", m.ID))
	}
	for _, b := range bodies {
		paths = append(paths, "/api/v1/bodies/"+url.PathEscape(b.Code)+"/members", "/api/v1/bodies/"+url.PathEscape(b.Code)+"/plan")
	}
	compared := 0
	for _, who := range []string{officer, manager, secretary, admin, jonas} {
		for _, p := range paths {
			a := fast.Request("GET", p, fast.Token(who), nil)
			b := std.Request("GET", p, std.Token(who), nil)
			if a.Status != b.Status {
				t.Errorf("%s as %s: status %d, with encoding/json %d", p, who, a.Status, b.Status)
				continue
			}
			if !bytes.Equal(a.Body, b.Body) {
				t.Errorf("%s as %s (%d):\n%s\nwith encoding/json:\n%s", p, who, a.Status, a.Body, b.Body)
			}
			compared++
		}
	}
	t.Logf("%d answers compared", compared)
}
