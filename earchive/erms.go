package earchive

import (
	"encoding/xml"
	"fmt"
	"strconv"

	"github.com/kommun/beslutsgang/workflow"
)

// ERMSNamespace is the namespace of E-ARK CITS ERMS (schema 2.1.2).
const ERMSNamespace = "https://DILCIS.eu/XML/ERMS"

// The ERMS elements Beslutsgång writes, in the order of the schema's
// sequences (ERMS.xsd: aggregationType, recordType, actionType).
type (
	ermsRoot struct {
		XMLName        xml.Name     `xml:"erms"`
		Xmlns          string       `xml:"xmlns,attr"`
		XmlnsXSI       string       `xml:"xmlns:xsi,attr"`
		SchemaLocation string       `xml:"xsi:schemaLocation,attr"`
		Control        ermsControl  `xml:"control"`
		Aggregations   ermsInnerXML `xml:"aggregations"`
	}
	ermsInnerXML struct {
		Inner []byte `xml:",innerxml"`
	}
	ermsControl struct {
		Identification []ermsIdent     `xml:"identification"`
		Maintenance    ermsMaintenance `xml:"maintenanceInformation"`
	}
	ermsIdent struct {
		Type  string `xml:"identificationType,attr"`
		Value string `xml:",chardata"`
	}
	ermsMaintenance struct {
		Status  ermsValue        `xml:"maintenanceStatus"`
		Agency  ermsAgency       `xml:"maintenanceAgency"`
		History []ermsMaintEvent `xml:"maintenanceHistory>maintenanceEvent"`
	}
	ermsValue struct {
		Value string `xml:"value,attr"`
	}
	ermsAgency struct {
		Name string `xml:"agencyName"`
	}
	ermsMaintEvent struct {
		Type  ermsValue `xml:"eventType"`
		At    string    `xml:"eventDateTime"`
		Agent ermsAgent `xml:"agent"`
	}
	ermsAgent struct {
		Type      string `xml:"agentType,attr"`
		OtherType string `xml:"otherAgentType,attr,omitempty"`
		Name      string `xml:"name"`
		Org       string `xml:"organisation,omitempty"`
		Role      string `xml:"role,omitempty"`
	}
	ermsAggregation struct {
		XMLName      xml.Name          `xml:"aggregation"`
		SystemID     string            `xml:"systemIdentifier,attr"`
		Type         string            `xml:"aggregationType,attr"`
		ObjectID     string            `xml:"objectId"`
		ExtraID      []ermsExtraID     `xml:"extraId,omitempty"`
		Title        string            `xml:"title"`
		Status       ermsValue         `xml:"status"`
		Restrictions []ermsRestriction `xml:"restriction,omitempty"`
		Agents       []ermsAgent       `xml:"agents>agent,omitempty"`
		Description  string            `xml:"description,omitempty"`
		Dates        []ermsDate        `xml:"dates>date"`
		Actions      []ermsAction      `xml:"action,omitempty"`
		Records      []ermsRecord      `xml:"record"`
	}
	ermsExtraID struct {
		Type  string `xml:"extraIdType,attr"`
		Value string `xml:",chardata"`
	}
	ermsRestriction struct {
		Type        string `xml:"restrictionType,attr"`
		Explanatory string `xml:"explanatoryText,omitempty"`
		Regulation  string `xml:"regulation"`
	}
	ermsDate struct {
		Type      string `xml:"dateType,attr"`
		OtherType string `xml:"otherDateType,attr,omitempty"`
		Value     string `xml:",chardata"`
	}
	ermsAction struct {
		Text       string      `xml:"actionText"`
		Motivation string      `xml:"actionMotivation,omitempty"`
		Type       string      `xml:"actionType,omitempty"`
		Dates      []ermsDate  `xml:"dates>actionDate,omitempty"`
		Agents     []ermsAgent `xml:"agents>agent,omitempty"`
	}
	ermsRecord struct {
		SystemID     string            `xml:"systemIdentifier,attr"`
		RecordType   string            `xml:"recordType,attr,omitempty"`
		ObjectID     string            `xml:"objectId"`
		Title        string            `xml:"title"`
		Restrictions []ermsRestriction `xml:"restriction,omitempty"`
		Agents       []ermsAgent       `xml:"agents>agent,omitempty"`
		Dates        []ermsDate        `xml:"dates>date,omitempty"`
		Appendix     []ermsAppendix    `xml:"additionalInformation>appendix,omitempty"`
	}
	ermsAppendix struct {
		Name        string `xml:"name,attr"`
		Description string `xml:"description,attr,omitempty"`
		FileFormat  string `xml:"fileFormat,attr,omitempty"`
		Path        string `xml:"path,attr"`
	}
)

