package protokoll

import (
	"fmt"

	"github.com/kommun/beslutsgang/workflow"
)

// AgendaPoint is one point of a föredragningslista as the PDF prints it.
type AgendaPoint struct {
	Title      string   // the point's heading; for a case, its title
	CaseNumber string   // a case's diarienummer; empty for the secretary's own points
	Secret     bool     // a case marked secret (sekretess): printed by its number only
	Proposals  []string // a case's förslag till beslut
}

// secretCase stands in for the title of a case marked secret, as in the
// protokoll.
const secretCase = "Ärende som omfattas av sekretess"

// Agenda renders a meeting's föredragningslista: the body, day, time and
// place, then each point numbered in its order, a case with its diarienummer
// and its förslag till beslut. A case marked secret is named by its number
// only, whoever asks for the list: it is mailed to the members with the
// kallelse and so leaves the service.
func Agenda(m workflow.Meeting, points []AgendaPoint) ([]byte, error) {
	return render(m, "Föredragningslista", func(d *doc) {
		d.write(styleName, m.Body.Name)
		d.write(styleKind, "FÖREDRAGNINGSLISTA")
		d.rule()
		d.field("Sammanträdesdatum", m.Date.String())
		d.field("Tid", timeSpan(m))
		d.field("Plats", m.Place)
		d.rule()
		if len(points) == 0 {
			d.text("Föredragningslistan har inga punkter än.")
			return
		}
		for i, p := range points {
			d.agendaPoint(i+1, p)
		}
	})
}

// agendaPoint writes point n. Its title, diarienummer, the heading of the
// proposals and the first lines of the first proposal stay on one page.
func (d *doc) agendaPoint(n int, p AgendaPoint) {
	title := p.Title
	var proposals []string
	if p.Secret {
		title = secretCase
	} else {
		for i, pr := range p.Proposals {
			proposals = append(proposals, fmt.Sprintf("%d. %s", i+1, pr))
		}
	}
	title = fmt.Sprintf("%d.   %s", n, orDash(title))
	number := ""
	if p.CaseNumber != "" {
		number = "Diarienummer " + p.CaseNumber
	}
	const heading = "Förslag till beslut"
	h := d.height(styleTitle, title, 0)
	if number != "" {
		h += d.height(styleSmall, number, 0)
	}
	if len(proposals) > 0 {
		h += d.height(styleHeading, heading, 0) + d.textHeight(proposals[0])
	}
	d.keep(h)
	d.write(styleTitle, title)
	if number != "" {
		d.write(styleSmall, number)
	}
	if len(proposals) > 0 {
		d.heading(heading, d.textHeight(proposals[0]))
		for _, pr := range proposals {
			d.text(pr)
		}
	}
	d.rule()
}
