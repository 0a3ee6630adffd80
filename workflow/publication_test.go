package workflow

import (
	"strings"
	"testing"
)

func publicationMinutes() Minutes {
	return Minutes{
		Meeting: Meeting{Body: Body{Code: "ASN", Name: "Arbetsmarknads- och socialnämnden", Kind: KindBoard, Board: "ASN"},
			Secretary: Person{Name: "Sara Sekreterare"}},
		Attendees: []Attendee{{Member: Member{Name: "Anna Ek", Role: MemberChair, Email: "anna@example.se"}, Present: true}},
		Paragraphs: []Paragraph{
			{Number: 3, CaseNumber: "ASN-2026-1", CaseTitle: "Bidrag till Anna Eks förening", Text: "Beslut om ANNA  EK.", Type: DecisionApproved},
			{Number: 4, CaseNumber: "ASN-2026-2", CaseTitle: "Yttrande om enskild", Text: "Hemligt", Secret: true, Type: DecisionApproved},
			{Number: 5, CaseNumber: "ASN-2026-3", CaseTitle: "Lokalfrågor", Text: "Text", Type: DecisionApproved, Proposals: []string{"x"}},
		},
	}
}

func TestParseRedaction(t *testing.T) {
	min := publicationMinutes()
	r, err := ParseRedaction(min, []string{"5", "§ 5", ""}, "Anna Ek\r\n\r\n anna   ek \nEk\n")
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Withheld) != 1 || r.Withheld[0] != 5 || strings.Join(r.Names, "|") != "Anna Ek|Ek" {
		t.Errorf("redaction: %+v", r)
	}
	for _, tt := range []struct {
		withheld []string
		names    string
		field    string
		msg      string
	}{
		{[]string{"7"}, "", "withheld", "ingen paragraf ”7”"},
		{[]string{"tre"}, "", "withheld", "ingen paragraf ”tre”"},
		{nil, "Anna\tEk", "names", "Rad 1: namnet innehåller ett styrtecken"},
		{nil, "ok namn\nA\x01", "names", "Rad 2: namnet innehåller styrtecknet U+0001"},
		{nil, "A", "names", "för kort"},
		{nil, strings.Repeat("x", 201), "names", "högst 200 tecken"},
	} {
		_, err := ParseRedaction(min, tt.withheld, tt.names)
		we, ok := err.(*Error)
		if !ok || len(we.Fields) == 0 || we.Fields[0].Field != tt.field || !strings.Contains(we.Fields[0].Message, tt.msg) {
			t.Errorf("%q %q: %v", tt.withheld, tt.names, err)
		}
	}
}

func TestPublish(t *testing.T) {
	pm := Publish(publicationMinutes(), Redaction{Withheld: []int{5}, Names: []string{"Ek", "Anna Ek"}})
	p := pm.Paragraphs
	if !p[0].Shown || p[0].CaseTitle != "Bidrag till [namn borttaget]s förening" || p[0].Text != "Beslut om [namn borttaget]." {
		t.Errorf("a shown paragraph: %+v", p[0])
	}
	if p[1].Shown || p[1].CaseTitle != SecretParagraphText || p[1].Text != "" || p[1].Type != "" || p[1].CaseNumber != "ASN-2026-2" {
		t.Errorf("a secret paragraph: %+v", p[1])
	}
	if p[2].Shown || !p[2].Withheld || p[2].CaseTitle != NotOnWebText || p[2].Text != "" || p[2].Proposals != nil {
		t.Errorf("a withheld paragraph: %+v", p[2])
	}
	if a := pm.Minutes.Attendees[0].Member; a.Name != NameRemovedText || a.Email != "" {
		t.Errorf("an attendee: %+v", a)
	}
	if !strings.HasPrefix(PublicPath(pm.Minutes.Meeting), "/protokoll/ASN/") {
		t.Errorf("path %s", PublicPath(pm.Minutes.Meeting))
	}
}

