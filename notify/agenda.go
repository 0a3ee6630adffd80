package notify

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/protokoll"
	"github.com/kommun/beslutsgang/workflow"
)

// AgendaPDF renders a meeting's föredragningslista (protokoll.Agenda) from its
// agenda items and the förslag till beslut of its cases by number
// (db.Notice.Proposals, db.Reader.AgendaProposals). A case marked secret is
// named by its number only and without its proposals, whatever the items
// hold: the list is mailed with the kallelse.
func AgendaPDF(m workflow.Meeting, items []db.AgendaItem, proposals map[string][]string) ([]byte, error) {
	points := make([]protokoll.AgendaPoint, 0, len(items))
	for _, it := range items {
		p := protokoll.AgendaPoint{Title: it.Title}
		if it.Case != nil {
			p.Title, p.CaseNumber, p.Secret = it.Case.Title, it.Case.Number, it.Case.Secret
			if !p.Secret {
				p.Proposals = proposals[it.Case.Number]
			}
		}
		points = append(points, p)
	}
	return lastPDF.get("agenda", struct {
		M workflow.Meeting
		P []protokoll.AgendaPoint
	}{m, points}, func() ([]byte, error) { return protokoll.Agenda(m, points) })
}

// AgendaFileName is the file name of a meeting's föredragningslista.
func AgendaFileName(m workflow.Meeting) string {
	return fileName("foredragningslista", m.Body.Code, m.Date.String()) + ".pdf"
}

// extractFileName is the file name of a protokollsutdrag,
// "protokollsutdrag-KS-2026-paragraf-1.pdf": "paragraf" keeps it from reading
// as a case number (KS-2026-1).
func extractFileName(m workflow.Meeting, p workflow.Paragraph) string {
	return fileName("protokollsutdrag", m.Body.Code, fmt.Sprint(p.Year), "paragraf", fmt.Sprint(p.Number)) + ".pdf"
}

// fileName joins parts with "-" into a name of ASCII letters, digits, "-"
// and "_": å, ä and ö become a, a and o, anything else "-". Mail clients
// differ in how they read other names (RFC 2231 or 2047), and some not at all.
func fileName(parts ...string) string {
	fold := strings.NewReplacer("å", "a", "ä", "a", "ö", "o", "Å", "A", "Ä", "A", "Ö", "O", "é", "e", "É", "E", "ü", "u", "Ü", "U")
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			return r
		}
		return '-'
	}, fold.Replace(strings.Join(parts, "-")))
}

// pdfAttachment is a PDF as a mail attachment.
func pdfAttachment(name string, pdf []byte) db.MailAttachment {
	return db.MailAttachment{Name: name, ContentType: "application/pdf", Size: len(pdf), Data: pdf}
}

// lastPDF keeps the document rendered last, so the kallelse composed for
// each member of a body, in one transaction, renders its föredragningslista
// once rather than once per member.
var lastPDF pdfMemo

type pdfMemo struct {
	mu  sync.Mutex
	key [sha256.Size]byte
	pdf []byte
}

// get returns the document of kind for input: the one kept when input is
// the same as last time, else render's, which is then kept.
func (p *pdfMemo) get(kind string, input any, render func() ([]byte, error)) ([]byte, error) {
	b, err := json.Marshal(input)
	if err != nil {
		return render()
	}
	key := sha256.Sum256(append([]byte(kind+"\x00"), b...))
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.pdf != nil && p.key == key {
		return p.pdf, nil
	}
	pdf, err := render()
	if err != nil {
		return nil, err
	}
	p.key, p.pdf = key, pdf
	return pdf, nil
}
