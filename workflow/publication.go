package workflow

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Publishing a justerat protokoll on the web. A protokoll is an allmän
// handling once justerat (tryckfrihetsförordningen 2 kap. 4 och 10 §§), but
// putting it on the web is a processing of personal data of its own (GDPR
// art. 6.1 e, with the municipality's task as the legal basis) that must be
// kept to what is needed (art. 5.1 c), and a secret case stays secret there
// too (offentlighets- och sekretesslagen 2009:400). So the secretary reviews
// the protokoll first (the redaction step): a paragraph may be kept off the
// web, names may be replaced, and a secret case is always shown by its
// registration only (OSL 5 kap. 1-2 §: number, date and that it exists). The
// anslag itself is Kommunallagen 2017:725 8 kap. 12 §; the web page is the
// protokoll the anslag points to.

// Texts of the public protokoll.
const (
	// SecretParagraphText stands for the title of a paragraph on a secret case.
	SecretParagraphText = "Ärende som omfattas av sekretess"
	// NotOnWebText stands for the title of a paragraph the secretary kept off the web.
	NotOnWebText = "Paragrafen publiceras inte på webben"
	// NameRemovedText stands where a name the secretary listed stood.
	NameRemovedText = "[namn borttaget]"
)

// Limits of the names a secretary lists for removal.
const (
	MaxRedactedNames = 200
	MaxRedactedName  = 200 // characters
	MinRedactedName  = 2   // characters: a single letter would blank out the text
)

// Redaction is what the secretary chose to keep off the web: paragraph
// numbers and names to replace.
type Redaction struct {
	Withheld []int    `json:"withheld"` // paragraph numbers, ascending
	Names    []string `json:"names"`    // as typed, longest first is not required
}

// Same reports whether r and o make the same choices.
func (r Redaction) Same(o Redaction) bool {
	return slices.Equal(r.Withheld, o.Withheld) && slices.Equal(r.Names, o.Names)
}

// Withholds reports whether paragraph n is kept off the web.
func (r Redaction) Withholds(n int) bool { return n > 0 && slices.Contains(r.Withheld, n) }

// Publication is one publication of a protokoll on the web, or, with
// PublishedAt nil, the secretary's saved choices not yet published.
type Publication struct {
	ID        int64 `json:"id"`
	MeetingID int64 `json:"meeting_id"`
	Redaction
	SavedAt     time.Time  `json:"saved_at"`
	SavedBy     Person     `json:"saved_by"`
	PublishedAt *time.Time `json:"published_at"`
	PublishedBy *Person    `json:"published_by"`
	// Seq numbers the meeting's publications from 1; 0 for saved choices.
	Seq     int  `json:"seq"`
	Tagged  bool `json:"tagged"`   // the PDF is tagged (Chromium), not the embedded generator's
	PDFSize int  `json:"pdf_size"` // bytes of the stored PDF
}

// WithheldLabels writes the withheld paragraphs: "§ 3, § 7"; empty for none.
func (p Publication) WithheldLabels() string {
	var out []string
	for _, n := range p.Withheld {
		out = append(out, ParagraphLabel(n))
	}
	return strings.Join(out, ", ")
}

// CanRedact reports whether actor may review m's protokoll for the web: the
// secretary of the meeting's board, once it is held, at a body that keeps a
// protokoll.
func CanRedact(m Meeting, actor User) error {
	switch {
	case !isBodySecretary(m.Body, actor):
		return Errorf(EFORBIDDEN, "Bara nämndsekreteraren för %s granskar och publicerar protokollet", m.Body.Board)
	case !m.Body.Kind.KeepsMinutes():
		return Errorf(ECONFLICT, "%s för inget protokoll; det finns inget att publicera", m.Body.Name)
	case !m.Status.AtLeast(MeetingHeld):
		return Errorf(ECONFLICT, "Sammanträdet %s är inte hållet; det finns inget protokoll än", m.Title())
	}
	return nil
}

// CanPublish reports whether actor may publish m's protokoll now: as
// CanRedact, and only once it is justerat (justified or posted), for only a
// justerat protokoll is the allmän handling the public may read.
func CanPublish(m Meeting, actor User) error {
	if err := CanRedact(m, actor); err != nil {
		return err
	}
	if !m.Status.AtLeast(MeetingJustified) {
		return Errorf(ECONFLICT, "Protokollet från %s är inte justerat än; det kan publiceras när alla justerare har skrivit under", m.Title())
	}
	return nil
}

