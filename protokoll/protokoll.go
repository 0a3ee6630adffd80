// Package protokoll renders a meeting's protokoll and protokollsutdrag as PDF:
// data in, bytes out, nothing else.
package protokoll

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"
	"github.com/kommun/beslutsgang/workflow"
)

// Minutes renders the whole protokoll of a meeting.
func Minutes(min workflow.Minutes) ([]byte, error) {
	d := newDoc(min.Meeting, "Protokoll")
	d.header("PROTOKOLL", min)
	d.attendance(min.Attendees)
	d.adjusters(min)
	if len(min.Paragraphs) == 0 {
		d.text("Inga beslut är registrerade vid sammanträdet.")
	}
	for _, p := range min.Paragraphs {
		d.paragraph(p, min.Meeting, false)
	}
	d.signatures(min)
	d.anslag(min.Meeting)
	return d.bytes()
}

// Extract renders a protokollsutdrag: one paragraph, with the meeting, the
// justering and who the decision goes to.
func Extract(min workflow.Minutes, p workflow.Paragraph) ([]byte, error) {
	d := newDoc(min.Meeting, "Protokollsutdrag "+p.Label())
	d.header("PROTOKOLLSUTDRAG", min)
	d.paragraph(p, min.Meeting, true)
	d.signatures(min)
	d.anslag(min.Meeting)
	d.text("Rätt utdraget intygar: " + orDash(min.Meeting.Secretary.Name) + ", sekreterare")
	return d.bytes()
}

// doc is one PDF under construction. Core fonts with the cp1252 translator
// carry å, ä, ö and §.
type doc struct {
	pdf *fpdf.Fpdf
	tr  func(string) string
}

const (
	lineH  = 5.5
	labelW = 45.0
)

func newDoc(m workflow.Meeting, title string) *doc {
	pdf := fpdf.New("P", "mm", "A4", "")
	d := &doc{pdf: pdf, tr: pdf.UnicodeTranslatorFromDescriptor("")}
	pdf.SetTitle(title+" "+m.Title(), true)
	pdf.SetAuthor(m.Body.Name, true)
	pdf.SetCreator("Beslutsgång", true)
	// Fixed dates keep the bytes of a protokoll the same each time it is fetched.
	pdf.SetCreationDate(m.UpdatedAt)
	pdf.SetModificationDate(m.UpdatedAt)
	pdf.SetCatalogSort(true)
	pdf.SetMargins(22, 20, 22)
	pdf.SetAutoPageBreak(true, 20)
	pdf.AliasNbPages("")
	pdf.SetFooterFunc(func() {
		pdf.SetY(-14)
		pdf.SetFont("Helvetica", "", 8)
		pdf.CellFormat(0, 6, d.tr(fmt.Sprintf("%s – %s – sida %d av {nb}", m.Body.Name, m.Date, pdf.PageNo())), "", 0, "C", false, 0, "")
	})
	pdf.AddPage()
	return d
}

func (d *doc) bytes() ([]byte, error) {
	var buf bytes.Buffer
	if err := d.pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("protokoll: %w", err)
	}
	return buf.Bytes(), nil
}

func (d *doc) font(style string, size float64) { d.pdf.SetFont("Helvetica", style, size) }

func (d *doc) heading(s string) {
	d.pdf.Ln(3)
	d.font("B", 11)
	d.pdf.MultiCell(0, lineH+1, d.tr(s), "", "L", false)
}

func (d *doc) text(s string) {
	d.font("", 10)
	d.pdf.MultiCell(0, lineH, d.tr(s), "", "L", false)
}

// field writes "label   value" with the value wrapping in its column.
func (d *doc) field(label, value string) {
	d.font("B", 10)
	d.pdf.CellFormat(labelW, lineH, d.tr(label), "", 0, "L", false, 0, "")
	d.font("", 10)
	d.pdf.MultiCell(0, lineH, d.tr(orDash(value)), "", "L", false)
}

func (d *doc) rule() {
	d.pdf.Ln(2)
	y := d.pdf.GetY()
	d.pdf.SetDrawColor(120, 120, 120)
	d.pdf.Line(22, y, 188, y)
	d.pdf.Ln(2)
}