// ermsDocument is ERMS.xml: the control section and the cases' aggregations.
func ermsDocument(st state, parts [][]byte) ([]byte, error) {
	inner := joinParts(parts)
	root := ermsRoot{Xmlns: ERMSNamespace, XmlnsXSI: "http://www.w3.org/2001/XMLSchema-instance",
		SchemaLocation: ERMSNamespace + " ../../schemas/ERMS.xsd",
		Control: ermsControl{
			Identification: []ermsIdent{{Type: "deliveryId", Value: st.ID}, {Type: "system", Value: softwareName}},
			Maintenance: ermsMaintenance{Status: ermsValue{"new"}, Agency: ermsAgency{Name: st.BoardName},
				History: []ermsMaintEvent{{Type: ermsValue{"created"}, At: zoned(st.Created),
					Agent: ermsAgent{Type: "creator", Name: softwareName}}}},
		},
		Aggregations: ermsInnerXML{Inner: inner}}
	return marshalDoc(root)
}

// ermsCase is one case as an aggregation of type caseFile.
func ermsCase(d caseDoc) ([]byte, error) {
	c := d.Record.Case
	a := ermsAggregation{SystemID: "beslutsgang:arende:" + c.Number, Type: "caseFile", ObjectID: c.Number,
		Title: c.Title, Status: ermsValue{"closed"}, Description: c.Summary}
	if c.Reference != "" {
		a.ExtraID = append(a.ExtraID, ermsExtraID{Type: "diarienummer i tjänsteskrivelsen", Value: c.Reference})
	}
	restrictions := ermsRestrictions(c.Secret, d.Ground)
	a.Restrictions = restrictions
	a.Agents = append(a.Agents, ermsAgent{Type: "responsible_person", Name: c.Officer.Name, Org: c.Board.Name, Role: "Handläggare"})
	for _, ap := range c.Approvers {
		a.Agents = append(a.Agents, ermsAgent{Type: "authorising_person", Name: ap.Name, Org: c.Board.Name, Role: "Ansvarig chef, " + ap.Position})
	}
	for _, s := range d.secretaries() {
		a.Agents = append(a.Agents, ermsAgent{Type: "other", OtherType: "secretary", Name: s.Name, Org: c.Board.Name, Role: "Nämndsekreterare"})
	}
	for _, r := range c.Recipients {
		a.Agents = append(a.Agents, ermsAgent{Type: "recipient", Name: r.Name, Role: "Beslutet skickas till"})
	}
	a.Dates = append(a.Dates, ermsDate{Type: "created", Value: zoned(c.CreatedAt)})
	if c.Decision != nil && !c.Decision.DecidedAt.IsZero() {
		a.Dates = append(a.Dates, ermsDate{Type: "decision", Value: zoned(c.Decision.DecidedAt)})
	}
	if c.Decision != nil && c.Decision.DispatchedAt != nil {
		a.Dates = append(a.Dates, ermsDate{Type: "expedited", Value: zoned(*c.Decision.DispatchedAt)})
	}
	a.Dates = append(a.Dates, ermsDate{Type: "closed", Value: zoned(d.Record.ClosedAt)})
	for _, e := range d.Record.Events {
		act := ermsAction{Text: eventText(e), Motivation: e.Reason, Type: e.Action,
			Dates: []ermsDate{ermsEventDate(e)}, Agents: []ermsAgent{{Type: "user", Name: e.Actor.Name}}}
		if e.Action == "decide" && c.Decision != nil {
			act.Text += ": " + c.Decision.Type.Label() + ". " + c.Decision.Text
		}
		a.Actions = append(a.Actions, act)
	}
	for _, p := range d.Record.Paragraphs {
		a.Actions = append(a.Actions, ermsAction{Text: paragraphText(p), Type: "paragraph",
			Dates:  []ermsDate{{Type: "decision", Value: zoned(p.MeetingDate.At(0, 0))}},
			Agents: []ermsAgent{{Type: "other", OtherType: "body", Name: p.BodyName}}})
	}
	a.Records = append(a.Records, ermsRecord{SystemID: "beslutsgang:tjansteskrivelse:" + c.Number, RecordType: "tjänsteskrivelse",
		ObjectID: c.Number + ":0", Title: "Tjänsteskrivelse: " + c.Title, Restrictions: restrictions,
		Agents: []ermsAgent{{Type: "creator", Name: c.Officer.Name, Role: "Handläggare"}},
		Dates:  []ermsDate{{Type: "created", Value: zoned(c.CreatedAt)}},
		Appendix: []ermsAppendix{{Name: "00_tjansteskrivelse.txt", Description: "Tjänsteskrivelsen och beslutet som text",
			FileFormat: d.Report.MimeType, Path: d.Report.Path}}})
	for _, doc := range d.Docs {
		at := doc.Attachment
		r := ermsRecord{SystemID: "beslutsgang:bilaga:" + strconv.FormatInt(at.ID, 10), RecordType: "beslutsunderlag",
			ObjectID: fmt.Sprintf("%s:%d", c.Number, at.ID), Title: at.Name, Restrictions: restrictions,
			Agents: []ermsAgent{{Type: "creator", Name: at.UploadedBy.Name}},
			Dates:  []ermsDate{{Type: "created", Value: zoned(at.UploadedAt)}}}
		if doc.File != nil {
			r.Appendix = []ermsAppendix{{Name: at.Name, FileFormat: doc.File.MimeType, Path: doc.File.Path}}
		}
		a.Records = append(a.Records, r)
	}
	return xml.MarshalIndent(a, "    ", "  ")
}

