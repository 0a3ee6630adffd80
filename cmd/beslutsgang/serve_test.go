package main

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"html"
	"io"
	"mime"
	"net/http"
	"net/http/cookiejar"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/demo"
	"github.com/kommun/beslutsgang/internal/syncbuf"
	"github.com/kommun/beslutsgang/workflow"
)

// serving is a "beslutsgang serve" running in-process.
type serving struct {
	base    string   // http://127.0.0.1:PORT
	printed []string // what it printed up to and including the address line
	stop    func() error
}

var listening = regexp.MustCompile(`kör på (http://127\.0\.0\.1:\d+)`)

// startServe runs serve with args on loopback and returns once it listens.
func startServe(t *testing.T, args ...string) *serving {
	t.Helper()
	return startServeLogging(t, io.Discard, args...)
}

// startServeLogging is startServe with the server's log written to stderr.
func startServeLogging(t *testing.T, stderr io.Writer, args ...string) *serving {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out, stdout := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), strings.NewReader(""), stdout, stderr)
		stdout.Close()
		done <- err
	}()
	lines := make(chan string, 64)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	sv := &serving{}
	for line := range lines {
		sv.printed = append(sv.printed, line)
		if m := listening.FindStringSubmatch(line); m != nil {
			sv.base = m[1]
			break
		}
	}
	if sv.base == "" {
		cancel()
		t.Fatalf("serve printed no address: %q (%v)", sv.printed, <-done)
	}
	// The logins come after the address; collect them until serve ends.
	rest := make(chan []string, 1)
	go func() {
		var more []string
		for line := range lines {
			more = append(more, line)
		}
		rest <- more
	}()
	sv.stop = func() error {
		cancel()
		err := <-done
		sv.printed = append(sv.printed, <-rest...)
		return err
	}
	return sv
}

// serve --demo on an empty database seeds it, prints the demo logins and
// answers on loopback until its context ends; a second start seeds nothing.
func TestServeDemo(t *testing.T) {
	path := filepath.Join(t.TempDir(), "beslutsgang.db")
	sv := startServe(t, "--demo", "--db", path)
	resp, err := http.Get(sv.base + "/healthz")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("healthz: %v %v", resp, err)
	}
	resp.Body.Close()
	resp, err = http.Post(sv.base+"/api/v1/sessions", "application/json",
		strings.NewReader(`{"email":"sekreterare@kommun.example","password":"demo"}`))
	if err != nil {
		t.Fatal(err)
	}
	var login struct{ Token string }
	json.NewDecoder(resp.Body).Decode(&login)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated || login.Token == "" {
		t.Errorf("demo login: %d", resp.StatusCode)
	}
	if err := sv.stop(); err != nil {
		t.Errorf("serve after cancel: %v", err)
	}
	all := strings.Join(sv.printed, "\n")
	for _, l := range demo.Logins {
		if !strings.Contains(all, l.Email) {
			t.Errorf("demo login %s not printed:\n%s", l.Email, all)
		}
	}
	if !strings.Contains(all, `"demo"`) || !strings.Contains(all, "Demodata skapad") {
		t.Errorf("serve printed %q", all)
	}
	cases := rawCount(t, path, `SELECT COUNT(*) FROM cases`)
	if cases == 0 {
		t.Fatal("the demo registered no cases")
	}
	again := startServe(t, "--demo", "--db", path)
	if err := again.stop(); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(strings.Join(again.printed, "\n"), "Demodata skapad") || rawCount(t, path, `SELECT COUNT(*) FROM cases`) != cases {
		t.Errorf("the second start seeded again: %q", again.printed)
	}
}

// The listen address and the database can come from the environment.
func TestServeSettingsFromEnvironment(t *testing.T) {
	path := filepath.Join(t.TempDir(), "från-miljön.db")
	t.Setenv("BESLUTSGANG_DB", path)
	t.Setenv("BESLUTSGANG_ADDR", "127.0.0.1:0")
	ctx, cancel := context.WithCancel(context.Background())
	out, stdout := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, strings.NewReader(""), stdout, io.Discard)
		stdout.Close()
	}()
	line, _ := bufio.NewReader(out).ReadString('\n')
	cancel()
	go io.Copy(io.Discard, out)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if !listening.MatchString(line) || !strings.Contains(line, path) {
		t.Errorf("serve printed %q; want the loopback address and %s", line, path)
	}
}

