package e2e

import (
	"database/sql"
	"fmt"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/demo"
	"github.com/kommun/beslutsgang/internal/syncbuf"
)

var (
	// runLog is the JSON log of every server of the run.
	runLog syncbuf.Buffer
	// secretTitles are the titles of the secret cases the servers held.
	secretMu     sync.Mutex
	secretTitles = map[string]bool{}
)

// noteSecrets remembers the titles of store's secret cases, which no log
// line may hold.
func noteSecrets(t *testing.T, store *db.Store) {
	t.Helper()
	d, err := sql.Open("sqlite3", "file:"+store.Path()+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	rows, err := d.Query(`SELECT title FROM cases WHERE secret = 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	secretMu.Lock()
	defer secretMu.Unlock()
	for rows.Next() {
		var title string
		if err := rows.Scan(&title); err != nil {
			t.Fatal(err)
		}
		secretTitles[title] = true
	}
}

// TestMain runs the browser tests, then searches the log of every server
// they ran for what must never be logged: the demo password (every demo
// login went through a form with it) and the title of a secret case.
func TestMain(m *testing.M) {
	code := m.Run()
	if problems := logLeaks(runLog.String()); code == 0 && len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintln(os.Stderr, "FAIL: the e2e servers' log", p)
		}
		code = 1
	}
	os.Exit(code)
}

// logLeaks says what log holds that it must not, or that it holds no
// request lines at all (a log that was never written proves nothing).
func logLeaks(log string) []string {
	var out []string
	if log == "" {
		return nil // no server ran (a -run that matched no test)
	}
	if !strings.Contains(log, `"msg":"request"`) || !strings.Contains(log, `"request_id":"`) {
		out = append(out, "has no request lines with a request_id")
	}
	if regexp.MustCompile(`\b` + regexp.QuoteMeta(demo.Password) + `\b`).MatchString(log) {
		out = append(out, fmt.Sprintf("holds the demo password %q", demo.Password))
	}
	secretMu.Lock()
	defer secretMu.Unlock()
	if len(secretTitles) == 0 {
		out = append(out, ": no secret case was noted to look for")
	}
	for title := range secretTitles {
		if strings.Contains(log, title) {
			out = append(out, fmt.Sprintf("holds the secret title %q", title))
		}
	}
	return out
}

// The search itself finds what it looks for.
func TestLogLeaks(t *testing.T) {
	secretMu.Lock()
	secretTitles["Hemlig rubrik för provet"] = true
	secretMu.Unlock()
	defer func() {
		secretMu.Lock()
		delete(secretTitles, "Hemlig rubrik för provet")
		secretMu.Unlock()
	}()
	clean := `{"msg":"request","request_id":"a1","route":"/login"}` + "\n" + `{"msg":"demodata","who":"demonstration"}`
	if p := logLeaks(clean); len(p) != 0 {
		t.Errorf("a clean log: %v", p)
	}
	for _, leak := range []string{`{"password":"demo"}`, `{"form":"email=a&password=demo&next=/"}`, `{"title":"Hemlig rubrik för provet"}`} {
		if p := logLeaks(clean + "\n" + leak); len(p) == 0 {
			t.Errorf("not found: %s", leak)
		}
	}
	if p := logLeaks(`{"msg":"started"}`); len(p) == 0 {
		t.Error("a log without request lines passed")
	}
}
