package protokoll

import "github.com/kommun/beslutsgang/workflow"

// Public renders the protokoll as published on the web (workflow.Publish):
// a paragraph on a secret case or one the secretary kept off the web shows
// only its §, its diarienummer and why. This is the fallback when no
// Chromium makes the tagged PDF (TaggedPDF): fpdf writes no structure tree,
// so this PDF is not tagged (lag 2018:1937 asks for an accessible document;
// the HTML page is the accessible version then).
func Public(pm workflow.PublicMinutes) ([]byte, error) {
	min := pm.Minutes
	return render(min.Meeting, "Protokoll", func(d *doc) {
		d.header("PROTOKOLL", min)
		d.attendance(min.Attendees)
		d.adjusters(min)
		if len(pm.Paragraphs) == 0 {
			d.text("Inga beslut är registrerade vid sammanträdet.")
		}
		for _, p := range pm.Paragraphs {
			if p.Shown {
				d.paragraph(p.Paragraph, false)
				continue
			}
			d.registration(p)
		}
		d.signatures(min)
		d.anslag(min.Meeting)
	})
}

// registration writes a paragraph that is not shown by its registration:
// "§ 12   Ärende som omfattas av sekretess" and its diarienummer.
func (d *doc) registration(p workflow.PublicParagraph) {
	title := p.Notice
	if label := p.Label(); label != "" {
		title = label + "   " + title
	}
	number := "Diarienummer " + p.CaseNumber
	d.keep(d.height(styleTitle, title, 0) + d.height(styleSmall, number, 0))
	d.write(styleTitle, title)
	d.write(styleSmall, number)
	d.rule()
}
