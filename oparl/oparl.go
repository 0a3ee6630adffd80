// Package oparl is Beslutsgång as OParl 1.1 objects (https://oparl.org,
// specification and schemas at github.com/OParl/spec, tag v1.1.1): the Go
// types of the twelve object types, the list page and the Error object, and
// the mapping from the store's rows (db/oparl.go) to them. It knows no HTTP;
// handlers/public_oparl*.go serves it under /oparl/v1.1/.
//
// The mapping (OParl 1.1 §3):
//
//	System          the installation                          /oparl/v1.1/
//	Body            a board (nämnd); a council organ (KF) is   /oparl/v1.1/body/{code}
//	                a Body of its own
//	Organization    a meeting body (organ) of a board          /oparl/v1.1/organization/{code}
//	Person          a member of an organ (name only)           /oparl/v1.1/person/{id}
//	Membership      that member's seat: organ and role         /oparl/v1.1/membership/{id}
//	Meeting         a sammanträde                              /oparl/v1.1/meeting/{id}
//	AgendaItem      a point of its föredragningslista, with §  /oparl/v1.1/agendaitem/{id}
//	Paper           a case (ärende), as the diary registers it  /oparl/v1.1/paper/{number}
//	Consultation    a route step of a case at an organ         /oparl/v1.1/consultation/{number}/{pos}
//	File            the protokoll of a posted meeting           /oparl/v1.1/file/protokoll-{meeting id}
//	Location        a meeting's place                          /oparl/v1.1/location/{meeting id}
//	LegislativeTerm a mandatperiod of a Body                   /oparl/v1.1/legislativeterm/{body code}-{start year}
//
// Secrecy follows the public diary (handlers/diary.go, workflow/diary.go):
// the registration of a case is public (OSL 5 kap 1–2 §§), so a secret case
// is a Paper with its reference, date and Body, its name replaced by
// workflow.WithheldText, and nothing of its texts: an agenda item of it has
// the same name and no resolution text. A draft is registered too and shows
// as the diary shows it.
package oparl

import (
	"encoding/json"
	"net/url"
	"strconv"
	"time"

	"github.com/kommun/beslutsgang/workflow"
)

// Version is the OParl version served, System.oparlVersion.
const Version = "https://schema.oparl.org/1.1/"

// Prefix is the path of the System object; every other object's path is under it.
const Prefix = "/oparl/v1.1/"

// The type URLs (OParl 1.1 §3.1 "type").
const (
	TypeSystem          = Version + "System"
	TypeBody            = Version + "Body"
	TypeOrganization    = Version + "Organization"
	TypePerson          = Version + "Person"
	TypeMembership      = Version + "Membership"
	TypeMeeting         = Version + "Meeting"
	TypeAgendaItem      = Version + "AgendaItem"
	TypePaper           = Version + "Paper"
	TypeConsultation    = Version + "Consultation"
	TypeFile            = Version + "File"
	TypeLocation        = Version + "Location"
	TypeLegislativeTerm = Version + "LegislativeTerm"
	TypeError           = Version + "Error"
)

// PaperType is the paperType of every Paper: a case carries a tjänsteskrivelse.
const PaperType = "Tjänsteskrivelse"

// Time is a date-time as OParl writes it (§2.4 "Datums- und Zeitangaben"):
// yyyy-mm-ddThh:mm:ss±hh:mm, in Europe/Stockholm. The zero Time is omitted
// where the field has omitempty (a pointer), so fields use *Time.
type Time struct{ time.Time }

// Layout is the form of an OParl date-time.
const Layout = "2006-01-02T15:04:05-07:00"

// MarshalJSON writes t in Layout, in Stockholm time.
func (t Time) MarshalJSON() ([]byte, error) {
	return json.Marshal(t.In(workflow.Stockholm).Format(Layout))
}

// At is t as an OParl time; nil for the zero time.
func At(t time.Time) *Time {
	if t.IsZero() {
		return nil
	}
	return &Time{t}
}

// Date is a date of the form yyyy-mm-dd; "" is omitted.
func Date(d workflow.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

// URLs builds the canonical ids from the public base URL (scheme and host,
// no trailing slash), e.g. https://beslut.kommun.se.
type URLs struct{ Base string }

func (u URLs) path(p ...string) string {
	out := u.Base + Prefix
	for i, s := range p {
		if i > 0 {
			out += "/"
		}
		out += url.PathEscape(s)
	}
	return out
}

// System is the id of the System object: the API's entry point.
func (u URLs) System() string { return u.Base + Prefix }

// Bodies is the list of every Body.
func (u URLs) Bodies() string { return u.path("body") }

// Body is a Body's id; BodyList one of its lists (organization, person, …).
func (u URLs) Body(code string) string { return u.path("body", code) }

// BodyList is the list name of the Body code, e.g. /body/ASN/paper.
func (u URLs) BodyList(code, list string) string { return u.path("body", code, list) }

// Organization is an organ's id.
func (u URLs) Organization(code string) string { return u.path("organization", code) }

// Person is a member's id as a Person; Membership as the seat.
func (u URLs) Person(id int64) string { return u.path("person", strconv.FormatInt(id, 10)) }

// Membership is a member's seat's id.
func (u URLs) Membership(id int64) string { return u.path("membership", strconv.FormatInt(id, 10)) }

// Meeting is a meeting's id.
func (u URLs) Meeting(id int64) string { return u.path("meeting", strconv.FormatInt(id, 10)) }

// AgendaItem is an agenda item's id.
func (u URLs) AgendaItem(id int64) string { return u.path("agendaitem", strconv.FormatInt(id, 10)) }

// Paper is a case's id, by its number.
func (u URLs) Paper(number string) string { return u.path("paper", number) }

// Consultation is a route step's id: the case's number and the step's position.
func (u URLs) Consultation(number string, pos int) string {
	return u.path("consultation", number, strconv.Itoa(pos))
}

// ProtokollFile is the id of a meeting's protokoll as a File.
func (u URLs) ProtokollFile(meetingID int64) string {
	return u.path("file", "protokoll-"+strconv.FormatInt(meetingID, 10))
}

// ProtokollPDF is where the published protokoll is read: the public
// protokoll pages' address, /protokoll/{body code}/{YYYY-MM-DD}.pdf, served
// inline (no Content-Disposition: attachment, OParl 1.1 §2.7).
func (u URLs) ProtokollPDF(organCode string, d workflow.Date) string {
	return u.Base + "/protokoll/" + url.PathEscape(organCode) + "/" + d.String() + ".pdf"
}

// Location is the id of a meeting's place.
func (u URLs) Location(meetingID int64) string {
	return u.path("location", strconv.FormatInt(meetingID, 10))
}

// LegislativeTerm is the id of a Body's mandatperiod starting in year.
func (u URLs) LegislativeTerm(bodyCode string, year int) string {
	return u.path("legislativeterm", bodyCode+"-"+strconv.Itoa(year))
}
