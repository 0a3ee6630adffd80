package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/demo"
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
	ctx, cancel := context.WithCancel(context.Background())
	out, stdout := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), strings.NewReader(""), stdout, io.Discard)
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
