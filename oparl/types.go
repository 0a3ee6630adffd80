package oparl

import (
	"bytes"
	"encoding/json"
)

// The object types of OParl 1.1 §3, with the fields Beslutsgång fills. Every
// optional field is omitted when empty (§2.4 "null-Werte und leere Listen"):
// no "", no null, no []; a required list is always written. created and
// modified are written on every object, also embedded ones (OParl 1.1 made
// them required for all, §4.1).

// Common is what every object carries: id, type, and its times; Deleted
// marks a deleted object (§2.8), which then carries nothing else.
type Common struct {
	ID       string `json:"id"`
	Type     string `json:"type"`
	Created  *Time  `json:"created,omitempty"`
	Modified *Time  `json:"modified,omitempty"`
	Deleted  bool   `json:"deleted,omitempty"`
}

// Deleted is what a deleted object keeps (§2.8): id, type, created,
// modified (the time of deletion) and deleted: true.
func Deleted(id, typ string, created, modified *Time) Common {
	return Common{ID: id, Type: typ, Created: created, Modified: modified, Deleted: true}
}

// System is the installation (§3 oparl:System), the entry point.
type System struct {
	Common
	OParlVersion string `json:"oparlVersion"`
	Body         string `json:"body"` // the list of bodies
	Name         string `json:"name,omitempty"`
	Website      string `json:"website,omitempty"`
	Product      string `json:"product,omitempty"`
}

// Body is a board, or a council (§3 oparl:Body). The lists are external
// object lists; legislativeTerm is embedded.
type Body struct {
	Common
	System              string            `json:"system,omitempty"`
	ShortName           string            `json:"shortName,omitempty"`
	Name                string            `json:"name"`
	Website             string            `json:"website,omitempty"`
	Organization        string            `json:"organization"`
	Person              string            `json:"person"`
	Meeting             string            `json:"meeting"`
	Paper               string            `json:"paper"`
	LegislativeTerm     []LegislativeTerm `json:"legislativeTerm"`
	AgendaItem          string            `json:"agendaItem,omitempty"`
	Consultation        string            `json:"consultation,omitempty"`
	File                string            `json:"file,omitempty"`
	LocationList        string            `json:"locationList,omitempty"`
	LegislativeTermList string            `json:"legislativeTermList,omitempty"`
	Membership          string            `json:"membership,omitempty"`
	Classification      string            `json:"classification,omitempty"`
}

// LegislativeTerm is a mandatperiod (§3 oparl:LegislativeTerm).
type LegislativeTerm struct {
	Common
	Body      string `json:"body,omitempty"` // omitted when embedded in its Body
	Name      string `json:"name,omitempty"`
	StartDate string `json:"startDate,omitempty"`
	EndDate   string `json:"endDate,omitempty"`
}

// Organization is an organ (§3 oparl:Organization).
type Organization struct {
	Common
	Body             string   `json:"body,omitempty"`
	Name             string   `json:"name,omitempty"`
	ShortName        string   `json:"shortName,omitempty"`
	Membership       []string `json:"membership,omitempty"`
	OrganizationType string   `json:"organizationType,omitempty"`
	Classification   string   `json:"classification,omitempty"`
}

// Person is a member of an organ: a name, nothing else about them (§3
// oparl:Person). The membership is embedded, without its person.
type Person struct {
	Common
	Body       string       `json:"body,omitempty"`
	Name       string       `json:"name,omitempty"`
	Membership []Membership `json:"membership,omitempty"`
}

// Membership is a member's seat in an organ (§3 oparl:Membership).
type Membership struct {
	Common
	Person       string `json:"person,omitempty"` // omitted when embedded in its Person
	Organization string `json:"organization,omitempty"`
	Role         string `json:"role,omitempty"`
	VotingRight  *bool  `json:"votingRight,omitempty"`
}

