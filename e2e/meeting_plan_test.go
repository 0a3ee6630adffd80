package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/kommun/beslutsgang/workflow"
)

// TestMeetingPlanInABrowser pastes a sammanträdesplan as the secretary does:
// the errors beside the field, "Planera ändå" for a Saturday, then the year's
// calendar with the meetings marked, and the case form's refusal of a route
// date off the plan. Each state is checked with axe-core, and at 320 CSS pixels
// the twelve months fit without a sideways scroll.
func TestMeetingPlanInABrowser(t *testing.T) {
	axe := axeSource(t)
	b := newBrowser(t, startServer(t))
	y := time.Now().Year() + 2 // a year without demo meetings
	first := workflow.NewDate(y, time.February, 1)
	thu := first.AddDays((int(time.Thursday) - int(first.Weekday()) + 7) % 7)
	sat := thu.AddDays(2)
	good := fmt.Sprintf("%s 13:00 Stadshuset, sal Malmöhus\n%s 10:00 Rådhuset\n%s 13.00–16.00\n", thu, sat, thu.AddDays(14))

	b.open("/login")
	b.login("sekreterare@kommun.example", "demo", http.StatusOK)
	b.open(fmt.Sprintf("/meetings/plan?body=ASN&year=%d", y))
	b.expect("h1", fmt.Sprintf("Sammanträdesplan %d", y))
	b.checkAccessibility(axe, "sammanträdesplan")
	b.planFits(320, "sammanträdesplan")

	b.set("#text", good+fmt.Sprintf("%d-02-30 13:00\n", y))
	if st := b.submit(`form[method="post"][action="/meetings/plan"] button[type=submit]`); st != http.StatusUnprocessableEntity {
		t.Fatalf("a bad plan: %d", st)
	}
	b.expect("#text-error", fmt.Sprintf("Rad 2: %s är en lördag", sat), fmt.Sprintf("Rad 4: %d-02-30 finns inte", y))
	b.expect(".error-summary", "Rad 2:", "Rad 4:")
	b.checkAccessibility(axe, "sammanträdesplan with errors")
	b.planFits(320, "sammanträdesplan with errors")
	b.screenshot("meeting-plan-errors")

	b.set("#text", good)
	b.click("#confirm")
	if st := b.submit(`form[method="post"][action="/meetings/plan"] button[type=submit]`); st != http.StatusOK {
		t.Fatalf("the plan confirmed: %d", st)
	}
	b.expect("main", "3 sammanträden är planerade")
	if n := b.count("td.plan-meeting a[href^='/meetings/']"); n != 3 {
		t.Errorf("%d days marked, want 3", n)
	}
	b.checkAccessibility(axe, "sammanträdesplan with meetings")
	b.planFits(320, "sammanträdesplan with meetings")
	b.screenshot("meeting-plan")

	// The case form refuses a route date the plan does not have, naming the nearest.
	b.open("/cases/new")
	b.set("#route-0", "ASN")
	b.set("#route-0-date", thu.AddDays(1).String())
	if st := b.submit(`.actions-row button[value=save]`); st != http.StatusUnprocessableEntity {
		t.Fatalf("the unfinished case form: %d", st)
	}
	b.expect("#route-0-error", "har inget sammanträde "+thu.AddDays(1).String(), "Närmaste planerade: "+thu.String())
	b.checkAccessibility(axe, "case form with a date off the plan")
	b.planFits(320, "case form with a date off the plan")
}

type planLayout struct {
	ScrollWidth, ClientWidth int
	Beyond                   []string
}

// planFits shows the page width CSS pixels wide, fails the test if the page
// scrolls sideways or a month reaches beyond the window, and saves a screenshot.
func (b *browser) planFits(width int64, page string) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 800)); err != nil {
		b.t.Fatalf("viewport %d: %v", width, err)
	}
	defer chromedp.Do(ctx, chromedp.EmulateViewport(1280, 1000))
	js := `(function () {
  var doc = document.documentElement, beyond = [];
  document.querySelectorAll(".plan-month, textarea, form, .plan-list").forEach(function (el) {
    var r = el.getBoundingClientRect();
    if (r.right > doc.clientWidth + 1 || r.left < -1) beyond.push((el.querySelector("caption") || el).textContent.trim().slice(0, 20) + " " + Math.round(r.left) + "–" + Math.round(r.right));
  });
  return {ScrollWidth: doc.scrollWidth, ClientWidth: doc.clientWidth, Beyond: beyond};
})()`
	out, err := chromedp.Run(ctx, chromedp.Evaluate[planLayout](js))
	if err != nil {
		b.t.Fatalf("measuring %s: %v", page, err)
	}
	if out.ScrollWidth > out.ClientWidth {
		b.t.Errorf("%s at %d px scrolls sideways: %d wide in %d", page, width, out.ScrollWidth, out.ClientWidth)
	}
	if len(out.Beyond) > 0 {
		b.t.Errorf("%s at %d px: beyond the window: %s", page, width, strings.Join(out.Beyond, "; "))
	}
	b.screenshot(fmt.Sprintf("%s-%dpx", strings.ReplaceAll(page, " ", "-"), width))
}
