package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/demo"
	"github.com/kommun/beslutsgang/internal/syncbuf"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// noRedirects answers with a redirect as it is.
var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// call sends a request to the running server and returns status, headers
// and body.
func call(t *testing.T, method, url, token, requestID string, body any) (int, http.Header, []byte) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if requestID != "" {
		req.Header.Set("X-Request-Id", requestID)
	}
	resp, err := noRedirects.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

var metricsLine = regexp.MustCompile(`Mätvärden på (http://127\.0\.0\.1:\d+/metrics)`)

// TestServeOperations runs serve with JSON logs and metrics on their own
// address, drives logins with the demo passwords, a secret case, a search
// for its title and a personal calendar feed through real HTTP, and then
// checks: every response carries its request id, which is on every log
// line of the request and on the audit event the request wrote; the
// metrics count requests by route pattern and actions by result; and no log
// line holds a password, a token, the secret title or the search's words.
func TestServeOperations(t *testing.T) {
	path := filepath.Join(t.TempDir(), "beslutsgang.db")
	const metricsToken = "mät-token-0123456789"
	var logs syncbuf.Buffer
	sv := startServeLogging(t, &logs, "--demo", "--db", path, "--log-format", "json",
		"--metrics-addr", "127.0.0.1:0", "--metrics-token", metricsToken, "--pprof")
	var metricsURL string
	for _, l := range sv.printed {
		if m := metricsLine.FindStringSubmatch(l); m != nil {
			metricsURL = m[1]
		}
	}
	if metricsURL == "" {
		sv.stop()
		t.Fatalf("serve did not say where the metrics are: %q", sv.printed)
	}
	base := sv.base

	// The request id: a client's well-formed one is kept, another replaced.
	_, h, _ := call(t, "GET", base+"/healthz", "", "klient-id-1", nil)
	if got := h.Get("X-Request-Id"); got != "klient-id-1" {
		t.Errorf("X-Request-Id %q, want the client's", got)
	}
	for _, bad := range []string{"med mellanslag", strings.Repeat("x", 65), `"}{"injektion":1`} {
		_, h, _ = call(t, "GET", base+"/healthz", "", bad, nil)
		if got := h.Get("X-Request-Id"); !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(got) {
			t.Errorf("X-Request-Id %q for a client's %q, want a new id", got, bad)
		}
	}

	officerToken := apiLogin(t, base, "handlaggare@kommun.example")
	secretaryToken := apiLogin(t, base, "sekreterare@kommun.example")
	const secretTitle = "Hemlig driftrubrik om Zxqvw-ärendet"
	code, h, b := call(t, "POST", base+"/api/v1/cases", officerToken, "skapa-hemligt-1",
		map[string]any{"board": "ASN", "title": secretTitle, "secret": true,
			"summary": "Sekretessbelagd sammanfattning Qwpzk."})
	var created struct {
		Number  string
		Version int
	}
	json.Unmarshal(b, &created)
	if code != http.StatusCreated || created.Number == "" {
		t.Fatalf("creating a secret case: %d %s", code, b)
	}
	call(t, "GET", base+"/api/v1/cases/"+url.PathEscape(created.Number), secretaryToken, "", nil)
	call(t, "GET", base+"/api/v1/cases?q="+url.QueryEscape("Zxqvw driftrubrik"), secretaryToken, "", nil)
	call(t, "GET", base+"/diarium?q="+url.QueryEscape("Zxqvw"), "", "", nil)
	// A workflow action that is recorded, one that is refused, and one
	// that does not exist.
	code, _, b = call(t, "POST", base+"/api/v1/cases/"+url.PathEscape(created.Number)+"/actions", officerToken, "atgard-1",
		map[string]any{"action": "withdraw", "version": created.Version, "reason": "Hemligt skäl Plokm"})
	if code != http.StatusOK {
		t.Fatalf("withdraw: %d %s", code, b)
	}
	call(t, "POST", base+"/api/v1/cases/"+url.PathEscape(created.Number)+"/actions", officerToken, "",
		map[string]any{"action": "withdraw", "version": created.Version, "reason": "igen"})
	call(t, "POST", base+"/api/v1/cases/"+url.PathEscape(created.Number)+"/actions", officerToken, "",
		map[string]any{"action": "flyga-" + created.Number, "version": created.Version + 1})
	call(t, "GET", base+"/api/v1/finns/inte/"+created.Number, officerToken, "", nil)

	// The pages: a login through the form, and a personal calendar feed.
	web := webLogin(t, base, "sekreterare@kommun.example")
	page := webGet(t, web, base+"/calendar")
	csrf := regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindStringSubmatch(page)
	if csrf == nil {
		t.Fatal("the calendar page has no CSRF token")
	}
	resp, err := web.PostForm(base+"/calendar", url.Values{"_csrf": {csrf[1]}})
	if err != nil {
		t.Fatal(err)
	}
	page2, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	feed := regexp.MustCompile(`/calendar/user/([A-Za-z0-9_\-]+)\.ics`).FindStringSubmatch(string(page2))
	if feed == nil {
		t.Fatalf("no personal feed after POST /calendar: %d", resp.StatusCode)
	}
	if code, _, _ := call(t, "GET", base+feed[0], "", "", nil); code != http.StatusOK {
		t.Errorf("personal feed: %d", code)
	}
	var secrets []string
	for _, c := range web.Jar.Cookies(mustURL(t, base)) {
		secrets = append(secrets, c.Value)
	}

	// Metrics: not on the main port without the token, there with it, and
	// on their own address.
	if code, _, _ := call(t, "GET", base+"/metrics", "", "", nil); code != http.StatusUnauthorized {
		t.Errorf("/metrics without a token: %d", code)
	}
	if code, _, _ := call(t, "GET", base+"/metrics", "fel-token-0123456789", "", nil); code != http.StatusUnauthorized {
		t.Errorf("/metrics with a wrong token: %d", code)
	}
	if code, _, b := call(t, "GET", base+"/metrics", metricsToken, "", nil); code != http.StatusOK || !bytes.Contains(b, []byte("beslutsgang_http_requests_total")) {
		t.Errorf("/metrics with the token: %d", code)
	}
	// Go's profiles (--pprof) on the metrics address only, never on the main port.
	pprofURL := strings.TrimSuffix(metricsURL, "/metrics") + "/debug/pprof/goroutine?debug=1"
	if code, _, b := call(t, "GET", pprofURL, "", "", nil); code != http.StatusOK || !bytes.Contains(b, []byte("goroutine profile")) {
		t.Errorf("profiles on the metrics address: %d", code)
	}
	if code, _, _ := call(t, "GET", base+"/debug/pprof/goroutine?debug=1", metricsToken, "", nil); code != http.StatusNotFound {
		t.Errorf("profiles on the main port: %d", code)
	}
	families := scrape(t, metricsURL)
	checkDeployMetrics(t, families)
	if err := sv.stop(); err != nil {
		t.Fatal(err)
	}

	requests := families["beslutsgang_http_requests_total"]
	if requests == nil {
		t.Fatal("no beslutsgang_http_requests_total")
	}
	routes := map[string]bool{}
	for _, m := range requests.Metric {
		l := labels(m)
		routes[l["method"]+" "+l["route"]+" "+l["status"]] = true
		for _, v := range l {
			if strings.Contains(v, created.Number) || strings.Contains(v, "Zxqvw") || strings.Contains(v, feed[1]) {
				t.Errorf("a label carries a case number, title or token: %v", l)
			}
		}
	}
	for _, want := range []string{"GET /api/v1/cases/:number 200", "POST /api/v1/cases/:number/actions 200",
		"POST /api/v1/cases/:number/actions 409", "GET /calendar/user/:token.ics 200", "GET unmatched 404", "POST /login 303"} {
		if !routes[want] {
			t.Errorf("no request counted as %q; have %v", want, routes)
		}
	}
	actions := map[string]float64{}
	for _, m := range families["beslutsgang_actions_total"].GetMetric() {
		l := labels(m)
		actions[l["action"]+" "+l["result"]] = m.GetCounter().GetValue()
	}
	if actions["withdraw ok"] != 1 || actions["withdraw conflict"] != 1 || actions["other invalid"] != 1 {
		t.Errorf("actions %v", actions)
	}
	if g := families["beslutsgang_outbox_messages"]; g == nil || len(g.Metric) != 2 {
		t.Errorf("outbox messages: %v", g)
	}
	if families["go_sql_max_open_connections"] == nil || families["beslutsgang_store_up"].GetMetric()[0].GetGauge().GetValue() != 1 {
		t.Errorf("no pool statistics or the store was not read")
	}

	// The audit events keep the request id of the request that wrote them.
	if ids := rawStrings(t, path, `SELECT e.request_id FROM events e JOIN cases c ON c.id = e.case_id
		WHERE c.number = ? ORDER BY e.seq`, created.Number); strings.Join(ids, ",") != "skapa-hemligt-1,atgard-1" {
		t.Errorf("request ids of the events: %q", ids)
	}

	// The log: JSON lines; every line of a request names its id.
	all := logs.String()
	sawAction := false
	sc := bufio.NewScanner(strings.NewReader(all))
	for sc.Scan() {
		var line map[string]any
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Errorf("not a JSON log line: %q", sc.Text())
			continue
		}
		if line["msg"] == "request" {
			if id, _ := line["request_id"].(string); id == "" {
				t.Errorf("a request's log line without request_id: %q", sc.Text())
			}
			if line["request_id"] == "atgard-1" && line["route"] == "/api/v1/cases/:number/actions" {
				sawAction = true
			}
		}
	}
	if !sawAction {
		t.Errorf("no log line of the request atgard-1:\n%s", all)
	}
	secrets = append(secrets, demo.Password, officerToken, secretaryToken, csrf[1], feed[1], metricsToken,
		secretTitle, "Zxqvw", "Qwpzk", "Plokm", created.Number)
	for _, s := range secrets {
		if s == demo.Password {
			if regexp.MustCompile(`\b` + s + `\b`).MatchString(all) {
				t.Errorf("the log holds the demo password %q", s)
			}
			continue
		}
		if s != "" && strings.Contains(all, s) {
			t.Errorf("the log holds %q", s)
		}
	}
	if t.Failed() {
		t.Logf("log:\n%s", all)
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// scrape reads the metrics at url in the Prometheus text format.
func scrape(t *testing.T, url string) map[string]*dto.MetricFamily {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", url, resp.StatusCode)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	families, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("parsing the metrics: %v", err)
	}
	return families
}

