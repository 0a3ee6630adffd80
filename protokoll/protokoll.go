// Package protokoll renders a meeting's protokoll and protokollsutdrag as PDF:
// data in, bytes out, nothing else.
package protokoll

import (
	"bytes"
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"codeberg.org/go-pdf/fpdf"
	"github.com/kommun/beslutsgang/workflow"
)

// Minutes renders the whole protokoll of a meeting.
func Minutes(min workflow.Minutes) ([]byte, error) {
	return render(min.Meeting, "Protokoll", func(d *doc) {
		d.header("PROTOKOLL", min)
		d.attendance(min.Attendees)
		d.adjusters(min)
		if len(min.Paragraphs) == 0 {
			d.text("Inga beslut är registrerade vid sammanträdet.")
		}
		for _, p := range min.Paragraphs {
			d.paragraph(p, false)
		}
		d.signatures(min)
		d.anslag(min.Meeting)
	})
}

// Extract renders a protokollsutdrag: one paragraph, with the meeting, the
// justering and who the decision goes to.
func Extract(min workflow.Minutes, p workflow.Paragraph) ([]byte, error) {
	return render(min.Meeting, "Protokollsutdrag "+p.Label(), func(d *doc) {
		d.header("PROTOKOLLSUTDRAG", min)
		d.paragraph(p, true)
		d.signatures(min)
		d.anslag(min.Meeting)
		d.pdf.Ln(2)
		d.text("Rätt utdraget intygar: " + orDash(min.Meeting.Secretary.Name) + ", sekreterare")
	})
}

// doc is one PDF under construction, set in the embedded DejaVu Sans so that
// every name prints as written.
type doc struct {
	pdf    *fpdf.Fpdf
	footer string // before "sida n av N"
}

// DejaVu Sans, regular and bold, from Debian's fonts-dejavu-core; the PDF
// embeds a subset of the glyphs it uses. See fonts/README.md.
var (
	//go:embed fonts/DejaVuSans.ttf
	sansRegular []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	sansBold []byte
)

const (
	family = "DejaVuSans"
	margin = 22.0 // left and right, mm
	top    = 20.0
	bottom = 20.0
	lineH  = 5.5
	labelW = 50.0
)

// style is how a kind of text is set: weight, size, line height and the
// space above it.
type style struct {
	weight      string // "" or "B"
	size, lineH float64
	before      float64
}

var (
	styleName    = style{"B", 16, 8, 0}
	styleKind    = style{"", 11, 6, 0}
	styleDraft   = style{"B", 11, 6, 0}
	styleHeading = style{"B", 11, lineH + 1, 3}
	styleTitle   = style{"B", 12, 7, 2}
	styleText    = style{"", 10, lineH, 0}
	styleLabel   = style{"B", 10, lineH, 0}
	styleSmall   = style{"", 9, lineH, 0}
	styleFooter  = style{"", 8, 4, 0}
)

// render builds a document and writes its bytes.
func render(m workflow.Meeting, title string, build func(*doc)) ([]byte, error) {
	pdf := fpdf.New("P", "mm", "A4", "")
	d := &doc{pdf: pdf, footer: m.Body.Name + " – " + m.Date.String()}
	pdf.AddUTF8FontFromBytes(family, "", sansRegular)
	pdf.AddUTF8FontFromBytes(family, "B", sansBold)
	pdf.SetTitle(printable(title+" "+m.Title()), true)
	pdf.SetAuthor(printable(m.Body.Name), true)
	pdf.SetCreator("Beslutsgång", true)
	// Fixed dates keep the bytes of a protokoll the same each time it is fetched.
	pdf.SetCreationDate(m.UpdatedAt)
	pdf.SetModificationDate(m.UpdatedAt)
	pdf.SetCatalogSort(true)
	pdf.SetMargins(margin, top, margin)
	// The layout breaks pages itself (see keep); fpdf's own break is the
	// backstop for anything taller than a page.
	pdf.SetAutoPageBreak(true, bottom)
	pdf.AddPage()
	build(d)
	d.footers()
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("protokoll: %w", err)
	}
	return buf.Bytes(), nil
}

// footers writes "sida n av N" on every page once all are laid out. Writing
// the count itself, rather than letting fpdf patch an alias in afterwards,
// keeps its digits in the embedded font subset.
func (d *doc) footers() {
	n := d.pdf.PageCount()
	d.pdf.SetAutoPageBreak(false, 0)
	for p := 1; p <= n; p++ {
		d.pdf.SetPage(p)
		// fpdf writes a font into the page only when it changes, and each
		// page's stream needs its own: switch away and back.
		d.pdf.SetFont(family, "B", styleFooter.size)
		d.use(styleFooter)
		d.pdf.SetXY(margin, -14)
		for _, l := range d.wrap(styleFooter, fmt.Sprintf("%s – sida %d av %d", d.footer, p, n), d.width()) {
			d.pdf.CellFormat(d.width(), styleFooter.lineH, l, "", 2, "C", false, 0, "")
		}
	}
}

