package e2e

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/workflow"
)

// xss is typed into title, summary and reason: it must come back as text.
const xss = "<script>alert(1)</script>"

// TestCaseThroughEveryStage walks one case through the whole process in a real
// browser, as the people who handle it: the officer writes and submits it, the
// manager approves it, the secretary moves it to a later arbetsutskott before
// the kallelse, and each body's meeting handles it (presidium, arbetsutskott,
// the nämnd's decision with its §, justering by the chair and a ledamot); the
// secretary dispatches it to kommunstyrelsen and closes it. The clock moves
// from meeting to meeting. Every main page is checked with axe-core against
// WCAG 2.1 A and AA, and saved as a screenshot.
func TestCaseThroughEveryStage(t *testing.T) {
	axe := axeSource(t)
	ms := startMeetingServer(t)
	base := ms.base
	b := newBrowser(t, base)

	today := workflow.Today(time.Now())
	day := func(n int) string { return workflow.NextWorkday(today.AddDays(n)).String() }
	presidium, committee, board := day(64), day(71), day(85)
	postponedTo := day(78)
	title := "Riktlinjer för föreningsbidrag " + xss

	// A visitor is sent to the login page, which keeps where they were going.
	if st := b.open("/cases"); st != http.StatusOK {
		t.Fatalf("GET /cases when logged out: %d", st)
	}
	b.expect("h1", "Logga in")
	b.checkAccessibility(axe, "login")
	b.screenshot("login")

	b.login("fel@kommun.example", "fel", http.StatusUnauthorized)
	b.expect("[role=alert]", "Fel e-postadress eller lösenord")
	if got := b.value("#email"); got != "fel@kommun.example" {
		t.Errorf("the e-mail was not kept after a failed login: %q", got)
	}

	// The secretary has planned the bodies' meetings: a sammanträdesplan
	// pasted per body, one meeting a line.
	b.login("sekreterare@kommun.example", "demo", http.StatusOK)
	for body, dates := range map[string][]string{"ASN-PB": {presidium}, "ASN-AU": {committee, postponedTo}, "ASN": {board}} {
		b.open("/meetings/plan?body=" + body + "&year=" + presidium[:4])
		var lines string
		for _, d := range dates {
			lines += d + " 13:00 Stadshuset\n"
		}
		b.set("#text", lines)
		if st := b.submit(`form[method="post"][action="/meetings/plan"] button[type=submit]`); st != http.StatusOK {
			t.Fatalf("planning %s: %d", body, st)
		}
		b.expect("main", "är planera") // "1 sammanträde är planerat", "2 … är planerade"
	}
	b.logout()

	// The officer writes the case.
	b.open("/cases")
	b.login("handlaggare@kommun.example", "demo", http.StatusOK)
	b.expect("h1", "Ärenden") // back where the visitor was going
	b.submit(`a[href="/"]`)
	b.expect("main", "Mina ärenden", "Väntar på mig", "Alla öppna ärenden per steg", "Utkast")
	if b.count(`svg[role=img] desc`) != 1 {
		t.Error("the start page has no stage chart with a text alternative")
	}
	b.checkAccessibility(axe, "start page")
	b.screenshot("start-officer")

	b.submit(`a[href="/cases/new"]`)
	b.expect("h1", "Nytt ärende")
	b.checkAccessibility(axe, "new case form")
	b.screenshot("new-case-form")

	// A first try without a title comes back with the message beside the
	// field, and what was typed is still there.
	b.set("#board", "ASN")
	b.set("#summary", "Sammanfattning med "+xss)
	if st := b.submit(`.actions-row button[value=save]`); st != http.StatusUnprocessableEntity {
		t.Errorf("a case without title: status %d, want 422", st)
	}
	b.expect(".error-summary", "Ange en rubrik")
	b.expect(".field.has-error", "Ange en rubrik")
	if got := b.value("#summary"); got != "Sammanfattning med "+xss {
		t.Errorf("the summary was not kept: %q", got)
	}
	b.checkAccessibility(axe, "new case form with errors")
	b.screenshot("new-case-form-errors")

	b.set("#title", title)
	b.set("#proposals-0", "Nämnden föreslås besluta att anta riktlinjerna")
	b.rowButton(`button[value="add:proposals"]`, "proposals-1") // app.js answers a row button in place
	if got := b.value("#title"); got != title {
		t.Errorf("adding a row lost the title: %q", got)
	}
	b.set("#proposals-1", "Riktlinjerna gäller från 1 januari")
	for i, step := range [][2]string{{"ASN-PB", presidium}, {"ASN-AU", committee}, {"ASN", board}, {"KS", ""}} {
		if i > 0 {
			b.rowButton(`button[value="add:route"]`, "route-"+string(rune('0'+i)))
		}
		n := string(rune('0' + i))
		b.set("#route-"+n, step[0])
		if step[1] != "" {
			b.set("#route-"+n+"-date", step[1])
		}
	}
	b.set("#approvers-0", "chef@kommun.example")
	b.set("#recipients-0", "Kommunstyrelsen")
	b.set("#recipients-0-email", "kommunstyrelsen@kommun.example")
	b.set("#background", "Bakgrund till ärendet.\n\n- första punkten\n- andra punkten")
	attachment := filepath.Join(t.TempDir(), "Bilaga 1 riktlinjer.txt")
	if err := os.WriteFile(attachment, []byte("Riktlinjer för föreningsbidrag\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	b.upload("#files", attachment)
	if st := b.submit(`.actions-row button[value=save]`); st != http.StatusOK {
		t.Fatalf("creating the case: status %d", st)
	}
	b.expect("[role=status]", "Ärendet är skapat")
	b.expect("h1", title)
	number := strings.TrimSpace(b.text(".case-number"))
	if !workflow.NumberPattern.MatchString(number) || !strings.HasPrefix(number, "ASN-") {
		t.Fatalf("the new case has no case number: %q", number)
	}
	b.expect("main", "Steg: Utkast", "Sammanfattning med "+xss, "Nämnden föreslås besluta att anta riktlinjerna",
		"Bilaga 1 riktlinjer.txt", "ASN presidieberedning", presidium, "Kommunstyrelsen", "datum ej bestämt",
		"första punkten", "Lena Holm", "Ej godkänt")
	if b.count(".proposals li") != 2 || b.count(".timeline li.planned") != 4 || b.count(".document ul li") < 2 {
		t.Error("the case page does not lay out proposals, route and list as the document does")
	}
	b.checkAccessibility(axe, "case page (draft)")
	b.screenshot("case-draft")

	if st := b.submit(`form[action$="/actions/submit"] button`); st != http.StatusOK {
		t.Fatalf("submitting: status %d", st)
	}
	b.expect("main", "Steg: För godkännande", "Väntar på godkännande", "Inlämnat för godkännande")
	b.refuse(".panel", "Lämna in")
	b.logout()

	// The manager approves.
	b.login("chef@kommun.example", "demo", http.StatusOK)
	b.expect("main", number, "Godkänn")
	b.screenshot("start-manager")
	b.open("/cases/" + number)
	if st := b.submit(`form[action$="/actions/approve"] button`); st != http.StatusOK {
		t.Fatalf("approving: status %d", st)
	}
	b.expect("main", "Steg: Presidieberedning", "Godkänt ")
	b.expect(".timeline li.current", "ASN presidieberedning", presidium, "Pågår")
	b.logout()

	// The secretary finds it in the list and takes it through the stages.
	b.login("sekreterare@kommun.example", "demo", http.StatusOK)
	b.submit(`a[href="/cases"]`)
	b.set("#stage", "presidium")
	b.submit(`form.filters button`)
	b.expect("table", number, "Presidieberedning")
	b.refuse("table", "Avgifter inom hemtjänsten") // a case at another stage
	b.checkAccessibility(axe, "case list")
	b.screenshot("case-list")
	b.submit(`a[href="/cases/` + number + `"]`)

	// At a body that meets, the case waits for the meeting: no button moves it.
	b.refuse(".panel", "Flytta till nästa steg")
	meeting := func(step int) string {
		t.Helper()
		c, err := ms.store.Case(context.Background(), number)
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf("/meetings/%d", c.Route[step].MeetingID)
	}
	// hold sends the kallelse, moves the clock to the meeting's evening and
	// records the case there with the text the form starts from.
	hold := func(step int, date string, judges, late bool) string {
		t.Helper()
		path := meeting(step)
		if late { // the day before the meeting: past the kallelse's last day
			ms.at(workflow.MustDate(date).AddDays(-1).At(9, 0))
			b.open("/login?next=" + path)
			b.login("sekreterare@kommun.example", "demo", http.StatusOK)
		}
		b.open(path)
		if st := b.submit(`form[action="` + path + `/notice"] button`); st != http.StatusOK {
			t.Fatalf("kallelse to %s: %d", path, st)
		}
		if late {
			b.expect("main", "För sent: sista dag var")
		}
		ms.at(workflow.MustDate(date).At(19, 0))
		b.open("/login?next=" + path)
		b.login("sekreterare@kommun.example", "demo", http.StatusOK)
		if st := b.submit(`form[action="` + path + `/held"] button`); st != http.StatusOK {
			t.Fatalf("held %s: %d", path, st)
		}
		if judges {
			b.submit(`a[href="` + path + `/attendance"]`)
			b.markJusterare(ms)
			b.submit(`main form button[type=submit]`)
		}
		b.submit(`a[href="` + path + `/decisions/` + number + `"]`)
		b.refuse("#text", "föreslås") // the proposals, as the body's decision
		b.submit(`main form button[type=submit]`)
		b.expect("[role=status]", number+" är registrerad") // with its §, or at the presidium without one
		return path
	}
	hold(0, presidium, false, false)
	b.open("/cases/" + number)
	b.expect(".badge.stage", "Arbetsutskott")
	b.expect(".timeline li.done", "ASN presidieberedning", "Klart")

	// Before the arbetsutskott's kallelse the secretary moves it to a later meeting.
	b.submit(`a[href$="/actions/postpone"]`)
	b.expect("h1", "Bordlägg")
	b.checkAccessibility(axe, "postpone form")
	b.set("#date", committee) // not later than the current date
	if st := b.submit(`main form button[type=submit]`); st != http.StatusUnprocessableEntity {
		t.Errorf("postponing to the same date: status %d, want 422", st)
	}
	b.expect(".error-summary", "senare än "+committee)
	b.set("#date", postponedTo)
	b.set("#reason", "Utskottet vill höra föreningarna "+xss)
	b.submit(`main form button[type=submit]`)
	b.expect(".timeline li.current", "ASN arbetsutskott", postponedTo, "Bordlagt", committee)
	b.expect("table", "Bordlagt", "Utskottet vill höra föreningarna "+xss)
	b.screenshot("case-postponed")

	hold(1, postponedTo, false, true) // a late kallelse, registered and marked
	b.open("/cases/" + number)
	b.expect(".badge.stage", "Nämnd")
	b.refuse(".panel", "Registrera beslut") // the nämnd decides at its meeting

	// The nämnd decides at its meeting; the chair and a ledamot justerar.
	path := hold(2, board, true, false)
	b.logout()
	ms.at(workflow.MustDate(board).AddDays(1).At(10, 0))
	for _, who := range []string{"ordforande@kommun.example", "ledamot@kommun.example"} {
		b.open("/login?next=" + path + "/justering")
		b.login(who, "demo", http.StatusOK)
		b.set("#password", "demo")
		b.submit(`main form button[type=submit]`)
		b.expect("[role=status]", "Din justering är registrerad")
		b.logout()
	}
	b.open("/login?next=/cases/" + number)
	b.login("sekreterare@kommun.example", "demo", http.StatusOK)
	b.expect("main", "Beslut", "Bifall enligt förslaget", "beslutar att anta riktlinjerna", "Inte ännu")
	b.submit(`form[action$="/actions/dispatch"] button`)
	b.expect(".badge.stage", "Kommunstyrelsen")
	b.submit(`form[action$="/actions/close"] button`)
	b.expect(".badge.stage", "Avslutat")
	if n := b.count(".timeline li.done"); n != 4 {
		t.Errorf("a closed case shows %d steps done, want 4", n)
	}
	b.expect("table", "Skapat", "Inlämnat för godkännande", "Godkänt", "Flyttat till nästa steg", "Bordlagt",
		"Beslutat", "Expedierat", "Avslutat", "Erik Nyström", "Lena Holm", "Sara Lindqvist")
	b.expect(".panel", "Du har inga åtgärder")
	b.checkAccessibility(axe, "case page (closed)")
	b.screenshot("case-closed")

	// The seed case reads like its tjänsteskrivelse, with what its meetings of 2020 did.
	b.open("/cases/ASN-2019-17886")
	b.expect("main", "Internationell redovisning 2019", "Sammanfattning", "Förslag till beslut", "Beslutsunderlag",
		"Beslutsplanering", "Beslutet skickas till", "Ärendet", "Ansvariga",
		"Jonas Magnusson, Enhetschef", "Katarina Lindeberg, Avdelningschef", "Britt-Marie Pettersson, Förvaltningschef",
		"2020-01-08", "2020-01-16", "2020-01-30", "datum ej bestämt", "Utbetalda EU-medel 2019", "Hela familjen", "1 680 158 SEK",
		"Bifall enligt förslaget (§ 1)", "Justerat", "Anslaget", "2020-01-31", "Laga kraft")
	b.expect(".badge.stage", "Avslutat")
	if b.count(".document h3") < 4 || b.count("table.text-table") != 1 || b.count("table.text-table tfoot") != 1 {
		t.Error("the seed case's sub-headings or EU-funds table are not laid out")
	}
	b.checkAccessibility(axe, "seed case page")
	b.screenshot("case-seed")
	b.logout()

	// The administrator's pages.
	b.login("admin@kommun.example", "demo", http.StatusOK)
	b.submit(`a[href="/admin/users"]`)
	b.expect("table", "Sara Lindqvist", "Handläggare (ASN)")
	b.checkAccessibility(axe, "admin users")
	b.screenshot("admin-users")
	b.submit(`a[href="/admin/users/new"]`)
	b.set("#email", "ny.handlaggare@kommun.example")
	b.set("#name", "Nils Nyberg")
	b.set("#password", "kort")
	if st := b.submit(`main form button[type=submit]`); st != http.StatusUnprocessableEntity {
		t.Errorf("a too short password: status %d, want 422", st)
	}
	b.expect(".error-summary", "minst 10 tecken")
	b.checkAccessibility(axe, "new user form with errors")
	b.set("#password", "ett långt lösenord")
	b.click(`#grant-ASN-officer`)
	b.submit(`main form button[type=submit]`)
	b.expect("table", "Nils Nyberg", "ny.handlaggare@kommun.example")
	b.submit(`a[href="/admin/boards"]`)
	b.expect("main", "Arbetsmarknads- och socialnämnden", "ASN-AU")
	b.checkAccessibility(axe, "admin boards")
	b.screenshot("admin-boards")
	b.logout()
}

// login fills in the login form and expects the status of the page it leads to.
func (b *browser) login(email, password string, want int64) {
	b.t.Helper()
	if !strings.Contains(b.text("h1"), "Logga in") {
		b.open("/login")
	}
	b.set("#email", email)
	b.set("#password", password)
	if st := b.submit(`main form button[type=submit]`); st != want {
		b.t.Fatalf("login as %s: status %d, want %d", email, st, want)
	}
}

// logout presses the header's logout button.
func (b *browser) logout() {
	b.t.Helper()
	b.submit(`.user form button`)
	b.expect("[role=status]", "Du är utloggad")
}
