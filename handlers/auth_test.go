package handlers_test

import (
	"context"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/demo"
	"github.com/kommun/beslutsgang/handlers"
)

func TestLoginAndToken(t *testing.T) {
	s := startServer(t)
	r := s.Request("POST", "/api/v1/sessions", "", map[string]string{"email": secretary, "password": demo.Password})
	if r.Status != http.StatusCreated {
		t.Fatalf("login: %d %s", r.Status, r.Body)
	}
	var login struct {
		Token string
		User  struct {
			ID    int64
			Email string
			Name  string
			Roles []struct{ Board, Role string }
		}
	}
	r.Decode(t, &login)
	if !strings.HasPrefix(login.Token, "bg_") || login.User.Email != secretary || login.User.Name != "Erik Nyström" || len(login.User.Roles) != 2 {
		t.Errorf("login = %+v", login)
	}
	if strings.Contains(string(r.Body), "password") {
		t.Errorf("login response mentions the password: %s", r.Body)
	}
	r = s.Request("GET", "/api/v1/me", login.Token, nil)
	var me struct{ ID int64 }
	r.Decode(t, &me)
	if r.Status != http.StatusOK || me.ID != login.User.ID {
		t.Errorf("GET /me = %d %s", r.Status, r.Body)
	}
	// The scheme's name in any case (RFC 9110 11.1); "Basic" is not a bearer token.
	for _, h := range []string{"bearer " + login.Token, "BEARER " + login.Token, " Bearer " + login.Token} {
		req, _ := http.NewRequest("GET", s.Base+"/api/v1/me", nil)
		req.Header.Set("Authorization", h)
		if r := s.Do(req); r.Status != http.StatusOK {
			t.Errorf("Authorization: %.10q…: %d", h, r.Status)
		}
	}
	req, _ := http.NewRequest("GET", s.Base+"/api/v1/me", nil)
	req.Header.Set("Authorization", "Basic "+login.Token)
	wantProblem(t, s.Do(req), http.StatusUnauthorized)
	// A logout so written revokes the token it authenticated with.
	other := s.Request("POST", "/api/v1/sessions", "", map[string]string{"email": secretary, "password": demo.Password})
	var second struct{ Token string }
	other.Decode(t, &second)
	req, _ = http.NewRequest("DELETE", s.Base+"/api/v1/sessions", nil)
	req.Header.Set("Authorization", "bearer "+second.Token)
	if r := s.Do(req); r.Status != http.StatusNoContent {
		t.Errorf("logout with \"bearer\": %d %s", r.Status, r.Body)
	}
	wantProblem(t, s.Request("GET", "/api/v1/me", second.Token, nil), http.StatusUnauthorized)
	// Logging out revokes the token.
	if r := s.Request("DELETE", "/api/v1/sessions", login.Token, nil); r.Status != http.StatusNoContent {
		t.Errorf("logout: %d %s", r.Status, r.Body)
	}
	wantProblem(t, s.Request("GET", "/api/v1/me", login.Token, nil), http.StatusUnauthorized)
}

func TestUnauthenticated(t *testing.T) {
	s := startServer(t)
	before := s.Fingerprint(demo.DraftNumber)
	for _, tc := range []struct {
		name, method, path, token string
		body                      any
		status                    int
	}{
		{"no token", "GET", "/api/v1/cases", "", nil, 401},
		{"no token, action", "POST", "/api/v1/cases/" + demo.DraftNumber + "/actions", "", map[string]any{"action": "submit", "version": 4}, 401},
		{"bad token", "GET", "/api/v1/me", "bg_0000", nil, 401},
		{"bad token, new case", "POST", "/api/v1/cases", "bg_0000", map[string]any{"board": "ASN", "title": "x"}, 401},
		{"wrong password", "POST", "/api/v1/sessions", "", map[string]string{"email": officer, "password": "fel"}, 401},
		{"unknown account", "POST", "/api/v1/sessions", "", map[string]string{"email": "ingen@kommun.example", "password": "demo"}, 401},
		{"login, malformed JSON", "POST", "/api/v1/sessions", "", `{"email": "x"`, 400},
		{"login, unknown field", "POST", "/api/v1/sessions", "", `{"email": "x", "password": "y", "remember": true}`, 422},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := s.Request(tc.method, tc.path, tc.token, tc.body)
			wantProblem(t, r, tc.status)
			if tc.status == 401 && tc.path != "/api/v1/sessions" && !strings.HasPrefix(r.Header.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("401 without a Bearer challenge: %q", r.Header.Get("WWW-Authenticate"))
			}
		})
	}
	if after := s.Fingerprint(demo.DraftNumber); after != before {
		t.Errorf("unauthenticated requests changed the database:\n%s\n%s", before, after)
	}
}

// clientFrom is an HTTP client whose connections come from the given loopback
// address, so the server sees several addresses on one machine.
func clientFrom(ip string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	return &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		return d.DialContext(ctx, network, addr)
	}}}
}

