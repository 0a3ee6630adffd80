package e2e

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// eval runs JavaScript in the page and returns its value.
func eval[T any](b *browser, js string) T {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		b.t.Fatalf("evaluating %s: %v", js, err)
	}
	return v
}

// waitFor waits until the JavaScript condition holds, for at most ten seconds.
func (b *browser) waitFor(what, js string) {
	b.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !eval[bool](b, js) {
		if time.Now().After(deadline) {
			b.t.Fatalf("waited in vain for %s (%s)", what, js)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// rowButton presses a row button of the case form, which app.js answers in
// place, and waits until the row's first input, id, has focus.
func (b *browser) rowButton(selector, id string) {
	b.t.Helper()
	b.click(selector)
	b.waitFor("focus on "+id, fmt.Sprintf(`document.activeElement && document.activeElement.id === %q`, id))
	b.checkProblems(selector)
}

// TestInvalidFieldsAreMarked: an invalid field has the error colour and a
// thicker border in every kind of input, select and textarea, and the type
// selectors of the stylesheet do not hide it; the case form marks its
// invalid fields so.
func TestInvalidFieldsAreMarked(t *testing.T) {
	base := startServer(t)
	b := newBrowser(t, base)
	b.open("/login")
	b.login("sekreterare@kommun.example", "demo", http.StatusOK)
	b.open("/cases/new")

	// Every kind of field, invalid and valid, in the page's own form layout.
	type look struct{ Color, Width, Outline, OkColor, OkWidth, OkOutline string }
	kinds := []string{"text", "email", "password", "number", "search", "date", "time", "url", "tel", "file", "checkbox", "select", "textarea"}
	for _, kind := range kinds {
		js := fmt.Sprintf(`(function () {
  function make(invalid) {
    var el = %[1]q === "select" || %[1]q === "textarea" ? document.createElement(%[1]q) : document.createElement("input");
    if (el.tagName === "INPUT") { el.type = %[1]q; }
    if (invalid) { el.setAttribute("aria-invalid", "true"); }
    var div = document.createElement("div"); div.className = "field"; div.appendChild(el);
    document.querySelector("main form").appendChild(div);
    return getComputedStyle(el);
  }
  var bad = make(true), ok = make(false);
  return {Color: bad.borderTopColor, Width: bad.borderTopWidth, Outline: bad.outlineColor + " " + bad.outlineStyle,
    OkColor: ok.borderTopColor, OkWidth: ok.borderTopWidth, OkOutline: ok.outlineColor + " " + ok.outlineStyle};
})()`, kind)
		got := eval[look](b, js)
		if kind == "checkbox" {
			if got.Outline != "rgb(179, 38, 30) solid" || got.OkOutline == got.Outline {
				t.Errorf("an invalid checkbox is not marked: outline %q (valid: %q)", got.Outline, got.OkOutline)
			}
			continue
		}
		if got.Color != "rgb(179, 38, 30)" || got.Width != "3px" || got.OkColor == got.Color {
			t.Errorf("an invalid %s is not marked: border %s %s (valid: %s %s)", kind, got.Color, got.Width, got.OkColor, got.OkWidth)
		}
	}

	// The case form as the server marks it.
	b.open("/cases/new")
	b.set("#recipients-0-email", "inte en adress")
	if st := b.submit(`.actions-row button[value=save]`); st != http.StatusUnprocessableEntity {
		t.Fatalf("an invalid case: %d", st)
	}
	for _, id := range []string{"board", "title", "recipients-0", "recipients-0-email"} {
		if c := eval[string](b, fmt.Sprintf(`getComputedStyle(document.getElementById(%q)).borderTopColor`, id)); c != "rgb(179, 38, 30)" {
			t.Errorf("#%s is invalid but its border is %s", id, c)
		}
	}
	if n := b.count("#recipients-0-error .field-error-line"); n != 2 {
		t.Errorf("the recipient's two messages are on %d lines of their own, want 2", n)
	}
	if top := eval[[]float64](b, `Array.from(document.querySelectorAll("#recipients-0-error .field-error-line")).map(function (e) { return e.getBoundingClientRect().top; })`); len(top) == 2 && top[1] <= top[0] {
		t.Errorf("the recipient's messages share a line: tops %v", top)
	}
}

// TestRowButtonsKeepPlaceAndFocus: adding and removing a row keeps the
// person where they were. Without JavaScript the form comes back at the row
// (its fragment) with the row's first field focused; with app.js the form is
// replaced in place: no new page, no jump, focus on the row, chosen files kept.
func TestRowButtonsKeepPlaceAndFocus(t *testing.T) {
	base := startServer(t)

	t.Run("without JavaScript", func(t *testing.T) {
		b := newBrowser(t, base)
		b.open("/login")
		b.login("handlaggare@kommun.example", "demo", http.StatusOK)
		ctx, cancel := b.step()
		if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
			t.Fatal(err)
		}
		cancel()
		b.open("/cases/new")
		b.set("#route-0", "ASN-AU")
		b.submit(`button[value="add:route"]`)
		if h := eval[string](b, `location.hash`); h != "#route-1" {
			t.Errorf("after adding a step the page is at %q, want #route-1", h)
		}
		b.waitFor("focus on the new step", `document.activeElement && document.activeElement.id === "route-1"`)
		if top := eval[float64](b, `document.getElementById("route-1").closest(".row").getBoundingClientRect().top`); top < 0 || top > 150 {
			t.Errorf("the new step is %.0f px from the top of the window, want its legend at the top", top)
		}
		// Added again without filling in the new step: that empty step is
		// dropped and added anew, and focus is on it, not on a step 3.
		b.submit(`button[value="add:route"]`)
		b.waitFor("focus on the new step", `document.activeElement && document.activeElement.id === "route-1"`)
		if b.count(`#route-2`) != 0 {
			t.Error("an empty step was kept")
		}
		b.submit(`button[value="remove:route:0"]`)
		if h := eval[string](b, `location.hash`); h != "#route-0" {
			t.Errorf("after removing step 1 the page is at %q, want #route-0", h)
		}
		b.waitFor("focus on the step that took its place", `document.activeElement && document.activeElement.id === "route-0"`)
		if b.count(`#route-1`) != 0 || b.value("#route-0") != "" {
			t.Errorf("removing step 1 left the wrong rows")
		}
	})

	t.Run("with app.js", func(t *testing.T) {
		b := newBrowser(t, base)
		b.open("/login")
		b.login("handlaggare@kommun.example", "demo", http.StatusOK)
		b.open("/cases/new")
		file := filepath.Join(t.TempDir(), "bilaga.txt")
		if err := os.WriteFile(file, []byte("bilaga\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		b.upload("#files", file)
		b.set("#route-0", "ASN-AU")
		b.set("#recipients-0", "Kommunstyrelsen")
		for _, list := range []string{"route", "recipients"} {
			if list == "recipients" {
				b.set("#route-1", "ASN") // an empty row would be dropped by the next row button
			}
			eval[bool](b, fmt.Sprintf(`document.querySelector('button[value="add:%s"]').scrollIntoView({block: "center"}); window.__samePage = true`, list))
			before := eval[float64](b, `window.scrollY`)
			b.click(fmt.Sprintf(`button[value="add:%s"]`, list))
			b.waitFor("the new row", fmt.Sprintf(`!!document.getElementById("%s-1")`, list))
			b.waitFor("focus on the new row", fmt.Sprintf(`document.activeElement && document.activeElement.id === "%s-1"`, list))
			if !eval[bool](b, `window.__samePage === true`) {
				t.Errorf("adding a %s row loaded a new page", list)
			}
			if after := eval[float64](b, `window.scrollY`); after != before {
				t.Errorf("adding a %s row moved the page from %.0f to %.0f", list, before, after)
			}
		}
		if n := eval[int](b, `document.getElementById("files").files.length`); n != 1 {
			t.Errorf("the chosen file is gone after the row buttons: %d files", n)
		}
		if b.value("#route-0") != "ASN-AU" || b.value("#recipients-0") != "Kommunstyrelsen" {
			t.Error("the rows lost what was entered")
		}

		// Removing the first step puts focus on the one that takes its place.
		before := eval[float64](b, `document.querySelector('button[value="remove:route:0"]').scrollIntoView({block: "center"}); window.scrollY`)
		b.click(`button[value="remove:route:0"]`)
		b.waitFor("the step removed", `!document.getElementById("route-1")`)
		b.waitFor("focus on the step after it", `document.activeElement && document.activeElement.id === "route-0"`)
		if v := b.value("#route-0"); v != "ASN" {
			t.Errorf("step 1 is now %q, want the former step 2 (ASN)", v)
		}
		if after := eval[float64](b, `window.scrollY`); after != before {
			t.Errorf("removing a step moved the page from %.0f to %.0f", before, after)
		}
		if !eval[bool](b, `window.__samePage === true`) {
			t.Error("removing a row loaded a new page")
		}
		b.checkProblems("row buttons")

		// The form still saves, with the file chosen before the row buttons.
		b.set("#board", "ASN")
		b.set("#title", "Rader "+strings.Repeat("x", 3))
		b.set("#proposals-0", "Nämnden föreslås besluta att godkänna")
		b.set("#approvers-0", "chef@kommun.example")
		if st := b.submit(`.actions-row button[value=save]`); st != http.StatusOK {
			t.Fatalf("saving after the row buttons: %d\n%s", st, b.text("main"))
		}
		b.expect("main", "Ärendet är skapat", "bilaga.txt", "Kommunstyrelsen")
	})
}
