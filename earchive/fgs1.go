package earchive

import (
	"encoding/xml"
	"fmt"
	"strconv"

	"github.com/google/uuid"
)

// FGS1Namespace is the namespace of FGS Ärendehantering 1.0.
const FGS1Namespace = "http://xml.ra.se/e-arkiv/FGS-ERMS"

// uuidSpace names the Systemidentifierare of FGS 1.0 (name-based UUIDs,
// RFC 9562 version 5), so a case has the same identifier in every package.
var uuidSpace = uuid.MustParse("6f0d1c4e-9b7a-5d2e-8f43-0a1b2c3d4e5f")

// The FGS 1.0 elements Beslutsgång writes, in the order of the schema's
// sequences (ArkivobjektArendeTyp, ArkivobjektHandlingTyp).
type (
	fgsRoot struct {
		XMLName        xml.Name     `xml:"Leveransobjekt"`
		Xmlns          string       `xml:"xmlns,attr"`
		XmlnsXSI       string       `xml:"xmlns:xsi,attr"`
		SchemaLocation string       `xml:"xsi:schemaLocation,attr"`
		Arenden        ermsInnerXML `xml:"ArkivobjektListaArenden"`
	}
	fgsArende struct {
		XMLName       xml.Name         `xml:"ArkivobjektArende"`
		SystemID      string           `xml:"Systemidentifierare,attr"`
		ID            string           `xml:"ArkivobjektID"`
		ExtraID       []fgsExtraID     `xml:"ExtraID,omitempty"`
		Avslutat      string           `xml:"Avslutat"`
		Beskrivning   string           `xml:"Beskrivning,omitempty"`
		Beslutat      []string         `xml:"Beslutat,omitempty"`
		Agenter       []fgsAgent       `xml:"Agent"`
		Restriktioner []fgsRestriktion `xml:"Restriktion,omitempty"`
		Skapad        string           `xml:"Skapad"`
		Status        string           `xml:"StatusArande"`
		Expedierad    string           `xml:"Expedierad,omitempty"`
		Arendemening  string           `xml:"Arendemening"`
		EgnaElement   *fgsEgnaElement  `xml:"EgnaElement,omitempty"`
		Handlingar    []fgsHandling    `xml:"ArkivobjektListaHandlingar>ArkivobjektHandling"`
	}
	fgsExtraID struct {
		Typ   string `xml:"ExtraIDTyp,attr,omitempty"`
		Value string `xml:",chardata"`
	}
	fgsAgent struct {
		Roll      string `xml:"Roll"`
		Namn      string `xml:"Namn"`
		OrgNamn   string `xml:"Organisationsnamn,omitempty"`
		EnhetNamn string `xml:"Enhetsnamn,omitempty"`
	}
	fgsRestriktion struct {
		Typ    string `xml:"Typ,attr"`
		Text   string `xml:"ForklarandeText,omitempty"`
		Lagrum string `xml:"Lagrum"`
	}
	fgsEgnaElement struct {
		Beskrivning string           `xml:"EgnaElementBeskrivning"`
		Element     []fgsEgetElement `xml:"EgetElement"`
	}
	fgsEgetElement struct {
		Namn    string           `xml:"Namn,attr"`
		DataTyp string           `xml:"DataTyp,attr,omitempty"`
		Varde   string           `xml:"Varde,omitempty"`
		Element []fgsEgetElement `xml:"EgetElement,omitempty"`
	}
	fgsHandling struct {
		SystemID      string           `xml:"Systemidentifierare,attr"`
		ID            string           `xml:"ArkivobjektID"`
		Handlingstyp  string           `xml:"Handlingstyp"`
		Agenter       []fgsAgent       `xml:"Agent"`
		Rubrik        string           `xml:"Rubrik"`
		Skapad        string           `xml:"Skapad"`
		Status        string           `xml:"StatusHandling"`
		Restriktioner []fgsRestriktion `xml:"Restriktion,omitempty"`
		Bilagor       []fgsBilaga      `xml:"Bilaga,omitempty"`
	}
	fgsBilaga struct {
		Namn        string `xml:"Namn,attr"`
		Beskrivning string `xml:"Beskrivning,attr,omitempty"`
		Lank        string `xml:"Lank,attr"`
		Storlek     int64  `xml:"Storlek,attr"`
		Mimetyp     string `xml:"Mimetyp,attr"`
		Checksumma  string `xml:"Checksumma,attr"`
		Metod       string `xml:"ChecksummaMetod,attr"`
	}
)

// fgs1Document is Arendehantering.xml: a Leveransobjekt with the cases.
func fgs1Document(st state, parts [][]byte) ([]byte, error) {
	inner := joinParts(parts)
	return marshalDoc(fgsRoot{Xmlns: FGS1Namespace, XmlnsXSI: "http://www.w3.org/2001/XMLSchema-instance",
		SchemaLocation: FGS1Namespace + " ../../schemas/Arendehantering.xsd", Arenden: ermsInnerXML{Inner: inner}})
}