// ParseRedaction checks the secretary's choices against the protokoll:
// withheld are paragraph numbers as the form sends them, names is one name
// a line. Every problem is reported, by field ("withheld", "names").
func ParseRedaction(min Minutes, withheld []string, names string) (Redaction, error) {
	var p Problems
	var r Redaction
	numbers := map[int]bool{}
	for _, par := range min.Paragraphs {
		if par.Number > 0 {
			numbers[par.Number] = true
		}
	}
	for _, w := range withheld {
		w = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(w), "§"))
		if w == "" {
			continue
		}
		n, err := strconv.Atoi(w)
		if err != nil || !numbers[n] {
			p.Add("withheld", "Det finns ingen paragraf %s i protokollet från %s", quoted(w), min.Meeting.Title())
			continue
		}
		if !slices.Contains(r.Withheld, n) {
			r.Withheld = append(r.Withheld, n)
		}
	}
	sort.Ints(r.Withheld)
	seen := map[string]bool{}
	for i, line := range strings.Split(names, "\n") {
		name := strings.TrimSpace(strings.TrimSuffix(line, "\r"))
		if name == "" {
			continue
		}
		row := i + 1
		switch {
		case TextProblem(name) != "":
			p.Add("names", "Rad %d: namnet %s", row, TextProblem(name))
			continue
		case strings.ContainsAny(name, "\t\r"):
			p.Add("names", "Rad %d: namnet innehåller ett styrtecken (tabb eller radslut); skriv ett namn per rad", row)
			continue
		case utf8.RuneCountInString(name) < MinRedactedName:
			p.Add("names", "Rad %d: %s är för kort; ett namn behöver minst %d tecken", row, quoted(name), MinRedactedName)
			continue
		case utf8.RuneCountInString(name) > MaxRedactedName:
			p.Add("names", "Rad %d: namnet får vara högst %d tecken", row, MaxRedactedName)
			continue
		}
		// NFC, so that a name pasted decomposed (macOS, PDF) is the same name.
		name = strings.Join(strings.Fields(norm.NFC.String(name)), " ")
		if key := strings.ToLower(name); !seen[key] {
			seen[key] = true
			r.Names = append(r.Names, name)
		}
	}
	if len(r.Names) > MaxRedactedNames {
		p.Add("names", "Högst %d namn kan tas bort; listan har %d", MaxRedactedNames, len(r.Names))
	}
	return r, p.Err()
}

func quoted(s string) string { return "”" + s + "”" }

// PublicParagraph is one paragraph as the public protokoll shows it. A
// paragraph on a secret case, or one kept off the web, shows only its
// registration: §, diarienummer and Notice in place of the title.
type PublicParagraph struct {
	Paragraph
	Shown    bool   // the title and decision are shown
	Notice   string // SecretParagraphText or NotOnWebText when not Shown
	Withheld bool   // the secretary kept it off the web
}

// PublicMinutes is a protokoll as it is published on the web.
type PublicMinutes struct {
	Minutes    Minutes // the meeting and attendance, names replaced; Paragraphs as shown
	Paragraphs []PublicParagraph
	Redaction  Redaction
}

// Publish returns min as the public may read it under r. A secret case is
// always shown by its registration only: no ground of secrecy is stored in
// Beslutsgång, so none is printed. A paragraph in r.Withheld is shown the
// same way with NotOnWebText. In everything else shown (titles, decision
// texts, the names of attendees and the secretary) each name of r.Names is
// replaced by NameRemovedText, whatever its case. Proposals and recipients
// (the protokollsutdrag's) are never in the public protokoll.
func Publish(min Minutes, r Redaction) PublicMinutes {
	v := PublishedView(r)
	out := PublicMinutes{Redaction: r}
	m := min.Meeting
	m.Secretary = Person{Name: v.Name(m.Secretary.Name)}
	out.Minutes.Meeting = m
	for _, a := range min.Attendees {
		a.Member = Member{ID: a.Member.ID, Body: a.Member.Body, Name: v.Name(a.Member.Name), Role: a.Member.Role}
		out.Minutes.Attendees = append(out.Minutes.Attendees, a)
	}
	for _, p := range min.Paragraphs {
		pp := v.Paragraph(p)
		out.Paragraphs = append(out.Paragraphs, pp)
		out.Minutes.Paragraphs = append(out.Minutes.Paragraphs, pp.Paragraph)
	}
	return out
}