func (d *doc) use(st style) { d.pdf.SetFont(family, st.weight, st.size) }

// width is the width of the text column.
func (d *doc) width() float64 {
	w, _ := d.pdf.GetPageSize()
	return w - 2*margin
}

// limit is where a page's text ends.
func (d *doc) limit() float64 {
	_, h := d.pdf.GetPageSize()
	return h - bottom
}

// keep starts a new page unless h more millimetres fit on this one. At the
// top of a page it does nothing: what is taller than a page breaks where it must.
func (d *doc) keep(h float64) {
	if y := d.pdf.GetY(); y+h > d.limit() && y > top+0.01 {
		d.pdf.AddPage()
	}
}

// wrap breaks s into the lines that fit a cell w wide in style st: at line
// breaks and spaces, after a hyphen in a word too long for a line of its
// own, and inside a word only when nothing else fits.
func (d *doc) wrap(st style, s string, w float64) []string {
	s = printable(s)
	d.use(st)
	w -= 2 * d.pdf.GetCellMargin()
	fits := func(s string) bool { return d.pdf.GetStringWidth(s) <= w }
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		line := ""
		add := func(piece string, space bool) {
			cand := piece
			if line != "" && space {
				cand = line + " " + piece
			} else if line != "" {
				cand = line + piece
			}
			if fits(cand) {
				line = cand
				return
			}
			if line != "" {
				lines = append(lines, line)
			}
			line = ""
			for _, r := range piece { // only a piece wider than a line is cut here
				if line != "" && !fits(line+string(r)) {
					lines = append(lines, line)
					line = ""
				}
				line += string(r)
			}
		}
		for _, word := range strings.Fields(para) {
			if fits(word) {
				add(word, true)
				continue
			}
			for i, piece := range hyphenPieces(word) {
				add(piece, i == 0)
			}
		}
		lines = append(lines, line)
	}
	return lines
}

// printable is s as the embedded font can set it: line ends as "\n", a tab
// as a space, other control characters dropped, and "�" for what lies
// beyond the basic multilingual plane (emoji, mostly), which fpdf's
// TrueType subsetting cannot carry.
func printable(s string) string {
	s = strings.NewReplacer("\r\n", "\n", "\r", "\n", "\t", " ").Replace(s)
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case unicode.IsControl(r):
			return -1
		case r > 0xFFFF:
			return unicode.ReplacementChar
		}
		return r
	}, s)
}

// hyphenPieces cuts a word after each hyphen or dash: "Wästerberg-Johansson"
// is "Wästerberg-", "Johansson".
func hyphenPieces(word string) []string {
	var pieces []string
	start := 0
	for i, r := range word {
		if (r == '-' || r == '‐' || r == '–' || r == '/') && i > start {
			end := i + len(string(r))
			pieces = append(pieces, word[start:end])
			start = end
		}
	}
	if start < len(word) {
		pieces = append(pieces, word[start:])
	}
	return pieces
}

// height is how tall s is in style st across the whole text column, counting
// at most the first n lines when n > 0.
func (d *doc) height(st style, s string, n int) float64 {
	lines := len(d.wrap(st, s, d.width()))
	if n > 0 {
		lines = min(lines, n)
	}
	return st.before + float64(lines)*st.lineH
}

// write sets s in style st across the text column; the page may break
// between its lines.
func (d *doc) write(st style, s string) {
	lines := d.wrap(st, s, d.width())
	d.pdf.Ln(st.before)
	for _, l := range lines {
		d.keep(st.lineH)
		d.pdf.SetX(margin)
		d.pdf.CellFormat(d.width(), st.lineH, l, "", 1, "L", false, 0, "")
	}
}

// keepLines is how many lines of text stay on the page of their heading.
const keepLines = 2

// heading writes s as a heading, on a new page unless it and the next
// millimetres of what follows it fit on this one.
func (d *doc) heading(s string, next float64) {
	d.keep(d.height(styleHeading, s, 0) + next)
	d.write(styleHeading, s)
}

func (d *doc) text(s string) { d.write(styleText, s) }

// textHeight is what a heading keeps with it of the text s.
func (d *doc) textHeight(s string) float64 { return d.height(styleText, s, keepLines) }

// row is one row of a two-column table: the label and the value each wrap
// in their own cell, and the row is as tall as the taller of them.
type row struct{ label, value []string }

func (d *doc) row(label, value string) row {
	return row{d.wrap(styleLabel, label, labelW), d.wrap(styleText, orDash(value), d.width()-labelW)}
}

