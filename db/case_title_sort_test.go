package db

import (
	"slices"
	"testing"

	"github.com/kommun/beslutsgang/workflow"
)

// The title sort is Swedish alphabetical order: å, ä and ö after z in that
// order, whatever their case, æ as ä, ø as ö, ü as y and é as e. It was
// byte order under NOCASE: Ä before Å, and every lower-case å, ä and ö after
// every capital ("Översyn" before "ärende"). A secret title still places
// its case only for those it involves; others see it at the withheld text.
// The same order with a text query, sorted by title.
func TestTitleSortIsSwedish(t *testing.T) {
	f := newSearchFixture(t)
	titles := []string{"Översyn av taxor", "ärende om bidrag", "Åtgärdsplan", "Zonplan", "avgift", "Ängsö", "Æble",
		"Øresund", "Émile", "Über"}
	number := map[string]string{}
	for _, title := range titles {
		number[title] = f.create(t, title, func(in *CaseInput) { in.Summary = "taxa" })
	}
	secret := f.create(t, "Ärende med skyddad identitet", func(in *CaseInput) { in.Secret, in.Summary = true, "taxa" })
	want := func(order ...string) []string {
		var out []string
		for _, title := range order {
			if title == "secret" {
				out = append(out, secret)
				continue
			}
			out = append(out, number[title])
		}
		return out
	}
	swedish := []string{"avgift", "Émile", "Über", "Zonplan", "Åtgärdsplan", "Æble", "Ängsö", "secret", "ärende om bidrag", "Øresund", "Översyn av taxor"}
	// For an outsider the secret case sorts at "Uppgiften omfattas av sekretess".
	outside := []string{"avgift", "Émile", "secret", "Über", "Zonplan", "Åtgärdsplan", "Æble", "Ängsö", "ärende om bidrag", "Øresund", "Översyn av taxor"}
	for _, c := range []struct {
		name   string
		viewer *workflow.User
		want   []string
	}{
		{"its officer", &f.p.officer, want(swedish...)},
		{"an outsider", &f.p.outsider, want(outside...)},
	} {
		for _, query := range []string{"", "taxa"} {
			for _, desc := range []bool{false, true} {
				page, err := f.s.Cases(f.ctx, CaseFilter{Viewer: c.viewer, Query: query, Sort: "title", Desc: desc, PerPage: MaxPerPage})
				if err != nil {
					t.Fatal(err)
				}
				w := slices.Clone(c.want)
				if query != "" && c.viewer == &f.p.outsider {
					// A withheld summary finds nothing for an outsider.
					w = slices.DeleteFunc(w, func(n string) bool { return n == secret })
				}
				if desc {
					slices.Reverse(w)
				}
				if got := numbersOf(page); !slices.Equal(got, w) {
					t.Errorf("%s, query %q, desc %v:\n got %q\nwant %q", c.name, query, desc, got, w)
				}
			}
		}
	}
	// Page by page through the cursor, as the API reads it.
	var got []string
	f2 := CaseFilter{Viewer: &f.p.outsider, Sort: "title", PerPage: 3}
	for range 10 {
		page, err := f.s.Cases(f.ctx, f2)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, numbersOf(page)...)
		if page.Next == nil {
			break
		}
		f2.Cursor = page.Next
	}
	if w := want(outside...); !slices.Equal(got, w) {
		t.Errorf("by cursor:\n got %q\nwant %q", got, w)
	}
}
