package e2e

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/demo"
	"github.com/kommun/beslutsgang/notify"
	"github.com/kommun/beslutsgang/workflow"
)

// viewport is one size the reflow test looks at a page in.
type viewport struct {
	name          string
	width, height int64
	scale         float64
}

// The sizes of WCAG 2.1 success criterion 1.4.10 (reflow). A window 1280 CSS
// px wide zoomed to 400 % lays pages out in 320 CSS px; Chromium's device
// metrics emulation gives exactly that layout viewport, drawn with four
// device pixels per CSS pixel (1280 × 1024 device pixels). Page zoom itself
// cannot be set through the DevTools protocol, and this is the equivalence
// the criterion names. The desktop size checks what must hold without zoom.
var (
	narrow  = viewport{"320 px", 320, 640, 1}
	zoomed  = viewport{"1280 px at 400 %", 320, 256, 4}
	desktop = viewport{"1280 px", 1280, 1000, 1}
)

// layout is what the reflow test measures on a page in one viewport.
type layout struct {
	ScrollWidth, ClientWidth int
	Wide                     []string // elements reaching past the right edge, for the message
	Scrollers                []string // boxes that scroll sideways inside the page
	Unfit                    []string // scrolling boxes that are not a focusable region around a data table
	Clipped                  []string // Kvittera buttons outside the window or cut off by a scrolling box
	Overlapping              []string // tables, controls and pictures reaching out of their box over what is beside it
	Kvittera                 int
}

// measure is run in the page: the document's width against the window's,
// what sticks out, which boxes scroll sideways, and where the Kvittera
// buttons are.
const measure = `(function () {
  var doc = document.documentElement, width = doc.clientWidth;
  function name(el) {
    var s = el.tagName.toLowerCase();
    if (el.id) { s += "#" + el.id; }
    if (typeof el.className === "string" && el.className.trim()) { s += "." + el.className.trim().split(/\s+/).join("."); }
    return s;
  }
  var out = {ScrollWidth: doc.scrollWidth, ClientWidth: width, Wide: [], Scrollers: [], Unfit: [], Clipped: [], Overlapping: [], Kvittera: 0};
  var all = document.body.getElementsByTagName("*");
  for (var i = 0; i < all.length; i++) {
    var el = all[i], box = el.getBoundingClientRect(), style = getComputedStyle(el);
    if (box.width > 0 && box.right > width + 1 && out.Wide.length < 8) {
      var inner = false; // inside a box that scrolls or clips: that box is what counts
      for (var a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        var ox = getComputedStyle(a).overflowX;
        if (ox !== "visible") { inner = true; break; }
      }
      if (!inner && !el.closest(".visually-hidden")) { out.Wide.push(name(el) + " right " + Math.round(box.right)); }
    }
    if (style.overflowX === "visible" && el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1 &&
        box.left + el.scrollWidth > width + 1 && out.Wide.length < 8 && !el.closest(".visually-hidden")) {
      out.Wide.push(name(el) + " content to " + Math.round(box.left + el.scrollWidth));
    }
    if ((style.overflowX === "auto" || style.overflowX === "scroll") && el.scrollWidth > el.clientWidth + 1) {
      out.Scrollers.push(name(el));
      var region = el.getAttribute("role") === "region" && el.getAttribute("tabindex") === "0" &&
        (el.hasAttribute("aria-label") || el.hasAttribute("aria-labelledby")) && el.querySelector("table");
      if (!region) { out.Unfit.push(name(el)); }
    }
  }
  var solid = document.querySelectorAll("main table, main pre, main img, main svg, main input, main select, main textarea, main button, main .button");
  for (var k = 0; k < solid.length && out.Overlapping.length < 8; k++) {
    var s = solid[k], sr = s.getBoundingClientRect();
    if (sr.width === 0 || s.closest(".visually-hidden") || getComputedStyle(s).position === "absolute") { continue; }
    var box = s.parentElement;
    while (box && /^(inline|contents|table-row|table-row-group|table-header-group)$/.test(getComputedStyle(box).display)) { box = box.parentElement; }
    if (!box || getComputedStyle(box).overflowX !== "visible") { continue; } // a scrolling box is judged above
    var br = box.getBoundingClientRect(), inner = br.left + box.clientLeft + box.clientWidth;
    if (sr.right > inner + 1) { out.Overlapping.push(name(s) + " reaches " + Math.round(sr.right - inner) + " px out of " + name(box)); }
  }
  var buttons = document.querySelectorAll("button");
  for (var j = 0; j < buttons.length; j++) {
    var b = buttons[j];
    if (!/^\s*Kvittera/.test(b.textContent)) { continue; }
    out.Kvittera++;
    var r = b.getBoundingClientRect();
    var why = "";
    if (r.width === 0 || r.height === 0) { why = "not shown"; }
    else if (r.left < -1 || r.right > width + 1) { why = "outside the window (" + Math.round(r.left) + "–" + Math.round(r.right) + " of " + width + ")"; }
    for (var p = b.parentElement; !why && p && p !== doc; p = p.parentElement) {
      var ps = getComputedStyle(p);
      if (ps.overflowX === "visible" && ps.overflowY === "visible") { continue; }
      var pr = p.getBoundingClientRect();
      var left = pr.left + p.clientLeft, right = left + p.clientWidth, top = pr.top + p.clientTop, bottom = top + p.clientHeight;
      if (r.left < left - 1 || r.right > right + 1 || r.top < top - 1 || r.bottom > bottom + 1) {
        why = "cut off by " + name(p);
      }
    }
    if (why) { out.Clipped.push(b.textContent.replace(/\s+/g, " ").trim() + ": " + why); }
  }
  return out;
})()`