func TestCanPublish(t *testing.T) {
	sec := User{ID: 1, Active: true, Grants: []Grant{{Board: "ASN", Role: RoleSecretary}}}
	other := User{ID: 2, Active: true, Grants: []Grant{{Board: "ASN", Role: RoleOfficer}}}
	m := Meeting{Body: Body{Code: "ASN", Kind: KindBoard, Board: "ASN"}, Status: MeetingHeld}
	if err := CanRedact(m, sec); err != nil {
		t.Errorf("redact a held meeting: %v", err)
	}
	if err := CanPublish(m, sec); ErrorCode(err) != ECONFLICT {
		t.Errorf("publish a held meeting: %v", err)
	}
	m.Status = MeetingPosted
	if err := CanPublish(m, sec); err != nil {
		t.Errorf("publish a posted meeting: %v", err)
	}
	if err := CanPublish(m, other); ErrorCode(err) != EFORBIDDEN {
		t.Errorf("an officer publishes: %v", err)
	}
	m.Body.Kind = KindPresidium
	if err := CanRedact(m, sec); ErrorCode(err) != ECONFLICT {
		t.Errorf("the presidium: %v", err)
	}
}

// The public view of a protokoll: nothing of a decision before publication,
// then as the secretary chose, the same for every surface.
func TestProtokollView(t *testing.T) {
	p := Paragraph{Number: 4, CaseTitle: "Bidrag till Anna Ek", Type: DecisionApproved, Text: "Nämnden beviljar anna  ek bidrag."}
	for _, tt := range []struct {
		name        string
		view        ProtokollView
		par         Paragraph
		shown       bool
		notice      string
		title, text string
	}{
		{"not published", ProtokollView{}, p, false, NotPublishedText, NotPublishedText, ""},
		{"published", PublishedView(Redaction{Names: []string{"Anna Ek"}}), p, true, "",
			"Bidrag till " + NameRemovedText, "Nämnden beviljar " + NameRemovedText + " bidrag."},
		{"withheld", PublishedView(Redaction{Withheld: []int{4}}), p, false, NotOnWebText, NotOnWebText, ""},
		{"another withheld", PublishedView(Redaction{Withheld: []int{5}}), p, true, "", p.CaseTitle, p.Text},
		{"secret", PublishedView(Redaction{}), Paragraph{Number: 4, Secret: true, CaseTitle: "Hemlig", Text: "Hemlig text"}, false,
			SecretParagraphText, SecretParagraphText, ""},
	} {
		got := tt.view.Paragraph(tt.par)
		if got.Shown != tt.shown || got.Notice != tt.notice || got.CaseTitle != tt.title || got.Text != tt.text ||
			(!tt.shown && got.Type != "") || got.Proposals != nil {
			t.Errorf("%s: %+v", tt.name, got)
		}
	}
	v := PublishedView(Redaction{Names: []string{"Anna Ek"}})
	if !v.Removes("Anna Ek") || !v.Removes("ANNA EK") || v.Removes("Bo Ström") || (ProtokollView{}).Removes("Anna Ek") {
		t.Error("Removes")
	}
}

// TestNameScrubberUnicodeForms: a name is removed however its letters are
// encoded or its words spaced. A name pasted from macOS or from a PDF often
// comes decomposed (NFD: "o" + U+0308 for "ö"), and a decision text pasted
// from a word processor often carries no-break spaces between first and
// last name; both look the same on screen as what was stored, so the
// secretary sees no reason to type the name again.
func TestNameScrubberUnicodeForms(t *testing.T) {
	const nfc, nfd = "Bo Ström", "Bo Stro\u0308m"
	for _, tt := range []struct{ name, names, text string }{
		{"NFD name, NFC text", nfd, "Justerare " + nfc + "."},
		{"NFC name, NFD text", nfc, "Justerare " + nfd + "."},
		{"no-break space in the text", nfc, "Justerare Bo\u00a0Ström."},
		{"narrow no-break space in the text", nfc, "Justerare Bo\u202fStröm."},
		{"no-break space in the name", "Bo\u00a0Ström", "Justerare Bo Ström."},
	} {
		v := PublishedView(Redaction{Names: []string{tt.names}})
		if got, want := v.Name(tt.text), "Justerare "+NameRemovedText+"."; got != want {
			t.Errorf("%s: %q, want %q", tt.name, got, want)
		}
		if !v.Removes(tt.text) {
			t.Errorf("%s: Removes is false", tt.name)
		}
	}
	// A text without a listed name is left exactly as it is, also when it is
	// not in NFC, so that Removes stays false for it.
	v := PublishedView(Redaction{Names: []string{"Anna Ek"}})
	if s := "Cecilia Stro\u0308m"; v.Name(s) != s || v.Removes(s) {
		t.Errorf("a text without the name changed: %q", v.Name(s))
	}
	// ParseRedaction keeps a name in NFC, so that the same name typed in two
	// forms is one name.
	r, err := ParseRedaction(publicationMinutes(), nil, nfd+"\n"+nfc)
	if err != nil || len(r.Names) != 1 || r.Names[0] != nfc {
		t.Errorf("ParseRedaction: %q, %v", r.Names, err)
	}
}