// The demo as its first start finds it: ASN-2019-17886 as it happened in
// 2020, this year's Internationell redovisning made by the recurring
// assignment and on its way, no mail about a missed reminder (from the start's
// own scan, nor from the next scan and delivery to .eml files), and no page
// that calls anything overdue.
func TestServeDemoFirstStart(t *testing.T) {
	dir := t.TempDir()
	path, mailDir := filepath.Join(dir, "beslutsgang.db"), filepath.Join(dir, "mail")
	sv := startServe(t, "--demo", "--db", path, "--mail-dir", mailDir)
	today := workflow.Today(time.Now())
	overdue := regexp.MustCompile(`Försenad \d+`)
	pages := map[string]string{} // path as the secretary: page
	for _, l := range demo.Logins {
		c := webLogin(t, sv.base, l.Email)
		paths := []string{"/", "/deadlines", "/cases", "/meetings"}
		if l.Email == "sekreterare@kommun.example" {
			for _, n := range rawStrings(t, path, `SELECT number FROM cases ORDER BY id`) {
				paths = append(paths, "/cases/"+n)
			}
		}
		for _, p := range paths {
			body := webText(t, c, sv.base+p)
			if m := overdue.FindStringIndex(body); m != nil {
				t.Errorf("%s, %s shows %q", l.Email, p, body[max(0, m[0]-200):m[1]])
			}
			if l.Email == "sekreterare@kommun.example" {
				pages[p] = body
			}
		}
	}

	// The seed's meetings of 2020 were held, justerade and anslagna, and its
	// page shows the nämnd's § with its dates.
	if held := rawStrings(t, path, `SELECT b.code || ' ' || m.date || ' ' || m.status FROM meetings m JOIN bodies b ON b.id = m.body_id
		WHERE m.date < '2021' ORDER BY m.date`); !slices.Equal(held, []string{"ASN-PB 2020-01-08 posted", "ASN-AU 2020-01-16 posted", "ASN 2020-01-30 posted"}) {
		t.Errorf("the meetings of 2020: %q", held)
	}
	seed := pages["/cases/"+demo.SeedNumber]
	for _, want := range []string{"Avslutat", "2020-01-08", "2020-01-16", "2020-01-30", "Bifall enligt förslaget (§ 1)",
		"§ 1 Arbetsmarknads- och socialnämnden 2020-01-30", "Justerat 2020-01-30", "Anslaget 2020-01-31", "Expedierat 2020-01-31",
		"Laga kraft: överklagandetiden har gått ut", "Protokollet justerat", "Justeringen anslagen"} {
		if !strings.Contains(seed, want) {
			t.Errorf("the seed's page lacks %q", want)
		}
	}

	// This year's report: made by the recurring assignment four weeks ago, with
	// its year in its title and number, signed by one of three, on meetings ahead.
	runs := rawStrings(t, path, `SELECT c.number || '|' || c.title || '|' || c.stage || '|' || rr.period FROM recurring_runs rr
		JOIN cases c ON c.id = rr.case_id`)
	if len(runs) != 1 {
		t.Fatalf("recurring runs: %q, want this year's", runs)
	}
	run := strings.Split(runs[0], "|")
	year := run[3][:4]
	if !strings.HasPrefix(run[0], "ASN-"+year+"-") || run[1] != "Internationell redovisning "+year || run[2] != "approval" {
		t.Errorf("this year's report: %q", run)
	}
	report := pages["/cases/"+run[0]]
	for _, want := range []string{"Internationell redovisning " + year, "Återkommande uppdrag", "Väntar på godkännande"} {
		if !strings.Contains(report, want) {
			t.Errorf("the page of %s lacks %q", run[0], want)
		}
	}
	if ahead := rawCount(t, path, `SELECT COUNT(*) FROM route_steps s JOIN cases c ON c.id = s.case_id
		WHERE c.number = ? AND s.date <> '' AND s.date > ?`, run[0], today.String()); ahead != 3 {
		t.Errorf("%s has %d meetings ahead, want its presidium, arbetsutskott and nämnd", run[0], ahead)
	}
	if n := rawCount(t, path, `SELECT COUNT(*) FROM deadlines WHERE state = 'open' AND due < ?`, today.String()); n != 0 {
		t.Errorf("%d open deadlines are overdue", n)
	}

	if err := sv.stop(); err != nil {
		t.Fatal(err)
	}
	// The next scan and delivery, as the running service does them each minute.
	mustRun(t, "", "remind", "--once", "--deliver", "--db", path, "--mail-dir", mailDir)
	for _, subject := range rawStrings(t, path, `SELECT subject FROM outbox`) {
		if strings.HasPrefix(subject, "Missad påminnelse") || strings.Contains(subject, "Försenad") {
			t.Errorf("queued: %q", subject)
		}
	}
	files, err := filepath.Glob(filepath.Join(mailDir, "*.eml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		subject := emlSubject(t, f)
		if strings.HasPrefix(subject, "Missad påminnelse") || strings.Contains(subject, "Försenad") {
			t.Errorf("%s: %q", filepath.Base(f), subject)
		}
	}
	if n := rawCount(t, path, `SELECT COUNT(*) FROM reminders WHERE sent_at IS NULL AND on_date < ?`, today.String()); n != 0 {
		t.Errorf("%d reminders of days gone by wait to go out as missed ones", n)
	}
}

// webLogin is a browser's session of email, logged in through the login form.
func webLogin(t *testing.T, base, email string) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	m := regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindStringSubmatch(webGet(t, c, base+"/login"))
	if m == nil {
		t.Fatal("the login page has no CSRF token")
	}
	resp, err := c.PostForm(base+"/login", url.Values{"_csrf": {m[1]}, "email": {email}, "password": {demo.Password}, "next": {"/"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login %s: %d", email, resp.StatusCode)
	}
	return c
}

var (
	tag    = regexp.MustCompile(`<[^>]*>`)
	spaces = regexp.MustCompile(`\s+`)
)

// webText is the text of a page that must answer 200, as a reader sees it:
// without tags, each run of white space one space.
func webText(t *testing.T, c *http.Client, url string) string {
	t.Helper()
	return strings.TrimSpace(spaces.ReplaceAllString(html.UnescapeString(tag.ReplaceAllString(webGet(t, c, url), " ")), " "))
}

// webGet is the HTML of a page that must answer 200.
func webGet(t *testing.T, c *http.Client, url string) string {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d, %v", url, resp.StatusCode, err)
	}
	return string(b)
}

// rawStrings reads one text column from the database file, behind the service's back.
func rawStrings(t *testing.T, path, query string, args ...any) []string {
	t.Helper()
	d, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	rows, err := d.Query(query, args...)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// emlSubject is the decoded Subject of a .eml file.
func emlSubject(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := mail.ReadMessage(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	s, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return s
}

// A listen address that is not HOST:PORT stops serve with exit 2 before the
// database is made, as the README says of every bad setting.
func TestServeRefusesABadAddress(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "beslutsgang.db")
	for _, addr := range []string{"127.0.0.1:99999", "nonsense", "127.0.0.1:http", "bad host!:8080", ":-1"} {
		_, _, err := runCLI("serve", "--db", dbPath, "--addr", addr)
		if exitCode(err) != 2 || !strings.Contains(describe(err), "--addr") {
			t.Errorf("--addr %q: exit %d, %v; want exit 2 naming --addr", addr, exitCode(err), err)
		}
	}
	if _, err := os.Stat(dbPath); err == nil {
		t.Errorf("a refused serve made the database")
	}
	for _, addr := range []string{"127.0.0.1:0", "localhost:0", "[::1]:0", ":0"} {
		if err := checkAddr(addr); err != nil {
			t.Errorf("%q refused: %v", addr, err)
		}
	}
}

// An authority for the feed's tag URIs that is no domain name or e-mail
// address stops serve with exit 2 before the database is made.
func TestServeRefusesABadFeedAuthority(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "beslutsgang.db")
	for _, a := range []string{"127.0.0.1", "kommun", "kommun.se:8080", "åkerö.se"} {
		_, _, err := runCLI("serve", "--db", dbPath, "--addr", "127.0.0.1:0", "--feed-authority", a)
		if exitCode(err) != 2 || !strings.Contains(describe(err), "--feed-authority") {
			t.Errorf("--feed-authority %q: exit %d, %v; want exit 2 naming --feed-authority", a, exitCode(err), err)
		}
	}
	if _, err := os.Stat(dbPath); err == nil {
		t.Errorf("a refused serve made the database")
	}
}

// The accessibility statement gives the installation's own address for
// reports (lag 2018:1937, 15 §): --accessibility-contact, else the address
// of --mail-from; without either it keeps the example and the log says so.
// Before, every installation's statement named tillganglighet@kommun.example.
func TestServeAccessibilityContact(t *testing.T) {
	dir := t.TempDir()
	statement := func(sv *serving) string {
		t.Helper()
		resp, err := http.Get(sv.base + "/tillganglighet")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	for i, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--accessibility-contact", " tillganglighet@malmo.se "}, `href="mailto:tillganglighet@malmo.se"`},
		{[]string{"--mail-from", "Beslutsgång <beslut@malmo.se>"}, `href="mailto:beslut@malmo.se"`},
	} {
		sv := startServe(t, append([]string{"--db", filepath.Join(dir, strconv.Itoa(i)+".db")}, tc.args...)...)
		if page := statement(sv); !strings.Contains(page, tc.want) || strings.Contains(page, "kommun.example") {
			t.Errorf("%q: the statement lacks %s", tc.args, tc.want)
		}
		sv.stop()
	}
	var logs syncbuf.Buffer
	sv := startServeLogging(t, &logs, "--db", filepath.Join(dir, "x.db"))
	if !strings.Contains(statement(sv), `href="mailto:tillganglighet@kommun.example"`) {
		t.Error("without an address the statement lacks the example")
	}
	sv.stop()
	if !strings.Contains(logs.String(), "--accessibility-contact") {
		t.Errorf("the log does not say the address is missing: %s", logs.String())
	}
	for _, bad := range []string{"ingen adress", "x@", "@malmo.se"} {
		_, _, err := runCLI("serve", "--db", filepath.Join(dir, "bad.db"), "--addr", "127.0.0.1:0", "--accessibility-contact", bad)
		if exitCode(err) != 2 || !strings.Contains(describe(err), "--accessibility-contact") {
			t.Errorf("--accessibility-contact %q: exit %d, %v; want exit 2 naming it", bad, exitCode(err), err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "bad.db")); err == nil {
		t.Errorf("a refused serve made the database")
	}
}
