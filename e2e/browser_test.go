package e2e

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// chromiumPath finds Debian's Chromium, or $BESLUTSGANG_CHROMIUM. Without it
// the browser tests fail, and say how to install it: they never skip.
func chromiumPath(t *testing.T) string {
	t.Helper()
	names := []string{"/usr/bin/chromium", "chromium"}
	if p := os.Getenv("BESLUTSGANG_CHROMIUM"); p != "" {
		names = []string{p}
	}
	for _, name := range names {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("Chromium not found. Install Debian's package with `apt-get install chromium` " +
		"(the CI script .ci/run does so), or set BESLUTSGANG_CHROMIUM to a Chromium binary.")
	return ""
}

// pageWatch is injected into every document before its own scripts run. It
// records what must never happen: a script dialog (an injected alert), a
// script error, a resource the Content-Security-Policy blocked.
const pageWatch = `
window.__problems = [];
window.alert = window.confirm = window.prompt = function (m) { window.__problems.push("dialog: " + m); };
window.addEventListener("error", function (e) { window.__problems.push("script error: " + e.message); });
document.addEventListener("securitypolicyviolation", function (e) {
  window.__problems.push("CSP blocked " + e.violatedDirective + " " + (e.blockedURI || "inline"));
});
`

// browser is one headless Chromium tab talking to the service under test.
type browser struct {
	t         *testing.T
	ctx       context.Context
	base      string
	artifacts string
	shot      int
}

// newBrowser starts headless Chromium with a fresh profile, kept off the
// network: it only ever talks to the loopback server.
func newBrowser(t *testing.T, base string) *browser {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-pings", true),
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"),
		chromedp.Flag("lang", "sv-SE"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 1000),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancelCtx(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument,
		page.AddScriptToEvaluateOnNewDocumentParams{Source: pageWatch}); err != nil {
		t.Fatalf("watching pages: %v", err)
	}
	return &browser{t: t, ctx: ctx, base: base, artifacts: artifactsDir(t)}
}

// step bounds one browser step, so a page that never loads ends the test with
// an error instead of hanging it; it asserts nothing about speed.
func (b *browser) step() (context.Context, context.CancelFunc) {
	return context.WithTimeout(b.ctx, 2*time.Minute)
}

// open loads a page and returns its HTTP status.
func (b *browser) open(path string) int64 {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(b.base+path))
	if err != nil {
		b.t.Fatalf("open %s: %v", path, err)
	}
	b.checkProblems(path)
	return resp.Status
}

// submit clicks a button (or link) that leads to another page, waits for it,
// and returns its HTTP status.
func (b *browser) submit(selector string) int64 {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(selector), chromedp.NodeVisible))
	if err != nil {
		b.t.Fatalf("click %s: %v", selector, err)
	}
	b.checkProblems(selector)
	return resp.Status
}

// click clicks an element that does not lead to another page, such as a checkbox.
func (b *browser) click(selector string) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(selector), chromedp.NodeVisible)); err != nil {
		b.t.Fatalf("click %s: %v", selector, err)
	}
}

// set fills an input, textarea or select.
func (b *browser) set(selector, value string) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS(selector), value, chromedp.NodeReady)); err != nil {
		b.t.Fatalf("set %s: %v", selector, err)
	}
}

// value reads a form field's value.
func (b *browser) value(selector string) string {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(selector), chromedp.NodeReady))
	if err != nil {
		b.t.Fatalf("value of %s: %v", selector, err)
	}
	return v
}

// text is the visible text of the first element matching selector.
func (b *browser) text(selector string) string {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(selector), chromedp.NodeReady))
	if err != nil {
		b.t.Fatalf("text of %s: %v", selector, err)
	}
	return s
}

// count is how many elements match selector.
func (b *browser) count(selector string) int {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](fmt.Sprintf("document.querySelectorAll(%q).length", selector)))
	if err != nil {
		b.t.Fatalf("count %s: %v", selector, err)
	}
	return n
}

// upload chooses files for a file input.
func (b *browser) upload(selector string, files ...string) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS(selector), files, chromedp.NodeReady)); err != nil {
		b.t.Fatalf("upload to %s: %v", selector, err)
	}
}

// expect fails the test unless the element's text contains every want.
func (b *browser) expect(selector string, want ...string) {
	b.t.Helper()
	got := b.text(selector)
	for _, w := range want {
		if !strings.Contains(got, w) {
			b.t.Errorf("%s does not show %q; it shows:\n%s", selector, w, got)
		}
	}
}

// refuse fails the test if the element's text contains any of these.
func (b *browser) refuse(selector string, unwanted ...string) {
	b.t.Helper()
	got := b.text(selector)
	for _, w := range unwanted {
		if strings.Contains(got, w) {
			b.t.Errorf("%s shows %q, which it should not:\n%s", selector, w, got)
		}
	}
}

// checkProblems fails the test if the page opened a dialog, threw, or had
// something blocked by its security policy.
func (b *browser) checkProblems(where string) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	problems, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.__problems || []`))
	if err != nil {
		b.t.Fatalf("reading page problems after %s: %v", where, err)
	}
	for _, p := range problems {
		b.t.Errorf("after %s: %s", where, p)
	}
}

// screenshot saves the whole page as a PNG in the artifacts directory.
func (b *browser) screenshot(name string) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	b.shot++
	file := filepath.Join(b.artifacts, fmt.Sprintf("%02d-%s.png", b.shot, name))
	if err := os.WriteFile(file, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// artifactsDir is where screenshots go: $BESLUTSGANG_ARTIFACTS, or
// testdata-out/e2e at the repository root (git-ignored).
func artifactsDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("BESLUTSGANG_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(repoRoot(t), "testdata-out", "e2e")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// repoRoot is the directory holding go.mod, found from the test's directory.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		} else if !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test directory")
		}
		dir = parent
	}
}