// NotPublishedText stands for a decision whose protokoll is justerat but not
// yet published on the web: the secretary has not reviewed it.
const NotPublishedText = "Protokollet är inte publicerat på webben än"

// ProtokollView is the public's view of one meeting's protokoll, the one
// rule every public surface (the published protokoll, the public diary and
// its search, OParl) reads a protokoll's paragraphs and names through: the
// newest publication's Redaction applied (PublishedView), or, before the
// first publication, nothing of its decisions and attendance at all (the
// zero ProtokollView), since publishing on the web needs the secretary's
// review first (GDPR art. 6.1 e and 5.1 c, OSL 2009:400).
type ProtokollView struct {
	Published bool
	Redaction Redaction
	scrub     func(string) string
}

// PublishedView is the view of a protokoll published under r.
func PublishedView(r Redaction) ProtokollView {
	return ProtokollView{Published: true, Redaction: r, scrub: nameScrubber(r.Names)}
}

// Name is s with every name the publication removes replaced by
// NameRemovedText; before publication s as it is (callers show no names of
// an unpublished protokoll).
func (v ProtokollView) Name(s string) string {
	if v.scrub == nil {
		return s
	}
	return v.scrub(s)
}

// Removes reports whether the publication removes (part of) the name s, so
// that a reference to its bearer (an OParl participant) must not be shown.
func (v ProtokollView) Removes(s string) bool { return v.Name(s) != s }

// Paragraph is p as the public sees it under v: the title and the decision
// (type and text, names removed) when Shown; else its registration only,
// with Notice saying why: SecretParagraphText for a secret case,
// NotOnWebText for a paragraph the secretary withheld, NotPublishedText
// before the protokoll is published. Proposals, recipients and who recorded
// the decision are never public.
func (v ProtokollView) Paragraph(p Paragraph) PublicParagraph {
	pp := PublicParagraph{Paragraph: p, Shown: true}
	pp.Proposals, pp.Recipients, pp.DecidedBy = nil, nil, Person{}
	switch {
	case p.Secret:
		pp.Shown, pp.Notice = false, SecretParagraphText
	case !v.Published:
		pp.Shown, pp.Notice = false, NotPublishedText
	case v.Redaction.Withholds(p.Number):
		pp.Shown, pp.Notice, pp.Withheld = false, NotOnWebText, true
	}
	if pp.Shown {
		pp.CaseTitle, pp.Text = v.Name(p.CaseTitle), v.Name(p.Text)
	} else {
		pp.CaseTitle, pp.Text, pp.Type, pp.NextDate = pp.Notice, "", "", Date{}
	}
	return pp
}