// A listed name is removed as whole words only: "Ek" stood in for a person
// took "ek" out of "ekonomi" and "Ekström" too, and the published protokoll
// read "[namn borttaget]onomi". A genitive after the name stays with the text.
func TestNameScrubberWholeWords(t *testing.T) {
	v := PublishedView(Redaction{Names: []string{"Ek", "Eva"}})
	for text, want := range map[string]string{
		"Ekonomiutskottet och Bo Ekström tackar Ek.":    "Ekonomiutskottet och Bo Ekström tackar [namn borttaget].",
		"Eks förslag, Ek:s yttrande och Ek’s svar":      "[namn borttaget]s förslag, [namn borttaget]:s yttrande och [namn borttaget]’s svar",
		"Ekstam, Beck och Eka; EK (ordf.) och Eva-Lena": "Ekstam, Beck och Eka; [namn borttaget] (ordf.) och [namn borttaget]-Lena",
		"Evas budget för Evangelium 2026, ek2":          "[namn borttaget]s budget för Evangelium 2026, ek2",
		"Ek":                                            "[namn borttaget]",
	} {
		if got := v.Name(text); got != want {
			t.Errorf("%q:\n got %q\nwant %q", text, got, want)
		}
	}
	if s := "Ekonomisk redovisning"; v.Removes(s) {
		t.Errorf("Removes(%q) is true", s)
	}
}

// A shorter listed name is removed where a longer one that begins the same
// way is no whole word there ("Anna" in "Anna Ekdahl" with "Anna Ek"
// listed: the longer name matched, failed as a word, and the shorter one was
// not tried, so "Anna" was published). And a name is removed however a word
// processor wrote it: with an invisible soft hyphen or zero-width character
// inside, or another hyphen or apostrophe than the one typed.
func TestNameScrubberShorterNamesAndHiddenCharacters(t *testing.T) {
	for _, tt := range []struct{ names, text, want string }{
		{"Anna\nAnna Ek", "Anna Ekdahl talade.", "[namn borttaget] Ekdahl talade."},
		{"Lars\nLars Ek", "Lars Ekman och Lars Ek", "[namn borttaget] Ekman och [namn borttaget]"},
		{"Nils\nNils-Erik", "Nils-Eriksson", "[namn borttaget]-Eriksson"},
		{"Erik\nErik Ny", "Erik Nyström justerar.", "[namn borttaget] Nyström justerar."},
		{"Öberg", "Ö\u00adberg, Öb\u200derg och Ö\u200bberg", "[namn borttaget], [namn borttaget] och [namn borttaget]"},
		{"O'Brien", "O’Brien och O'Briens förslag", "[namn borttaget] och [namn borttaget]s förslag"},
		{"Anna-Karin", "Anna\u2011Karin och Anna–Karin", "[namn borttaget] och [namn borttaget]"},
		{"Anna Ek", "Anna\u00a0\u200bEk", "[namn borttaget]"},
	} {
		v := PublishedView(Redaction{Names: strings.Split(tt.names, "\n")})
		if got := v.Name(tt.text); got != tt.want {
			t.Errorf("%q in %q:\n got %q\nwant %q", tt.names, tt.text, got, tt.want)
		}
	}
}
