package earchive

import (
	"embed"
	"fmt"
	"strings"
	"time"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/workflow"
)

// Schemas holds the XSDs a package ships in its schemas/ folder and the tests
// validate against (see schemas/README.md for their sources and licences).
//
//go:embed schemas/*.xsd
var Schemas embed.FS

// schemaFiles are the schemas a package of format f carries.
func schemaFiles(f Format) []string {
	out := []string{"mets.xsd", "xlink.xsd", "CSIPExtensionMETS.xsd"}
	if f == FormatFGS1 {
		return append(out, "Arendehantering.xsd")
	}
	return append(out, "ERMS.xsd")
}

// caseDoc is one case as the formats describe it.
type caseDoc struct {
	Record db.ArchiveRecord
	Ground string    // the secrecy ground for a secret case
	Report file      // the tjänsteskrivelse as text, the case's first record
	Docs   []docFile // its attachments, in order
}

// docFile is an attachment with its file in the package; File is nil for a
// document listed by name only (no content).
type docFile struct {
	Attachment workflow.Attachment
	File       *file
}

// secretaries are the people who recorded the case's decision or closed
// it: the nämndsekreterare of the case as the history shows them.
func (d caseDoc) secretaries() []workflow.Person {
	var out []workflow.Person
	seen := map[string]bool{}
	add := func(p workflow.Person) {
		if p.Name == "" || p.Name == db.System.Name || seen[p.Name] {
			return
		}
		seen[p.Name] = true
		out = append(out, p)
	}
	if dec := d.Record.Case.Decision; dec != nil {
		add(dec.DecidedBy)
	}
	for _, e := range d.Record.Events {
		switch e.Action {
		case "decide", "dispatch", "close", "advance":
			if e.Actor.ID != d.Record.Case.Officer.ID {
				add(e.Actor)
			}
		}
	}
	return out
}

// eventText is a history event in words, as the case page shows it.
func eventText(e workflow.Event) string {
	label := workflow.EventLabels[e.Action]
	if label == "" {
		label = e.Action
	}
	if e.From != e.To && e.From.Valid() && e.To.Valid() {
		label += " (" + e.From.Label() + " → " + e.To.Label() + ")"
	}
	return label
}

// paragraphText is a protokoll paragraph in words.
func paragraphText(p db.CaseParagraph) string {
	head := strings.TrimSpace(p.Label + " " + p.BodyName + " " + p.MeetingDate.String())
	if t := p.Type.Label(); t != "" {
		head += ": " + t
	}
	if p.Text != "" {
		head += ". " + p.Text
	}
	return head
}

// local writes an instant as Stockholm local time without zone
// (YYYY-MM-DDTHH:MM:SS), the form FGS 1.0's EgetTidDatum takes and ERMS's
// xs:dateTime accepts.
func local(t time.Time) string { return t.In(workflow.Stockholm).Format("2006-01-02T15:04:05") }

// zoned writes an instant as Stockholm time with its UTC offset
// (xs:dateTime, RFC 3339), as ERMS's dates are written.
func zoned(t time.Time) string { return t.In(workflow.Stockholm).Format(time.RFC3339) }

// reportText is the tjänsteskrivelse with its decision as plain text, the
// case's own record in the package.
func reportText(r db.ArchiveRecord) []byte {
	c := r.Case
	var b strings.Builder
	fmt.Fprintf(&b, "Tjänsteskrivelse\n\nDiarienummer: %s\n", c.Number)
	if c.Reference != "" {
		fmt.Fprintf(&b, "Diarienummer i dokumentet: %s\n", c.Reference)
	}
	fmt.Fprintf(&b, "Nämnd: %s (%s)\nRubrik: %s\nHandläggare: %s\nRegistrerat: %s\n", c.Board.Name, c.Board.Code, c.Title, c.Officer.Name, local(c.CreatedAt))
	if c.Secret {
		fmt.Fprintf(&b, "Sekretess: %s\n", workflow.WithheldText)
	}
	section := func(h, text string) {
		if strings.TrimSpace(text) != "" {
			fmt.Fprintf(&b, "\n%s\n%s\n", h, strings.TrimSpace(text))
		}
	}
	section("Sammanfattning", c.Summary)
	if len(c.Proposals) > 0 {
		b.WriteString("\nFörslag till beslut\n")
		for i, p := range c.Proposals {
			fmt.Fprintf(&b, "%d. %s\n", i+1, p)
		}
	}
	if len(c.Attachments) > 0 {
		b.WriteString("\nBeslutsunderlag\n")
		for _, a := range c.Attachments {
			fmt.Fprintf(&b, "- %s\n", a.Name)
		}
	}
	if len(c.Recipients) > 0 {
		b.WriteString("\nBeslutet skickas till\n")
		for _, m := range c.Recipients {
			fmt.Fprintf(&b, "- %s\n", m.Name)
		}
	}
	section("Ärendet", c.Background)
	if len(c.Approvers) > 0 {
		b.WriteString("\nAnsvariga\n")
		for _, a := range c.Approvers {
			fmt.Fprintf(&b, "- %s, %s\n", a.Name, a.Position)
		}
	}
	if d := c.Decision; d != nil {
		fmt.Fprintf(&b, "\nBeslut %s (%s)\n%s\n", strings.TrimSpace(d.Paragraph+" "+local(d.DecidedAt)), d.Type.Label(), d.Text)
	}
	if c.ClosedNote != "" {
		section("Avslutat", c.ClosedNote)
	}
	return []byte(b.String())
}

// deliveryText is the package's documentation: what it holds and how.
func deliveryText(st state, files int) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "Arkivleverans från Beslutsgång\n\n")
	fmt.Fprintf(&b, "Leverans: %s\nArkivbildare: %s (%s)\n", st.ID, st.BoardName, st.Board)
	fmt.Fprintf(&b, "Innehåll: %d avslutade ärenden, avslutade före %s\n", len(st.Cases), st.ClosedBefore)
	format := "E-ARK CITS ERMS 2.1 (FGS Ärendehantering 2.0), metadata/descriptive/ERMS.xml"
	if st.Format == FormatFGS1 {
		format = "FGS Ärendehantering 1.0, metadata/descriptive/Arendehantering.xml"
	}
	fmt.Fprintf(&b, "Metadata: %s\nPaketstruktur: E-ARK SIP 2.1.0 och CSIP 2.1.0 (FGS Paketstruktur 2.0), METS.xml med SHA-256 för varje fil\n", format)
	fmt.Fprintf(&b, "Filer i representations/rep1/data: %d, en mapp per ärende; 00_tjansteskrivelse.txt är ärendets tjänsteskrivelse och beslut som text\n", files)
	fmt.Fprintf(&b, "Sekretess: ärenden märkta med sekretess har en restriktion med lagrum: %s\n", st.Ground)
	fmt.Fprintf(&b, "Skapad: %s\n\nÄrenden:\n", local(st.Created))
	for _, n := range st.Cases {
		fmt.Fprintf(&b, "%s\n", n)
	}
	return []byte(b.String())
}