// ermsRestrictions is the restriction of a secret case: confidential, with
// its legal ground (regulation).
func ermsRestrictions(secret bool, ground string) []ermsRestriction {
	if !secret {
		return nil
	}
	return []ermsRestriction{{Type: "confidential", Explanatory: workflow.WithheldText, Regulation: ground}}
}

// ermsEventDate types an event's time by what happened.
func ermsEventDate(e workflow.Event) ermsDate {
	v := zoned(e.At)
	switch e.Action {
	case "create":
		return ermsDate{Type: "created", Value: v}
	case "decide":
		return ermsDate{Type: "decision", Value: v}
	case "dispatch":
		return ermsDate{Type: "expedited", Value: v}
	case "close", "withdraw":
		return ermsDate{Type: "closed", Value: v}
	}
	return ermsDate{Type: "other", OtherType: e.Action, Value: v}
}

// joinParts is the cases' rendered elements, each on a line of its own,
// for the document's inner XML.
func joinParts(parts [][]byte) []byte {
	var inner []byte
	for _, p := range parts {
		inner = append(inner, '\n')
		inner = append(inner, p...)
	}
	return append(inner, '\n')
}

// marshalDoc writes an XML document with its declaration.
func marshalDoc(v any) ([]byte, error) {
	b, err := xml.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(append([]byte(xml.Header), b...), '\n'), nil
}