// fgs1Case is one case as an ArkivobjektArende with its documents as
// ArkivobjektHandling; the history and the paragraphs, which FGS 1.0 has no
// element for, are EgnaElement.
func fgs1Case(d caseDoc) ([]byte, error) {
	c := d.Record.Case
	a := fgsArende{SystemID: "UUID:" + uuid.NewSHA1(uuidSpace, []byte("arende:"+c.Number)).String(), ID: c.Number,
		Avslutat: local(d.Record.ClosedAt), Beskrivning: c.Summary, Skapad: local(c.CreatedAt), Status: "Stängt", Arendemening: c.Title}
	if c.Reference != "" {
		a.ExtraID = append(a.ExtraID, fgsExtraID{Typ: "Diarienummer i tjänsteskrivelsen", Value: c.Reference})
	}
	if c.Decision != nil && !c.Decision.DecidedAt.IsZero() {
		a.Beslutat = append(a.Beslutat, local(c.Decision.DecidedAt))
	}
	if c.Decision != nil && c.Decision.DispatchedAt != nil {
		a.Expedierad = local(*c.Decision.DispatchedAt)
	}
	a.Agenter = append(a.Agenter, fgsAgent{Roll: "Handläggare", Namn: c.Officer.Name, OrgNamn: c.Board.Name})
	for _, ap := range c.Approvers {
		a.Agenter = append(a.Agenter, fgsAgent{Roll: "Ansvarig chef", Namn: ap.Name, OrgNamn: c.Board.Name, EnhetNamn: ap.Position})
	}
	for _, s := range d.secretaries() {
		a.Agenter = append(a.Agenter, fgsAgent{Roll: "Nämndsekreterare", Namn: s.Name, OrgNamn: c.Board.Name})
	}
	for _, r := range c.Recipients {
		a.Agenter = append(a.Agenter, fgsAgent{Roll: "Mottagare av beslutet", Namn: r.Name})
	}
	restr := fgsRestriktioner(c.Secret, d.Ground)
	a.Restriktioner = restr
	hist := &fgsEgnaElement{Beskrivning: "Ärendets historik (händelser och protokollsparagrafer) ur Beslutsgång"}
	for _, e := range d.Record.Events {
		el := fgsEgetElement{Namn: "Handelse", Element: []fgsEgetElement{
			{Namn: "Tidpunkt", DataTyp: "dateTime", Varde: local(e.At)},
			{Namn: "Atgard", DataTyp: "string", Varde: e.Action},
			{Namn: "Beskrivning", DataTyp: "string", Varde: eventText(e)},
			{Namn: "UtfordAv", DataTyp: "string", Varde: e.Actor.Name},
		}}
		if e.Reason != "" {
			el.Element = append(el.Element, fgsEgetElement{Namn: "Motivering", DataTyp: "string", Varde: e.Reason})
		}
		if e.Action == "decide" && c.Decision != nil {
			el.Element = append(el.Element, fgsEgetElement{Namn: "Beslut", DataTyp: "string", Varde: c.Decision.Type.Label() + ". " + c.Decision.Text})
		}
		hist.Element = append(hist.Element, el)
	}
	for _, p := range d.Record.Paragraphs {
		hist.Element = append(hist.Element, fgsEgetElement{Namn: "Paragraf", Element: []fgsEgetElement{
			{Namn: "Sammantradesdatum", DataTyp: "date", Varde: p.MeetingDate.String()},
			{Namn: "Organ", DataTyp: "string", Varde: p.BodyName},
			{Namn: "Beskrivning", DataTyp: "string", Varde: paragraphText(p)},
		}})
	}
	a.EgnaElement = hist
	a.Handlingar = append(a.Handlingar, fgsHandling{SystemID: "UUID:" + uuid.NewSHA1(uuidSpace, []byte("tjansteskrivelse:"+c.Number)).String(),
		ID: c.Number + ":0", Handlingstyp: "Tjänsteskrivelse", Agenter: []fgsAgent{{Roll: "Upprättare", Namn: c.Officer.Name}},
		Rubrik: "Tjänsteskrivelse: " + c.Title, Skapad: local(c.CreatedAt), Status: "Upprättad", Restriktioner: restr,
		Bilagor: []fgsBilaga{fgsBilagaOf("00_tjansteskrivelse.txt", "Tjänsteskrivelsen och beslutet som text", d.Report)}})
	for _, doc := range d.Docs {
		at := doc.Attachment
		h := fgsHandling{SystemID: "UUID:" + uuid.NewSHA1(uuidSpace, []byte("bilaga:"+strconv.FormatInt(at.ID, 10))).String(),
			ID: fmt.Sprintf("%s:%d", c.Number, at.ID), Handlingstyp: "Beslutsunderlag", Agenter: []fgsAgent{{Roll: "Registrerad av", Namn: at.UploadedBy.Name}},
			Rubrik: at.Name, Skapad: local(at.UploadedAt), Status: "Inkommen", Restriktioner: restr}
		if doc.File != nil {
			h.Bilagor = []fgsBilaga{fgsBilagaOf(at.Name, "", *doc.File)}
		}
		a.Handlingar = append(a.Handlingar, h)
	}
	return xml.MarshalIndent(a, "  ", "  ")
}

func fgsBilagaOf(name, desc string, f file) fgsBilaga {
	// Lank is relative to the package root, where METS.xml lists the same path.
	return fgsBilaga{Namn: name, Beskrivning: desc, Lank: f.Path, Storlek: f.Size, Mimetyp: f.MimeType,
		Checksumma: f.SHA256, Metod: "SHA-256"}
}

// fgsRestriktioner is the Restriktion of a secret case: Sekretess, with its
// Lagrum.
func fgsRestriktioner(secret bool, ground string) []fgsRestriktion {
	if !secret {
		return nil
	}
	return []fgsRestriktion{{Typ: "Sekretess", Text: "Uppgiften omfattas av sekretess", Lagrum: ground}}
}