func login(s *server, from, email, password string) response {
	s.T.Helper()
	return s.Send(clientFrom(from), "POST", "/api/v1/sessions", "", map[string]string{"email": email, "password": password})
}

func wantRetryAfter(t *testing.T, r response) {
	t.Helper()
	p := wantProblem(t, r, http.StatusTooManyRequests)
	if secs, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || secs < 1 || secs > 15*60 {
		t.Errorf("Retry-After %q, want seconds up to the 15-minute window", r.Header.Get("Retry-After"))
	}
	if !strings.Contains(p["detail"].(string), "Försök igen") {
		t.Errorf("detail %q does not say when to try again", p["detail"])
	}
}

func TestReadEndpoints(t *testing.T) {
	s := startServer(t)
	for _, path := range []string{"/healthz", "/api/v1/healthz"} {
		r := s.Request("GET", path, "", nil)
		var h struct {
			Status        string
			SchemaVersion int `json:"schema_version"`
		}
		r.Decode(t, &h)
		if r.Status != 200 || h.Status != "ok" || h.SchemaVersion < 1 {
			t.Errorf("%s = %d %s", path, r.Status, r.Body)
		}
	}
	for _, path := range []string{"/readyz", "/api/v1/readyz"} {
		if r := s.Request("GET", path, "", nil); r.Status != 200 || !strings.Contains(string(r.Body), `"ready"`) {
			t.Errorf("%s = %d %s", path, r.Status, r.Body)
		}
	}
	r := s.As(officer, "GET", "/api/v1/bodies", nil)
	var bodies []struct{ Code, Name, Kind, Board string }
	r.Decode(t, &bodies)
	var got []string
	for _, b := range bodies {
		got = append(got, b.Code+"|"+b.Name+"|"+b.Kind+"|"+b.Board)
	}
	if want := []string{"ASN-PB|ASN presidieberedning|presidium|ASN", "ASN-AU|ASN arbetsutskott|working_committee|ASN",
		"ASN|Arbetsmarknads- och socialnämnden|board|ASN", "KS|Kommunstyrelsen|executive_board|KS",
		"KF|Kommunfullmäktige|council|KS"}; !slices.Equal(got, want) {
		t.Errorf("bodies = %q", got)
	}
	r = s.As(officer, "GET", "/api/v1/boards", nil)
	if r.Status != 200 || !strings.Contains(string(r.Body), `"code":"KS"`) {
		t.Errorf("boards = %d %s", r.Status, r.Body)
	}
	// Every path under the API that does not exist is a problem, not a page.
	wantProblem(t, s.As(officer, "GET", "/api/v1/nothing", nil), http.StatusNotFound)
}

// loginVia logs in from 127.0.0.1 with an X-Forwarded-For header.
func loginVia(s *server, forwardedFor, email, password string) response {
	s.T.Helper()
	req, err := http.NewRequest("POST", s.Base+"/api/v1/sessions",
		strings.NewReader(`{"email":"`+email+`","password":"`+password+`"}`))
	if err != nil {
		s.T.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Forwarded-For", forwardedFor)
	return s.Do(req)
}

// Behind a trusted proxy each client has its own limit; without one, a forged
// X-Forwarded-For does not escape the limit of the real address.
func TestLoginLimitBehindProxy(t *testing.T) {
	t.Run("trusted proxy", func(t *testing.T) {
		s := startServerWith(t, handlers.Config{TrustedProxies: []string{"127.0.0.1"}})
		for _, email := range sprayed(10) {
			wantProblem(t, loginVia(s, "198.51.100.7", email, "gissning"), http.StatusUnauthorized)
		}
		wantRetryAfter(t, loginVia(s, "198.51.100.7", katarina, demo.Password))
		if r := loginVia(s, "198.51.100.8", katarina, demo.Password); r.Status != http.StatusCreated {
			t.Errorf("another client behind the same proxy: %d %s", r.Status, r.Body)
		}
	})
	t.Run("untrusted header", func(t *testing.T) {
		s := startServer(t)
		for i, email := range sprayed(10) {
			wantProblem(t, loginVia(s, "198.51.100."+strconv.Itoa(i), email, "gissning"), http.StatusUnauthorized)
		}
		wantRetryAfter(t, loginVia(s, "198.51.100.99", katarina, demo.Password))
	})
}

func TestParseTrustedProxies(t *testing.T) {
	got, err := handlers.ParseTrustedProxies(" 10.0.0.1, 192.168.0.0/16,,::1 ")
	if err != nil || !slices.Equal(got, []string{"10.0.0.1", "192.168.0.0/16", "::1"}) {
		t.Errorf("ParseTrustedProxies = %q, %v", got, err)
	}
	for _, bad := range []string{"proxy.kommun.se", "10.0.0.1/99", "10.0.0"} {
		if _, err := handlers.ParseTrustedProxies(bad); err == nil {
			t.Errorf("ParseTrustedProxies(%q) accepted", bad)
		}
	}
}