// nameScrubber returns a function that replaces each of names in a text,
// ignoring case, longest names first (so "Anna Ek" goes whole before "Ek").
// A name is a whole word or words: "Ek" is not removed from "ekonomi" or
// "Ekström", but is before a genitive ending ("Eks", "Ek:s"), which stays;
// where a longer name is no whole word ("Anna Ekdahl" for "Anna Ek"), a
// shorter one at the same place still is ("Anna").
// Names and text are compared in Unicode NFC, so "ö" typed as "o" and a
// combining diaeresis (as macOS and many PDFs paste it) is the same letter;
// invisible format characters inside a name in the text (a soft hyphen, a
// zero-width space or joiner) are passed over; any hyphen matches any
// hyphen and any apostrophe any apostrophe ("O’Brien" for "O'Brien"). A text
// with no name in it is returned exactly as it is.
func nameScrubber(names []string) func(string) string {
	if len(names) == 0 {
		return func(s string) string { return s }
	}
	sorted := make([]string, len(names))
	for i, n := range names {
		sorted[i] = norm.NFC.String(n)
	}
	sort.SliceStable(sorted, func(i, j int) bool { return utf8.RuneCountInString(sorted[i]) > utf8.RuneCountInString(sorted[j]) })
	parts := make([]string, len(sorted))
	each := make([]*regexp.Regexp, len(sorted)) // one name at the start, with its genitive
	for i, n := range sorted {
		parts[i] = namePattern(n)
		each[i] = regexp.MustCompile(`^(?i)(` + parts[i] + `)(?:[:` + nameApostrophes + `]?s)?`)
	}
	// Go's regexp has no look-around: any name finds a place, and there the
	// names are tried longest first with their word boundaries checked.
	find := regexp.MustCompile(`(?i)(?:` + strings.Join(parts, "|") + `)`)
	return func(s string) string {
		t := norm.NFC.String(s)
		var out strings.Builder
		done, from := 0, 0 // t[:done] is written; the next place is sought from from
		for from < len(t) {
			loc := find.FindStringIndex(t[from:])
			if loc == nil {
				break
			}
			a := from + loc[0]
			name, b := wholeName(t, a, each)
			if name < 0 {
				_, size := utf8.DecodeRuneInString(t[a:])
				from = a + size
				continue
			}
			out.WriteString(t[done:a])
			out.WriteString(NameRemovedText)
			done, from = name, b
		}
		if done == 0 {
			return s
		}
		out.WriteString(t[done:])
		return out.String()
	}
}

// namePattern is the regexp of a name as it may stand in a text: its words
// apart by any run of white space (\s is ASCII only; \p{Z} is every Unicode
// space), invisible format characters (\p{Cf}: soft hyphen, zero-width
// space and joiner, direction marks) passed over between its letters, any
// hyphen for a hyphen and any apostrophe for an apostrophe.
func namePattern(n string) string {
	words := strings.Fields(n)
	for j, w := range words {
		var runes []string
		for _, r := range w {
			switch {
			case strings.ContainsRune(nameHyphens, r):
				runes = append(runes, `[`+nameHyphens+`]`)
			case strings.ContainsRune(nameApostrophes, r):
				runes = append(runes, `[`+nameApostrophes+`]`)
			default:
				runes = append(runes, regexp.QuoteMeta(string(r)))
			}
		}
		words[j] = strings.Join(runes, `\p{Cf}*`)
	}
	return strings.Join(words, `[\s\p{Z}\p{Cf}]+`)
}

// nameHyphens and nameApostrophes are the characters a name may be written
// with for a hyphen and an apostrophe (as typed, or as a word processor
// turns them); in a character class, the hyphen-minus first.
const (
	nameHyphens     = "-\u2010\u2011\u2012\u2013"
	nameApostrophes = "'\u2019\u02bc\u00b4`"
)

// wholeName is where the name at t[a:] ends, and where the name with its
// genitive ending ends, for the longest of each (names, each anchored at
// the start) that stands there as whole words; -1 for none.
func wholeName(t string, a int, each []*regexp.Regexp) (name, end int) {
	if wordRuneBefore(t, a) {
		return -1, -1
	}
	for _, re := range each {
		m := re.FindStringSubmatchIndex(t[a:])
		if m == nil {
			continue
		}
		name, end := a+m[3], a+m[1]
		// Not inside a longer word ("ekonomi", "Ekstam"): a word may go on
		// neither after the genitive nor after the name itself.
		if !wordRuneAt(t, end) || !wordRuneAt(t, name) {
			return name, end
		}
	}
	return -1, -1
}

// wordRuneAt is whether t continues at i with a letter, mark or digit: a
// word goes on there. wordRuneBefore likewise for the rune ending at i.
func wordRuneAt(t string, i int) bool {
	r, size := utf8.DecodeRuneInString(t[i:])
	return size > 0 && isWordRune(r)
}

func wordRuneBefore(t string, i int) bool {
	r, size := utf8.DecodeLastRuneInString(t[:i])
	return size > 0 && isWordRune(r)
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r)
}

// PublicPath is the address of a meeting's published protokoll:
// /protokoll/ASN/2020-01-30.
func PublicPath(m Meeting) string {
	return fmt.Sprintf("/protokoll/%s/%s", url.PathEscape(m.Body.Code), m.Date)
}