func labels(m *dto.Metric) map[string]string {
	out := map[string]string{}
	for _, l := range m.GetLabel() {
		out[l.GetName()] = l.GetValue()
	}
	return out
}

// Without --metrics-addr or --metrics-token there are no metrics: /metrics
// is 404 on the main port. Bad settings stop serve (exit 2) before the
// database is made.
// Go's profiles are not on the metrics address unless asked for (--pprof):
// whoever reaches them can make the service spend a core on profiling.
func TestServeProfilesOffByDefault(t *testing.T) {
	sv := startServeLogging(t, &syncbuf.Buffer{}, "--db", demoDB(t), "--metrics-addr", "127.0.0.1:0")
	var metricsURL string
	for _, l := range sv.printed {
		if m := metricsLine.FindStringSubmatch(l); m != nil {
			metricsURL = m[1]
		}
	}
	code, _, _ := call(t, "GET", strings.TrimSuffix(metricsURL, "/metrics")+"/debug/pprof/", "", "", nil)
	mcode, _, _ := call(t, "GET", metricsURL, "", "", nil)
	if err := sv.stop(); err != nil {
		t.Fatal(err)
	}
	if metricsURL == "" || code != http.StatusNotFound || mcode != http.StatusOK {
		t.Errorf("metrics at %q: %d; profiles without --pprof: %d, want 404", metricsURL, mcode, code)
	}
}