func (r row) height() float64 { return float64(max(len(r.label), len(r.value))) * lineH }

// field writes "label   value" as a table row; the row stays on one page
// when it fits on one.
func (d *doc) field(label, value string) { d.drawRow(d.row(label, value)) }

func (d *doc) drawRow(r row) {
	d.keep(r.height())
	for i := range max(len(r.label), len(r.value)) {
		d.keep(lineH)
		y := d.pdf.GetY()
		if i < len(r.label) {
			d.use(styleLabel)
			d.pdf.SetXY(margin, y)
			d.pdf.CellFormat(labelW, lineH, r.label[i], "", 0, "L", false, 0, "")
		}
		if i < len(r.value) {
			d.use(styleText)
			d.pdf.SetXY(margin+labelW, y)
			d.pdf.CellFormat(d.width()-labelW, lineH, r.value[i], "", 0, "L", false, 0, "")
		}
		d.pdf.SetXY(margin, y+lineH)
	}
}

// rowsHeight is the height of rows drawn one after the other.
func rowsHeight(rows []row) float64 {
	h := 0.0
	for _, r := range rows {
		h += r.height()
	}
	return h
}

func (d *doc) rule() {
	d.pdf.Ln(2)
	y := d.pdf.GetY()
	d.pdf.SetDrawColor(120, 120, 120)
	d.pdf.Line(margin, y, margin+d.width(), y)
	d.pdf.Ln(2)
}

func (d *doc) header(kind string, min workflow.Minutes) {
	m := min.Meeting
	d.write(styleName, m.Body.Name)
	d.write(styleKind, kind)
	if m.Status.AtLeast(workflow.MeetingHeld) && !m.Status.AtLeast(workflow.MeetingJustified) {
		d.write(styleDraft, "UTKAST – protokollet är inte justerat")
	}
	d.rule()
	d.field("Sammanträdesdatum", m.Date.String())
	d.field("Tid", timeSpan(m))
	d.field("Plats", m.Place)
	numbered := slices.DeleteFunc(slices.Clone(min.Paragraphs), func(p workflow.Paragraph) bool { return p.Number == 0 })
	if len(numbered) > 0 {
		first, last := numbered[0], numbered[len(numbered)-1]
		span := first.Label()
		if last.Number != first.Number {
			span += "–" + strings.TrimPrefix(last.Label(), "§ ")
		}
		d.field("Paragrafer", span)
	}
	d.rule()
}

func timeSpan(m workflow.Meeting) string {
	if m.End != "" {
		return m.Start + "–" + m.End
	}
	return m.Start
}

func (d *doc) attendance(att []workflow.Attendee) {
	groups := []struct {
		label string
		roles []workflow.MemberRole
	}{
		{"Ledamöter", []workflow.MemberRole{workflow.MemberChair, workflow.MemberRegular}},
		{"Ersättare", []workflow.MemberRole{workflow.MemberSubstitute}},
		{"Övriga", []workflow.MemberRole{workflow.MemberStaff}},
	}
	var rows []row
	for _, g := range groups {
		var names []string
		for _, a := range att {
			if a.Present && hasRole(g.roles, a.Member.Role) {
				names = append(names, personWithRole(a.Member))
			}
		}
		if len(names) > 0 {
			rows = append(rows, d.row(g.label, strings.Join(names, "\n")))
		}
	}
	var absent []string
	for _, a := range att {
		if !a.Present {
			absent = append(absent, personWithRole(a.Member))
		}
	}
	if len(absent) > 0 {
		rows = append(rows, d.row("Frånvarande", strings.Join(absent, "\n")))
	}
	const none = "Närvaron är inte registrerad."
	if len(att) == 0 {
		d.heading("Närvarande", d.textHeight(none))
		d.text(none)
		return
	}
	d.heading("Närvarande", rows[0].height())
	for _, r := range rows {
		d.drawRow(r)
	}
}

func hasRole(roles []workflow.MemberRole, r workflow.MemberRole) bool {
	for _, x := range roles {
		if x == r {
			return true
		}
	}
	return false
}

func personWithRole(m workflow.Member) string {
	if m.Role == workflow.MemberRegular {
		return m.Name
	}
	return m.Name + " (" + strings.ToLower(m.Role.Label()) + ")"
}

func (d *doc) adjusters(min workflow.Minutes) {
	var names []string
	for _, a := range workflow.Adjusters(min.Attendees) {
		names = append(names, a.Member.Name)
	}
	d.field("Justerare", strings.Join(names, ", "))
	d.field("Sekreterare", min.Meeting.Secretary.Name)
	d.rule()
}