// at sets the viewport and measures the page shown.
func (b *browser) at(v viewport) layout {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(v.width, v.height, chromedp.EmulateScale(v.scale)),
		chromedp.Evaluate[chromedp.Void](`new Promise(function (done) { requestAnimationFrame(function () { requestAnimationFrame(done); }); })`, chromedp.EvalAwaitPromise))
	var l layout
	if err == nil {
		l, err = chromedp.Run(ctx, chromedp.Evaluate[layout](measure))
	}
	if err != nil {
		b.t.Fatalf("measuring at %s: %v", v.name, err)
	}
	return l
}

// check fails the test for every way the page breaks reflow at v.
func (l layout) check(t *testing.T, who, path string, v viewport) {
	t.Helper()
	where := fmt.Sprintf("%s (%s) at %s", path, who, v.name)
	if l.ScrollWidth > l.ClientWidth {
		t.Errorf("%s scrolls sideways: the page is %d px wide in a %d px window; sticking out: %s",
			where, l.ScrollWidth, l.ClientWidth, strings.Join(l.Wide, ", "))
	}
	if len(l.Unfit) > 0 {
		t.Errorf("%s has boxes that scroll sideways but are no focusable region around a data table: %s", where, strings.Join(l.Unfit, ", "))
	}
	for _, c := range l.Clipped {
		t.Errorf("%s: %s", where, c)
	}
	if len(l.Overlapping) > 0 {
		t.Errorf("%s has parts reaching out of their box: %s", where, strings.Join(l.Overlapping, ", "))
	}
}

// crawlKey groups addresses that show the same kind of page: numbers and case
// numbers are placeholders, the query is left out.
var (
	caseNumber = regexp.MustCompile(`/[A-ZÅÄÖ]{2,10}-\d{4}-\d+`)
	number     = regexp.MustCompile(`/\d+`)
	mailFile   = regexp.MustCompile(`/admin/mail-files/[^/]+$`)
	noticeID   = regexp.MustCompile(`^/anslagstavla/[a-z]+-\d+`)
)

func crawlKey(path string) string {
	p, _, _ := strings.Cut(path, "?")
	p = caseNumber.ReplaceAllString(p, "/CASE")
	p = mailFile.ReplaceAllString(p, "/admin/mail-files/FILE")
	p = noticeID.ReplaceAllString(p, "/anslagstavla/ID")
	return number.ReplaceAllString(p, "/N")
}

// skip is an address that is no page: a download, a feed, logging out.
func skip(path string) bool {
	p, _, _ := strings.Cut(path, "?")
	for _, s := range []string{".pdf", ".ics", ".atom", "/attachments/", "/calendar/", "/api/", "/static/"} {
		if strings.Contains(p, s) {
			return true
		}
	}
	return p == "/logout"
}

// links are the page's own addresses, in the order they appear, without
// downloads.
func (b *browser) links() []string {
	b.t.Helper()
	return eval[[]string](b, `Array.from(document.querySelectorAll("a[href]:not([download])"))
  .map(function (a) { return new URL(a.getAttribute("href"), location.href); })
  .filter(function (u) { return u.origin === location.origin; })
  .map(function (u) { return u.pathname + u.search; })`)
}