func (d *doc) header(kind string, min workflow.Minutes) {
	m := min.Meeting
	d.font("B", 16)
	d.pdf.MultiCell(0, 8, d.tr(m.Body.Name), "", "L", false)
	d.font("", 11)
	d.pdf.MultiCell(0, 6, d.tr(kind), "", "L", false)
	if m.Status.AtLeast(workflow.MeetingHeld) && !m.Status.AtLeast(workflow.MeetingJustified) {
		d.font("B", 11)
		d.pdf.MultiCell(0, 6, d.tr("UTKAST – protokollet är inte justerat"), "", "L", false)
	}
	d.rule()
	d.field("Sammanträdesdatum", m.Date.String())
	d.field("Tid", timeSpan(m))
	d.field("Plats", m.Place)
	if len(min.Paragraphs) > 0 {
		first, last := min.Paragraphs[0], min.Paragraphs[len(min.Paragraphs)-1]
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
	d.heading("Närvarande")
	groups := []struct {
		label string
		roles []workflow.MemberRole
	}{
		{"Ledamöter", []workflow.MemberRole{workflow.MemberChair, workflow.MemberRegular}},
		{"Ersättare", []workflow.MemberRole{workflow.MemberSubstitute}},
		{"Övriga", []workflow.MemberRole{workflow.MemberStaff}},
	}
	for _, g := range groups {
		var names []string
		for _, a := range att {
			if a.Present && hasRole(g.roles, a.Member.Role) {
				names = append(names, personWithRole(a.Member))
			}
		}
		if len(names) > 0 {
			d.field(g.label, strings.Join(names, "\n"))
		}
	}
	var absent []string
	for _, a := range att {
		if !a.Present {
			absent = append(absent, personWithRole(a.Member))
		}
	}
	if len(absent) > 0 {
		d.field("Frånvarande", strings.Join(absent, "\n"))
	}
	if len(att) == 0 {
		d.text("Närvaron är inte registrerad.")
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

func (d *doc) paragraph(p workflow.Paragraph, m workflow.Meeting, extract bool) {
	title := p.CaseTitle
	if p.Secret {
		title = "Ärende som omfattas av sekretess"
	}
	d.pdf.Ln(2)
	d.font("B", 12)
	d.pdf.MultiCell(0, 7, d.tr(p.Label()+"   "+title), "", "L", false)
	d.font("", 9)
	d.pdf.MultiCell(0, lineH, d.tr("Diarienummer "+p.CaseNumber), "", "L", false)
	if extract && len(p.Proposals) > 0 && !p.Secret {
		d.heading("Förslag till beslut")
		for i, pr := range p.Proposals {
			d.text(fmt.Sprintf("%d. %s", i+1, pr))
		}
	}
	d.heading("Beslut – " + p.Type.Label())
	d.text(p.Text)
	if p.Type == workflow.DecisionTabled && !p.NextDate.IsZero() {
		d.text("Ärendet bordläggs till sammanträdet den " + p.NextDate.String() + ".")
	}
	if extract {
		var to []string
		for _, r := range p.Recipients {
			to = append(to, r.Name)
		}
		d.heading("Beslutet skickas till")
		d.text(orDash(strings.Join(to, "\n")))
	}
	d.rule()
}

func (d *doc) signatures(min workflow.Minutes) {
	d.heading("Justering")
	adj := workflow.Adjusters(min.Attendees)
	if len(adj) == 0 {
		d.text("Inga justerare är utsedda.")
	}
	for _, a := range adj {
		state := "Ej justerat"
		if a.SignedAt != nil {
			state = "Justerat digitalt " + stockholm(*a.SignedAt)
		}
		d.field(a.Member.Name, state)
	}
	if m := min.Meeting; m.JustifiedAt != nil {
		d.field("Protokollet justerat", m.JustifiedOn().String())
	}
}

func (d *doc) anslag(m workflow.Meeting) {
	if m.PostedOn.IsZero() {
		return
	}
	dates := m.Dates()
	d.heading("Anslag")
	d.text("Protokollets justering har tillkännagivits på kommunens digitala anslagstavla.")
	d.field("Organ", m.Body.Name)
	d.field("Sammanträdesdatum", m.Date.String())
	d.field("Anslaget", m.PostedOn.String())
	d.field("Sista dag att överklaga", dates.AppealEnds.String())
	d.field("Laga kraft", dates.LegalForce.String()+", om beslutet inte har överklagats")
}

func stockholm(t time.Time) string { return t.In(workflow.Stockholm).Format("2006-01-02 15:04") }

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "–"
	}
	return s
}