// paragraph writes one § of the protokoll. Its title, diarienummer, first
// heading and the first lines under that heading stay on one page.
func (d *doc) paragraph(p workflow.Paragraph, extract bool) {
	title := p.CaseTitle
	if p.Secret {
		title = "Ärende som omfattas av sekretess"
	}
	if label := p.Label(); label != "" { // a body without a protokoll numbers nothing
		title = label + "   " + title
	}
	number := "Diarienummer " + p.CaseNumber
	var proposals []string
	if extract && !p.Secret {
		for i, pr := range p.Proposals {
			proposals = append(proposals, fmt.Sprintf("%d. %s", i+1, pr))
		}
	}
	decision := "Beslut – " + p.Type.Label()
	text, tabled := p.Text, ""
	if p.Type == workflow.DecisionTabled && !p.NextDate.IsZero() {
		text = strings.TrimRight(text, "\n")
		tabled = "Ärendet bordläggs till sammanträdet den " + p.NextDate.String() + "."
	}

	full := text // as the heading keeps it
	if tabled != "" {
		full += "\n" + tabled
	}
	first, firstText := decision, full
	if len(proposals) > 0 {
		first, firstText = "Förslag till beslut", proposals[0]
	}
	d.keep(d.height(styleTitle, title, 0) + d.height(styleSmall, number, 0) +
		d.height(styleHeading, first, 0) + d.bodyHeight(firstText))
	d.write(styleTitle, title)
	d.write(styleSmall, number)
	if len(proposals) > 0 {
		d.heading("Förslag till beslut", d.textHeight(proposals[0]))
		for _, pr := range proposals {
			d.text(pr)
		}
	}
	d.heading(decision, d.bodyHeight(full))
	table := d.body(text)
	if tabled != "" {
		if table {
			d.pdf.Ln(styleText.lineH)
		}
		d.text(tabled) // on the line after the text, as part of it
	}
	if extract {
		var to []string
		for _, r := range p.Recipients {
			to = append(to, r.Name)
		}
		recipients := orDash(strings.Join(to, "\n"))
		d.heading("Beslutet skickas till", d.textHeight(recipients))
		d.text(recipients)
	}
	d.rule()
}

// signatures writes the justering: one row for each justerare with the name
// beside its state. The heading and the rows stay together when they fit
// on a page.
func (d *doc) signatures(min workflow.Minutes) {
	const none = "Inga justerare är utsedda."
	var rows []row
	for _, a := range workflow.Adjusters(min.Attendees) {
		state := "Ej justerat"
		if a.SignedAt != nil {
			state = "Justerat digitalt " + stockholm(*a.SignedAt)
		}
		rows = append(rows, d.row(a.Member.Name, state))
	}
	if m := min.Meeting; m.JustifiedAt != nil {
		rows = append(rows, d.row("Protokollet justerat", m.JustifiedOn().String()))
	}
	next := rowsHeight(rows)
	if len(workflow.Adjusters(min.Attendees)) == 0 {
		next += d.height(styleText, none, 0)
	}
	d.heading("Justering", next)
	if len(workflow.Adjusters(min.Attendees)) == 0 {
		d.text(none)
	}
	for _, r := range rows {
		d.drawRow(r)
	}
}

// anslag writes when and where the justering was posted; the section stays
// on one page. A justerat protokoll not yet posted (an utdrag dispatched the
// day of justering) says how the appeal period will run instead, so its
// recipient is not left without it (KL 2017:725 13 kap. 5 §: three weeks
// from the day the justering is made known on the anslagstavla).
func (d *doc) anslag(m workflow.Meeting) {
	if m.PostedOn.IsZero() {
		if m.Status.AtLeast(workflow.MeetingJustified) {
			const notYet = "Protokollets justering har ännu inte tillkännagivits på kommunens digitala anslagstavla. " +
				"Beslutet kan överklagas inom tre veckor från den dag då det tillkännages (kommunallagen 13 kap. 5 §); " +
				"dagarna står på anslagstavlan."
			d.heading("Anslag", d.height(styleText, notYet, 0))
			d.text(notYet)
		}
		return
	}
	dates := m.Dates()
	const posted = "Protokollets justering har tillkännagivits på kommunens digitala anslagstavla."
	rows := []row{
		d.row("Organ", m.Body.Name),
		d.row("Sammanträdesdatum", m.Date.String()),
		d.row("Anslaget", m.PostedOn.String()),
		d.row("Sista dag att överklaga", dates.AppealEnds.String()),
		d.row("Laga kraft", dates.LegalForce.String()+", om beslutet inte har överklagats"),
	}
	d.heading("Anslag", d.height(styleText, posted, 0)+rowsHeight(rows))
	d.text(posted)
	for _, r := range rows {
		d.drawRow(r)
	}
}

func stockholm(t time.Time) string { return t.In(workflow.Stockholm).Format("2006-01-02 15:04") }

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "–"
	}
	return s
}
