package web_test

import (
	"context"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/workflow"
)

// nthWeekday is the n-th (from 0) weekday wd of month in year.
func nthWeekday(year int, month time.Month, wd time.Weekday, n int) workflow.Date {
	d := workflow.NewDate(year, month, 1)
	return d.AddDays((int(wd)-int(d.Weekday())+7)%7 + 7*n)
}

// textError is the list of a plan's problems beside its field.
var textError = regexp.MustCompile(`(?s)<ul class="field-error plan-problems" id="text-error">(.*?)</ul>`)

// The secretary pastes a year's plan on the plan page: every bad line is
// listed beside the field with its number, at once, and nothing is made; a
// weekend day asks for "Planera ändå"; confirmed, the meetings are made and
// the year's calendar marks their days with links to them.
func TestMeetingPlanPage(t *testing.T) {
	ms := newMeetingSite(t)
	y := time.Now().Year() + 2 // no demo meetings that year
	ys := fmt.Sprint(y)
	planPath := "/meetings/plan?body=ASN&year=" + ys
	sec := ms.Login("sekreterare@kommun.example")

	// The meetings list leads to each body's plan.
	if p := sec.Get("/meetings"); !strings.Contains(p.Body, `href="/meetings/plan?body=ASN"`) {
		t.Errorf("the meetings list does not link the plan:\n%s", p.Body)
	}
	p := sec.Get(planPath)
	if p.Status != 200 || !strings.Contains(p.Body, `<textarea id="text" name="text"`) {
		t.Fatalf("the plan page: %d\n%s", p.Status, p.Body)
	}
	for _, month := range []string{"Januari", "Juni", "December"} {
		if !strings.Contains(p.Body, "<caption>"+month+" "+ys) {
			t.Errorf("the calendar lacks %s %s", month, ys)
		}
	}
	if n := strings.Count(p.Body, `<table class="plan-month">`); n != 12 {
		t.Errorf("%d month tables, want 12", n)
	}
	if strings.Contains(p.Body, `class="plan-meeting`) || strings.Contains(p.Body, "Planera ändå") {
		t.Error("an empty year shows meetings or asks to confirm")
	}

	thu1, thu2 := nthWeekday(y, time.February, time.Thursday, 0), nthWeekday(y, time.February, time.Thursday, 2)
	sat := nthWeekday(y, time.March, time.Saturday, 0)
	good := fmt.Sprintf("# ASN %d\n%s 13:00 Stadshuset, sal Malmöhus\n%s 13.00–16.00 Stadshuset\n%s 10:00 Rådhuset\n", y, thu1, thu2, sat)
	before := ms.MeetingFingerprint()

	// Bad lines: each listed with its number beside the field, the text kept.
	bad := good + fmt.Sprintf("%d-02-30 13:00\nnästa torsdag\n%s 16:00–13:00\n", y, thu2.AddDays(7))
	p = sec.Post("/meetings/plan", url.Values{"body": {"ASN"}, "year": {ys}, "text": {bad}})
	if p.Status != 422 {
		t.Fatalf("a bad plan: %d\n%s", p.Status, p.Body)
	}
	m := textError.FindStringSubmatch(p.Body)
	if m == nil {
		t.Fatalf("no problems beside the field:\n%s", p.Body)
	}
	beside := html.UnescapeString(m[1])
	for _, want := range []string{
		fmt.Sprintf("Att bekräfta: </span>Rad 4: %s är en lördag", sat),
		fmt.Sprintf("Fel: </span>Rad 5: %d-02-30 finns inte", y),
		"Fel: </span>Rad 6: ”nästa” är inget datum",
		"Fel: </span>Rad 7: Sluttiden ska vara efter starttiden 16:00",
	} {
		if !strings.Contains(beside, want) {
			t.Errorf("beside the field, no %q:\n%s", want, beside)
		}
	}
	if !strings.Contains(p.Body, `aria-describedby="text-hint text-error" aria-invalid="true">`+html.EscapeString(bad)) {
		t.Errorf("the field does not keep the text and name its errors:\n%s", p.Body)
	}
	if !strings.Contains(p.Body, `class="error-summary"`) || !strings.Contains(p.Body, `<a href="#text">Rad 5:`) ||
		!strings.Contains(p.Body, `<a href="#confirm">Rad 4:`) {
		t.Errorf("the error summary does not link each line to its field:\n%s", p.Body)
	}
	if !strings.Contains(p.Body, `id="confirm" name="confirm" value="1" aria-describedby="confirm-hint">`) ||
		!strings.Contains(p.Body, "Datumet på rad 4 är ingen arbetsdag.") {
		t.Errorf("no unticked Planera ändå for the Saturday:\n%s", p.Body)
	}
	ms.UnchangedMeetings(before)

	// Good lines with the Saturday, not confirmed: only the warning.
	p = sec.Post("/meetings/plan", url.Values{"body": {"ASN"}, "year": {ys}, "text": {good}})
	m = textError.FindStringSubmatch(p.Body)
	if p.Status != 422 || m == nil || strings.Count(m[1], "<li>") != 1 || !strings.Contains(m[1], "Att bekräfta") ||
		!strings.Contains(p.Body, "Planera ändå") {
		t.Fatalf("the Saturday unconfirmed: %d\n%s", p.Status, p.Body)
	}
	ms.UnchangedMeetings(before)

	// Someone else may see the plan but not make one.
	officer := ms.Login("handlaggare@kommun.example")
	if p := officer.Get(planPath); p.Status != 200 || strings.Contains(p.Body, `<textarea`) ||
		!strings.Contains(p.Body, "Bara nämndsekreteraren för ASN kan planera") {
		t.Errorf("the officer's plan page: %d\n%s", p.Status, p.Body)
	}
	p = officer.Post("/meetings/plan", url.Values{"body": {"ASN"}, "year": {ys}, "text": {good}, "confirm": {"1"}})
	if p.Status != 403 || !strings.Contains(p.Body, "Bara nämndsekreteraren för ASN kan planera sammanträden för Arbetsmarknads- och socialnämnden") {
		t.Errorf("the officer plans: %d\n%s", p.Status, p.Body)
	}
	ms.UnchangedMeetings(before)

	// Confirmed: made, and the calendar marks each day with its link.
	p = sec.Post("/meetings/plan", url.Values{"body": {"ASN"}, "year": {ys}, "text": {good}, "confirm": {"1"}})
	if p.Status != 303 || p.Location != planPath+"&planned=3" {
		t.Fatalf("the plan confirmed: %d %q\n%s", p.Status, p.Location, p.Body)
	}
	p = sec.Get(p.Location)
	if !strings.Contains(p.Body, "3 sammanträden är planerade.") {
		t.Errorf("no notice:\n%s", p.Body)
	}
	made, err := ms.Store.Meetings(context.Background(), db.MeetingFilter{Body: "ASN", From: workflow.NewDate(y, 1, 1), To: workflow.NewDate(y, 12, 31)})
	if err != nil || len(made) != 3 {
		t.Fatalf("meetings of %d: %+v, %v", y, made, err)
	}
	cells := []string{
		fmt.Sprintf(`<td class="plan-meeting"><a href="/meetings/%d">%d<span class="visually-hidden"> februari: sammanträde kl. 13:00, Stadshuset, sal Malmöhus</span></a></td>`, made[0].ID, thu1.Day),
		fmt.Sprintf(`<td class="plan-meeting"><a href="/meetings/%d">%d<span class="visually-hidden"> februari: sammanträde kl. 13:00, Stadshuset</span></a></td>`, made[1].ID, thu2.Day),
		fmt.Sprintf(`<td class="plan-meeting plan-off"><a href="/meetings/%d">%d<span class="visually-hidden"> mars: sammanträde kl. 10:00, Rådhuset</span></a></td>`, made[2].ID, sat.Day),
	}
	for _, c := range cells {
		if !strings.Contains(p.Body, c) {
			t.Errorf("the calendar lacks %s", c)
		}
	}
	if n := strings.Count(p.Body, `class="plan-meeting`); n != 3 {
		t.Errorf("%d days marked, want 3", n)
	}
	julafton := fmt.Sprintf(`%d<span class="visually-hidden">, Julafton</span>`, 24)
	if !strings.Contains(p.Body, julafton) {
		t.Errorf("julafton is not named in the calendar")
	}
	if !strings.Contains(p.Body, fmt.Sprintf(`<a href="/meetings/%d">%s</a> lördag kl. 10:00, Rådhuset`, made[2].ID, sat)) {
		t.Errorf("the list of the year's meetings lacks the Saturday:\n%s", p.Body)
	}
}