func TestServeMetricsOffByDefault(t *testing.T) {
	path := demoDB(t)
	var logs syncbuf.Buffer
	sv := startServeLogging(t, &logs, "--db", path)
	code, _, _ := call(t, "GET", sv.base+"/metrics", "", "", nil)
	code2, _, _ := call(t, "GET", sv.base+"/metrics", "vilken-token-som-helst", "", nil)
	if err := sv.stop(); err != nil {
		t.Fatal(err)
	}
	if code != http.StatusNotFound || code2 != http.StatusNotFound {
		t.Errorf("/metrics without settings: %d, with a token %d; want 404", code, code2)
	}
	for _, l := range sv.printed {
		if strings.Contains(l, "Mätvärden") {
			t.Errorf("serve says %q without metrics", l)
		}
	}
	// The default log format is text (key=value).
	if !strings.Contains(logs.String(), "msg=request") {
		t.Errorf("the text log has no request line:\n%s", logs.String())
	}

	dir := t.TempDir()
	dbPath := filepath.Join(dir, "beslutsgang.db")
	for _, args := range [][]string{
		{"--metrics-addr", "nonsense"},
		{"--metrics-token", "kort"},
		{"--pprof"}, // without --metrics-addr: nowhere to show them
		{"--log-format", "xml"},
		{"--list-cache", "många"},
		{"--list-cache", "-1"},
		{"--search-cache", "-1"},                       // the older name of --list-cache
		{"--list-cache", "10", "--search-cache", "-1"}, // both names: refused as such, not for the old one's value
	} {
		_, _, err := runCLI(append([]string{"serve", "--db", dbPath}, args...)...)
		if exitCode(err) != 2 || !strings.Contains(describe(err), args[0]) {
			t.Errorf("serve %q: exit %d, %v; want exit 2 naming %s", args, exitCode(err), err, args[0])
		}
	}
	// The same from the environment: the refusal names the variable.
	for _, vars := range [][]string{
		{"BESLUTSGANG_LIST_CACHE", "många"},
		{"BESLUTSGANG_SEARCH_CACHE", "-1"},
		{"BESLUTSGANG_LIST_CACHE", "0", "BESLUTSGANG_SEARCH_CACHE", "256"},
		{"BESLUTSGANG_DEMO", "ja"},
		{"BESLUTSGANG_PPROF", "yes"},
	} {
		t.Run(strings.Join(vars, "="), func(t *testing.T) {
			for i := 0; i < len(vars); i += 2 {
				t.Setenv(vars[i], vars[i+1])
			}
			_, _, err := runCLI("serve", "--db", dbPath)
			if exitCode(err) != 2 || !strings.Contains(describe(err), vars[len(vars)-2]) {
				t.Errorf("serve with %q: exit %d, %v; want exit 2 naming %s", vars, exitCode(err), err, vars[len(vars)-2])
			}
		})
	}
	if _, _, err := runCLI("remind", "--once", "--db", dbPath, "--log-format", "yaml"); exitCode(err) != 2 || !strings.Contains(describe(err), "--log-format") {
		t.Errorf("remind --log-format yaml: exit %d, %v", exitCode(err), err)
	}
	if _, err := os.Stat(dbPath); err == nil {
		t.Errorf("a refused serve made the database")
	}
}