// TestReflow visits every kind of page as the people who see them (nobody
// logged in, the secretary, the officer, a manager, the chair, the
// administrator), following the links from the start page and from the pages
// named below, and checks each at 320 CSS px and at 1280 px zoomed to 400 %:
// nothing scrolls sideways but data tables in their own focusable region,
// and every Kvittera button is wholly in view, also at 1280 px unzoomed.
func TestReflow(t *testing.T) {
	// Mail as a demo without SMTP has it: the reminders due are queued and
	// written as .eml files, so the outbox and the mail files have pages.
	ctx := context.Background()
	base, store, dir, composer := startMailService(t)
	if _, err := store.SendDueReminders(ctx, time.Now(), db.ScanOptions{Compose: composer}); err != nil {
		t.Fatal(err)
	}
	delivery, err := notify.NewFolderDelivery(store, dir, "Beslutsgång <beslut@kommun.example>")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := delivery.Drain(ctx); err != nil {
		t.Fatal(err)
	}

	// The pages of held meetings (attendance, justering) are reached from
	// their meeting only when it is the secretary's turn; name them outright.
	var held []string
	meetings, err := store.Meetings(ctx, db.MeetingFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range meetings {
		if m.Status.AtLeast(workflow.MeetingHeld) {
			held = append(held, fmt.Sprintf("/meetings/%d", m.ID), fmt.Sprintf("/meetings/%d/attendance", m.ID),
				fmt.Sprintf("/meetings/%d/justering", m.ID), fmt.Sprintf("/meetings/%d/protokoll", m.ID))
		}
		if len(held) >= 8 {
			break
		}
	}

	start := time.Now()
	seen := map[string]int{} // pages of each kind visited
	visited := map[string]bool{}
	kinds := map[string]bool{}
	kvittera := 0

	people := []struct {
		email string
		seeds []string
	}{
		{"", []string{"/login", "/tillganglighet", "/diarium"}},
		{"sekreterare@kommun.example", append([]string{"/", "/cases/ASN-2019-17886", "/cases", "/meetings", "/meetings/plan?body=ASN", "/deadlines", "/calendar", "/cases/new"}, held...)},
		{"handlaggare@kommun.example", []string{"/", "/deadlines", "/cases/new", "/cases/" + demo.DraftNumber}},
		{"chef@kommun.example", []string{"/"}},
		{"ordforande@kommun.example", append([]string{"/", "/meetings"}, held...)},
		{"admin@kommun.example", []string{"/admin/users", "/admin/users/new", "/admin/boards", "/admin/recurring",
			"/admin/outbox", "/admin/mail-files", "/admin/mail-gaps", "/admin/arkivleverans"}},
	}
	// Pages of one kind differ by what they hold: more cases and meetings are seen.
	perKind := map[string]int{"/cases/CASE": 5, "/meetings/N": 8}
	const otherKinds, maxPages = 2, 160
	for _, person := range people {
		who := person.email
		if who == "" {
			who = "nobody logged in"
		}
		b := newBrowser(t, base)
		if person.email != "" {
			b.open("/login")
			b.login(person.email, "demo", http.StatusOK)
		}
		queue := slices.Clone(person.seeds)
		mine := map[string]bool{}
		for len(queue) > 0 && len(visited) < maxPages {
			path := queue[0]
			queue = queue[1:]
			key := crawlKey(path)
			if mine[path] || skip(path) {
				continue
			}
			// Every person's own pages; other kinds of page up to perKind times in all.
			own := slices.Contains(person.seeds, path)
			limit, ok := perKind[key]
			if !ok {
				limit = otherKinds
			}
			if !own && (seen[key] >= limit || visited[who+" "+path]) {
				continue
			}
			mine[path] = true
			if st := b.open(path); st != http.StatusOK {
				continue
			}
			seen[key]++
			kinds[key] = true
			visited[who+" "+path] = true
			for _, v := range []viewport{narrow, zoomed} {
				l := b.at(v)
				l.check(t, who, path, v)
				kvittera += l.Kvittera
			}
			b.at(desktop).check(t, who, path, desktop)
			queue = append(queue, b.links()...)
		}
	}
	t.Logf("checked %d pages of %d kinds in %s: %v", len(visited), len(kinds), time.Since(start).Round(time.Second), slices.Sorted(maps.Keys(kinds)))
	if !slices.ContainsFunc(slices.Collect(maps.Keys(kinds)), func(k string) bool { return strings.HasPrefix(k, "/cases/CASE/actions/") }) {
		t.Error("the crawl never reached the form of a case action")
	}
	for _, want := range []string{"/", "/login", "/tillganglighet", "/diarium", "/diarium/CASE", "/cases", "/cases/CASE",
		"/cases/new", "/cases/CASE/edit", "/meetings", "/meetings/plan", "/meetings/N", "/meetings/N/protokoll", "/meetings/N/attendance", "/deadlines", "/calendar",
		"/admin/users", "/admin/users/N", "/admin/users/new", "/admin/boards", "/admin/recurring", "/admin/outbox",
		"/admin/outbox/N", "/admin/mail-files", "/admin/mail-files/FILE", "/admin/mail-gaps", "/admin/arkivleverans",
		"/anslagstavla", "/anslagstavla/arkiv", "/anslagstavla/ID"} {
		if !kinds[want] {
			t.Errorf("the crawl never reached a page %s", want)
		}
	}
	if kvittera == 0 {
		t.Error("no page showed a Kvittera button: the check of its visibility checked nothing")
	}
	if len(visited) >= maxPages {
		t.Errorf("the crawl stopped at %d pages; raise maxPages or visit fewer pages of a kind", maxPages)
	}
}