// The case form refuses a route date on which the body has no meeting,
// beside the field, naming the body's planned days nearest it; before the
// form is saved (a row added) a hint says the same, and a date on a planned
// meeting gets neither. Nothing is saved.
func TestCaseFormRouteDateOffThePlan(t *testing.T) {
	ms := newMeetingSite(t)
	ctx := context.Background()
	today := workflow.Today(time.Now())
	board, err := ms.Store.Meetings(ctx, db.MeetingFilter{Body: "ASN", From: today})
	if err != nil || len(board) < 3 {
		t.Fatalf("the nämnd's coming meetings: %v, %v", board, err)
	}
	au, err := ms.Store.Meetings(ctx, db.MeetingFilter{Body: "ASN-AU", From: today})
	if err != nil || len(au) == 0 {
		t.Fatalf("the arbetsutskott's coming meetings: %v, %v", au, err)
	}
	// The day after the nämnd's first meeting after the arbetsutskott's.
	k := 0
	for k < len(board) && !board[k].Date.After(au[0].Date) {
		k++
	}
	if len(board) < k+3 {
		t.Fatalf("too few nämnd meetings after %s: %v", au[0].Date, board)
	}
	off := board[k].Date.AddDays(1)
	says := fmt.Sprintf(`Arbetsmarknads- och socialnämnden har inget sammanträde %s%s. Närmaste planerade: %s, %s och %s. `+
		`Välj ett av dem, eller välj nytt extra sammanträde den dagen.`, off, dayOffNote(off), board[k].Date, board[k+1].Date, board[k+2].Date)
	b := ms.Login("handlaggare@kommun.example")
	b.Get("/cases/new")
	form := url.Values{"board": {"ASN"}, "title": {""}, "proposals": {"Nämnden föreslås besluta att godkänna"},
		"route_body": {"ASN-AU", "ASN"}, "route_date": {au[0].Date.String(), off.String()}}
	before := ms.MeetingFingerprint()
	p := b.Post("/cases", form)
	if p.Status != 422 || strings.Count(p.Body, `<li><a href="#`) != 2 || !strings.Contains(p.Body, `<a href="#title">`) {
		t.Fatalf("the form without a title: %d\n%s", p.Status, p.Body)
	}
	if got := p.FieldError("route-1"); got != strings.TrimSuffix(says, ".") {
		t.Errorf("beside the date off the plan: %q, want %q", got, says)
	}
	if strings.Contains(p.Body, `id="route-1-plan"`) || p.FieldError("route-0") != "" || strings.Contains(p.Body, `id="route-0-plan"`) {
		t.Error("a hint repeats the error, or a date on a planned meeting has a message")
	}
	ms.UnchangedMeetings(before)

	// A row added: nothing is saved, and the hint says it before saving.
	form.Set("op", "add:recipients")
	p = b.Post("/cases", form)
	want := `<p class="hint" id="route-1-plan">` + html.EscapeString(says) +
		fmt.Sprintf(` <a href="/meetings/plan?body=ASN&amp;year=%d">Se sammanträdesplanen</a></p>`, off.Year)
	if p.Status != 200 || !strings.Contains(p.Body, want) {
		t.Errorf("no hint beside the date off the plan; want\n%s\nin\n%s", want, p.Body)
	}
	if !strings.Contains(p.Body, `aria-describedby="route-1-date-hint route-1-plan"`) {
		t.Errorf("the date field is not described by its hint: %s", regexp.MustCompile(`<input[^>]*id="route-1-date"[^>]*>`).FindString(p.Body))
	}
	if strings.Contains(p.Body, `id="route-0-plan"`) {
		t.Error("a date on a planned meeting has a hint")
	}
	ms.UnchangedMeetings(before)
}