// Meeting is a sammanträde (§3 oparl:Meeting).
type Meeting struct {
	Common
	Name            string       `json:"name,omitempty"`
	MeetingState    string       `json:"meetingState,omitempty"`
	Start           *Time        `json:"start,omitempty"`
	End             *Time        `json:"end,omitempty"`
	Location        *Location    `json:"location,omitempty"`
	Organization    []string     `json:"organization,omitempty"`
	Participant     []string     `json:"participant,omitempty"`
	ResultsProtocol *File        `json:"resultsProtocol,omitempty"`
	AgendaItem      []AgendaItem `json:"agendaItem,omitempty"`
}

// AgendaItem is a point of a föredragningslista (§3 oparl:AgendaItem).
type AgendaItem struct {
	Common
	Meeting        string `json:"meeting,omitempty"` // omitted when embedded in its Meeting
	Number         string `json:"number,omitempty"`
	Order          int    `json:"order"`
	Name           string `json:"name,omitempty"`
	Public         *bool  `json:"public,omitempty"`
	Consultation   string `json:"consultation,omitempty"`
	Result         string `json:"result,omitempty"`
	ResolutionText string `json:"resolutionText,omitempty"`
}

// MarshalJSON writes a deleted item as its Common alone: order, which the
// schema asks of every AgendaItem, is one of the attributes a deleted
// object drops (§2.8 "Gelöschte Objekte": id, type, created, modified and
// deleted remain). Text is written as is, without HTML escapes (§2.4), as
// the handlers' encoder writes everything else. It returns encoding/json's
// errors.
func (a AgendaItem) MarshalJSON() ([]byte, error) {
	type plain AgendaItem // without this method
	var v any = plain(a)
	if a.Deleted {
		v = a.Common
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// Paper is a case (§3 oparl:Paper).
type Paper struct {
	Common
	Body         string         `json:"body,omitempty"`
	Name         string         `json:"name,omitempty"`
	Reference    string         `json:"reference,omitempty"`
	Date         string         `json:"date,omitempty"`
	PaperType    string         `json:"paperType,omitempty"`
	Consultation []Consultation `json:"consultation,omitempty"`
}

// Consultation is a case's route step at an organ (§3 oparl:Consultation).
type Consultation struct {
	Common
	Paper         string   `json:"paper,omitempty"` // omitted when embedded in its Paper
	AgendaItem    string   `json:"agendaItem,omitempty"`
	Meeting       string   `json:"meeting,omitempty"`
	Organization  []string `json:"organization,omitempty"`
	Authoritative *bool    `json:"authoritative,omitempty"`
	Role          string   `json:"role,omitempty"`
}

// File is a published document (§3 oparl:File): a posted protokoll.
type File struct {
	Common
	Name      string   `json:"name,omitempty"`
	FileName  string   `json:"fileName,omitempty"`
	MimeType  string   `json:"mimeType,omitempty"`
	Date      string   `json:"date,omitempty"`
	AccessURL string   `json:"accessUrl"`
	Meeting   []string `json:"meeting,omitempty"` // omitted when embedded in its Meeting
}

// Location is a meeting's place (§3 oparl:Location).
type Location struct {
	Common
	Description string   `json:"description,omitempty"`
	Meetings    []string `json:"meetings,omitempty"` // omitted when embedded in its Meeting
}

// List is one page of an external object list (§2.5 "Paginierung"): data,
// pagination and links, whose next is there on every page but the last.
type List struct {
	Data       []any      `json:"data"`
	Pagination Pagination `json:"pagination"`
	Links      Links      `json:"links"`
}

// Pagination is what a list page says of itself; the lists are walked by
// position (keyset), so only elementsPerPage is known.
type Pagination struct {
	ElementsPerPage int `json:"elementsPerPage"`
}

// Links are the neighbours of a list page.
type Links struct {
	First string `json:"first,omitempty"`
	Self  string `json:"self,omitempty"`
	Next  string `json:"next,omitempty"`
}

// Error is the answer to a request that fails (§2.9 "Ausnahmebehandlung"):
// type https://schema.oparl.org/1.1/Error, a message in Swedish for the
// user, and debug for the developer.
type Error struct {
	Type    string `json:"type"`
	Message string `json:"message"`
	Debug   string `json:"debug,omitempty"`
}
