// Package notifytest runs a real SMTP server, Mailpit, for tests on loopback,
// and reads what it received through its HTTP API.
package notifytest

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// Mailpit is one Mailpit process on loopback ports that stay the same across
// Stop and Start, with its messages kept in a file so a restart loses none.
type Mailpit struct {
	t        *testing.T
	bin      string
	dir      string
	SMTPPort int
	HTTPPort int
	extra    []string
	cmd      *exec.Cmd
}

// Binary finds the mailpit program on PATH or in $(go env GOPATH)/bin.
func Binary() (string, error) {
	if p, err := exec.LookPath("mailpit"); err == nil {
		return p, nil
	}
	gopath := os.Getenv("GOPATH")
	if gopath == "" {
		if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
			gopath = string(out[:len(out)-1])
		}
	}
	if gopath != "" {
		p := filepath.Join(gopath, "bin", "mailpit")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("mailpit is not installed: run `go install github.com/axllent/mailpit@v1.33.1` (the mail tests need a real SMTP server)")
}

// StartMailpit starts Mailpit for the test and stops it when the test ends.
// extra flags are passed on, e.g. --smtp-auth-accept-any.
func StartMailpit(t *testing.T, extra ...string) *Mailpit {
	t.Helper()
	bin, err := Binary()
	if err != nil {
		t.Fatal(err)
	}
	m := &Mailpit{t: t, bin: bin, dir: t.TempDir(), SMTPPort: freePort(t), HTTPPort: freePort(t), extra: extra}
	t.Cleanup(m.Stop)
	m.Start()
	return m
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// SMTPURL is the address to deliver to, without TLS (Mailpit has no certificate here).
func (m *Mailpit) SMTPURL() string {
	return fmt.Sprintf("smtp://127.0.0.1:%d?starttls=none", m.SMTPPort)
}

// Start runs Mailpit and waits until its API answers.
func (m *Mailpit) Start() {
	m.t.Helper()
	if m.cmd != nil {
		return
	}
	args := append([]string{"--smtp", "127.0.0.1:" + strconv.Itoa(m.SMTPPort), "--listen", "127.0.0.1:" + strconv.Itoa(m.HTTPPort),
		"--disable-version-check", "--database", filepath.Join(m.dir, "mailpit.db")}, m.extra...)
	cmd := exec.Command(m.bin, args...)
	log, err := os.Create(filepath.Join(m.dir, "mailpit.log"))
	if err != nil {
		m.t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		m.t.Fatalf("start mailpit: %v", err)
	}
	m.cmd = cmd
	// Wait for it to come up: a readiness wait, not a timing assertion.
	for range 600 {
		resp, err := http.Get(m.api("/api/v1/messages"))
		if err == nil {
			resp.Body.Close()
			if c, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(m.SMTPPort)); err == nil {
				c.Close()
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	out, _ := os.ReadFile(filepath.Join(m.dir, "mailpit.log"))
	m.t.Fatalf("mailpit did not come up on ports %d/%d:\n%s", m.SMTPPort, m.HTTPPort, out)
}

// Stop ends Mailpit; its messages stay in its database for the next Start.
func (m *Mailpit) Stop() {
	if m.cmd == nil {
		return
	}
	m.cmd.Process.Kill()
	m.cmd.Wait()
	m.cmd = nil
}

func (m *Mailpit) api(path string) string {
	return fmt.Sprintf("http://127.0.0.1:%d%s", m.HTTPPort, path)
}

// Address is a mail address as Mailpit reports it.
type Address struct {
	Name    string `json:"Name"`
	Address string `json:"Address"`
}

// Message is a received message as Mailpit lists it, with its bodies.
type Message struct {
	ID         string    `json:"ID"`
	MessageID  string    `json:"MessageID"`
	ReturnPath string    `json:"ReturnPath"` // the envelope sender, MAIL FROM
	From       Address   `json:"From"`
	To         []Address `json:"To"`
	Cc         []Address `json:"Cc"`
	Subject    string    `json:"Subject"`
	Text       string    `json:"Text"`
	HTML       string    `json:"HTML"`
}

// Messages returns every message received, oldest first, with its text and HTML.
func (m *Mailpit) Messages() []Message {
	m.t.Helper()
	var list struct {
		Messages []Message `json:"messages"`
	}
	m.get("/api/v1/messages?limit=1000", &list)
	out := make([]Message, 0, len(list.Messages))
	for i := len(list.Messages) - 1; i >= 0; i-- { // the API lists newest first
		var full Message
		m.get("/api/v1/message/"+list.Messages[i].ID, &full)
		out = append(out, full)
	}
	return out
}

// Raw is a received message exactly as it came over SMTP, headers undecoded.
func (m *Mailpit) Raw(id string) string {
	m.t.Helper()
	resp, err := http.Get(m.api("/api/v1/message/" + id + "/raw"))
	if err != nil {
		m.t.Fatalf("mailpit API: %v", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		m.t.Fatalf("mailpit API raw %s: %s %v", id, resp.Status, err)
	}
	return string(b)
}

func (m *Mailpit) get(path string, v any) {
	m.t.Helper()
	resp, err := http.Get(m.api(path))
	if err != nil {
		m.t.Fatalf("mailpit API: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		m.t.Fatalf("mailpit API %s: %s", path, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		m.t.Fatalf("mailpit API %s: %v", path, err)
	}
}

// Recipients lists the To addresses of messages.
func Recipients(msgs []Message) []string {
	var out []string
	for _, m := range msgs {
		for _, a := range m.To {
			out = append(out, a.Address)
		}
	}
	return out
}

// Subjects lists the subject of every message received, however many, one
// entry per message: the API is read a page at a time, and a message that
// arrives meanwhile shifts the pages (newest first), so a message seen on
// two pages counts once.
func (m *Mailpit) Subjects() []string {
	m.t.Helper()
	const page = 1000
	seen := map[string]bool{}
	var out []string
	for start := 0; ; start += page {
		var list struct {
			Messages []Message `json:"messages"`
		}
		m.get(fmt.Sprintf("/api/v1/messages?start=%d&limit=%d", start, page), &list)
		for _, msg := range list.Messages {
			if !seen[msg.ID] {
				seen[msg.ID] = true
				out = append(out, msg.Subject)
			}
		}
		if len(list.Messages) < page {
			return out
		}
	}
}