// dayOffNote is how a refusal names a day off after its date: " (en lördag)".
func dayOffNote(d workflow.Date) string {
	if off := workflow.DayOff(d); off != "" {
		return " (" + off + ")"
	}
	return ""
}

// Ticked "Nytt extra sammanträde", a route date off the plan makes the
// meeting: the hint says so before saving, with a warning for a Saturday;
// the notice after saving names the meeting and warns; the meeting page, the
// listCases and the plan's calendar show it as an extra sammanträde.
func TestCaseFormExtraMeetingOnASaturday(t *testing.T) {
	ms := newMeetingSite(t)
	ctx := context.Background()
	today := workflow.Today(time.Now())
	au, err := ms.Store.Meetings(ctx, db.MeetingFilter{Body: "ASN-AU", From: today.AddDays(1)})
	if err != nil || len(au) == 0 {
		t.Fatalf("the arbetsutskott's coming meetings: %v, %v", au, err)
	}
	// A Saturday after the arbetsutskott on which the nämnd does not meet.
	sat := au[0].Date.AddDays((int(time.Saturday) - int(au[0].Date.Weekday()) + 7) % 7)
	if sat == au[0].Date {
		sat = sat.AddDays(7)
	}
	b := ms.Login("handlaggare@kommun.example")
	b.Get("/cases/new")
	form := url.Values{"board": {"ASN"}, "title": {"Riktlinjer för föreningsbidrag"}, "summary": {"Kort."},
		"proposals": {"Nämnden föreslås besluta att anta riktlinjerna"}, "route_body": {"ASN-AU", "ASN"},
		"route_date": {au[0].Date.String(), sat.String()}, "route_extra": {"1"},
		"approver_email": {"chef@kommun.example"}, "approver_position": {""},
		"recipient_name": {"Kommunstyrelsen"}, "recipient_email": {"ks@kommun.example"}, "op": {"add:recipients"}}
	p := b.Post("/cases", form)
	p.Has(t, `id="route-1-extra" name="route_extra" value="1" checked`,
		html.EscapeString("Sparas ärendet planeras ett nytt extra sammanträde med Arbetsmarknads- och socialnämnden den "+sat.String()+
			". Obs! Det är en lördag, som inte är en arbetsdag."))
	p.HasNot(t, `id="route-0-extra" name="route_extra" value="0" checked`)
	form.Set("op", "save")
	p = b.Post("/cases", form)
	if p.Status != 303 {
		t.Fatalf("saving: %d\n%s", p.Status, p.Body)
	}
	number := strings.TrimPrefix(p.Location, "/cases/")
	cs, err := ms.Store.Case(ctx, number)
	if err != nil || cs.Route[1].Date != sat || cs.Route[1].MeetingOrigin != workflow.OriginExtra || cs.Route[0].MeetingOrigin != workflow.OriginPlan {
		t.Fatalf("the case %q: %+v, %v", number, cs.Route, err)
	}
	notice := b.Get(p.Location)
	notice.Has(t, html.EscapeString("Ärendet är skapat som utkast. Ett nytt extra sammanträde är planerat: Arbetsmarknads- och socialnämnden "+
		sat.String()+". Obs! Det extra sammanträdet Arbetsmarknads- och socialnämnden "+sat.String()+
		" hålls en lördag, som inte är en arbetsdag; kontrollera att det ska vara så."))
	id := cs.Route[1].MeetingID
	b.Get(meetingURL(id)).Has(t, `<span class="badge">Extra sammanträde</span>`)
	b.Get("/meetings?body=ASN").Has(t, fmt.Sprintf(`<a href="/meetings/%d">%s</a></td>
        <td>Arbetsmarknads- och socialnämnden <span class="badge">Extra sammanträde</span></td>`, id, sat))
	plan := b.Get(fmt.Sprintf("/meetings/plan?body=ASN&year=%d", sat.Year))
	plan.Has(t, `plan-meeting plan-extra plan-off`, fmt.Sprintf(`<a href="/meetings/%d">%d<span class="visually-hidden">`, id, sat.Day),
		": extra sammanträde", "· extra sammanträde</li>")
	if n := strings.Count(plan.Body, "plan-extra"); n != 1 {
		t.Errorf("%d days marked extra in the plan, want 1", n)
	}
}
