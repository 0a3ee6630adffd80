package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/internal/pgtest"
)

// Two "serve" instances on one PostgreSQL database, as the README's
// Deployment section runs them: both ready, one leads the scheduled work,
// a change through one is read through the other, and when the leader
// stops the other leads within 30 s. The printed database has no password.
func TestServeTwoInstancesOnPostgres(t *testing.T) {
	url := strings.Replace(pgtest.DatabaseURL(t), "postgres@", "postgres:hemligt@", 1) // trust auth ignores it
	a := startServe(t, "--demo", "--db", url, "--mail-dir", t.TempDir())
	b := startServe(t, "--db", url, "--mail-dir", t.TempDir())
	running := map[*serving]bool{a: true, b: true}
	defer func() {
		for sv := range running {
			sv.stop()
		}
	}()
	for _, sv := range []*serving{a, b} {
		if printed := strings.Join(sv.printed, "\n"); strings.Contains(printed, "hemligt") || !strings.Contains(printed, "postgres://postgres:xxxxx@") {
			t.Errorf("serve printed %q", printed)
		}
		if status, body := get(t, sv.base+"/readyz"); status != http.StatusOK {
			t.Fatalf("readyz of %s: %d %s", sv.base, status, body)
		}
	}
	leads := func(sv *serving) bool {
		var h struct {
			Leader bool
			Engine string
		}
		_, body := get(t, sv.base+"/healthz")
		if err := json.Unmarshal([]byte(body), &h); err != nil || h.Engine != "PostgreSQL" {
			t.Errorf("healthz: %s", body)
		}
		return h.Leader
	}
	waitFor := func(what string, within time.Duration, ok func() bool) {
		t.Helper()
		for deadline := time.Now().Add(within); !ok(); time.Sleep(200 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("not within %v: %s", within, what)
			}
		}
	}
	waitFor("one leader", 10*time.Second, func() bool { return leads(a) != leads(b) })

	token := apiLogin(t, a.base, "handlaggare@kommun.example")
	var c struct {
		Version int
		Stage   string
	}
	apiJSON(t, "GET", b.base+"/api/v1/cases/ASN-2025-1", token, "", &c)
	apiJSON(t, "POST", a.base+"/api/v1/cases/ASN-2025-1/actions", token, fmt.Sprintf(`{"action":"submit","version":%d}`, c.Version), nil)
	apiJSON(t, "GET", b.base+"/api/v1/cases/ASN-2025-1", token, "", &c)
	if c.Stage != "approval" {
		t.Errorf("instance b reads the case as %q after a submitted it", c.Stage)
	}

	leader, other := a, b
	if !leads(a) {
		leader, other = b, a
	}
	if err := leader.stop(); err != nil {
		t.Fatal(err)
	}
	delete(running, leader)
	stopped := time.Now()
	waitFor("the other instance leads", 30*time.Second, func() bool { return leads(other) })
	t.Logf("the other instance led %v after the leader stopped", time.Since(stopped).Round(100*time.Millisecond))
}

// get is a GET's status and body.
func get(t *testing.T, url string) (int, string) {
	t.Helper()
	r, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	b, _ := io.ReadAll(r.Body)
	return r.StatusCode, string(b)
}

// apiLogin is a bearer token of the demo user email.
func apiLogin(t *testing.T, base, email string) string {
	t.Helper()
	var s struct{ Token string }
	apiJSON(t, "POST", base+"/api/v1/sessions", "", `{"email":"`+email+`","password":"demo"}`, &s)
	return s.Token
}

// apiJSON sends body (JSON, or none) and decodes a 2xx answer into out (if not nil).
func apiJSON(t *testing.T, method, url, token, body string, out any) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	r, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	b, _ := io.ReadAll(r.Body)
	if r.StatusCode/100 != 2 {
		t.Fatalf("%s %s: %d %s", method, url, r.StatusCode, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %v: %s", method, url, err, b)
		}
	}
}

// A database address of another form than postgres:// is refused by every
// command before anything is created, and no message shows its password;
// an empty BESLUTSGANG_DB is an error, not the default file.
func TestDatabaseAddressRefused(t *testing.T) {
	t.Chdir(t.TempDir())
	for _, dsn := range []string{"host=127.0.0.1 port=5432 user=beslut password=S3cr3tKV dbname=beslut",
		"postgress://beslut:S3cr3tKV@127.0.0.1:5432/beslut?sslmode=disable", "beslut:S3cr3tKV@127.0.0.1:5432/beslut",
		"postgres://special:S3cr3tKV@sp/ec#ial:pw@127.0.0.1:5432/beslut", " "} {
		for _, cmd := range [][]string{{"serve", "--addr", "127.0.0.1:0"}, {"verify"}, {"user", "list"}} {
			r := cli(t, "", append(cmd, "--db", dsn)...)
			if r.code() == 0 || strings.Contains(r.stdout+r.stderr+fmt.Sprint(r.err), "S3cr") {
				t.Errorf("%s --db %q: exit %d, %v\n%s%s", cmd[0], dsn, r.code(), r.err, r.stdout, r.stderr)
			}
		}
	}
	if entries, _ := os.ReadDir("."); len(entries) != 0 {
		t.Errorf("the refused addresses left %v", entries)
	}
	t.Setenv("BESLUTSGANG_DB", "")
	if r := cli(t, "", "verify"); r.code() == 0 || !strings.Contains(fmt.Sprint(r.err), "Ange databasen") {
		t.Errorf("an empty BESLUTSGANG_DB: exit %d, %v", r.code(), r.err)
	}
}

// verify, like the other commands that need an installation, refuses an
// empty PostgreSQL database instead of installing the schema in it.
func TestVerifyRefusesAnEmptyPostgresDatabase(t *testing.T) {
	url := pgtest.DatabaseURL(t)
	if r := cli(t, "", "verify", "--db", url); r.code() == 0 || !strings.Contains(fmt.Sprint(r.err), "ingen installation") {
		t.Errorf("verify on an empty database: exit %d, %v %s", r.code(), r.err, r.stdout)
	}
	if r := cli(t, "", "verify", "--db", url); r.code() == 0 {
		t.Error("the first verify installed the schema")
	}
}
