package db

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kommun/beslutsgang/workflow"
)

// The read-only queries of the OParl 1.1 API (package oparl, handlers/public_oparl*.go).
// They read only what the public diary may show: a secret case's title never
// leaves the database (it is read as ''), e-mail addresses and user ids of
// members are not read at all, and staff (role 'staff') are no members.
//
// Every list is one walk in id order ("obj_id"), after a keyset position
// (OParlFilter.After), with the OParl filters on the object's created and
// modified times (OParl 1.1 §2.5 "Filter"). A modified time that is computed
// from several rows (a meeting, an organization) is filtered as computed.

// OParlFilter narrows an OParl list: the times are inclusive bounds (zero:
// none), After the last obj_id of the previous page, Limit the page size.
type OParlFilter struct {
	CreatedSince, CreatedUntil, ModifiedSince, ModifiedUntil time.Time
	After                                                    int64
	Limit                                                    int
}

// OParlScope is one OParl Body: a board (nämnd) with its organs except a
// council, or a council (kommunfullmäktige) organ as a Body of its own. The
// zero scope is everything.
type OParlScope struct {
	Board   int64
	Council int64
}

// organCond is the SQL condition that the organ in col belongs to the scope.
//
// The unary plus keeps SQLite from reading the rows by an index on col: a
// list walks its table in obj_id order and stops at the page (oparlPage);
// read by organ, it would read every row of the scope and sort them.
func (sc OParlScope) organCond(col string) (string, []any) {
	switch {
	case sc.Council != 0:
		return "+" + col + " = ?", []any{sc.Council}
	case sc.Board != 0:
		return "+" + col + " IN (SELECT id FROM bodies WHERE board_id = ? AND kind <> 'council')", []any{sc.Board}
	}
	return "1 = 1", nil
}

// OParlBoard is a board as OParl's Body reads it.
type OParlBoard struct {
	ID         int64
	Code, Name string
	Created    time.Time
}

// OParlBoards lists every board by code.
func (s *Store) OParlBoards(ctx context.Context) ([]OParlBoard, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, code, name, created_at FROM boards ORDER BY code`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []OParlBoard
	for rows.Next() {
		var b OParlBoard
		var created string
		if err := rows.Scan(&b.ID, &b.Code, &b.Name, &created); err != nil {
			return nil, err
		}
		b.Created = parseTime(created)
		out = append(out, b)
	}
	return out, rows.Err()
}

// OParlOrgan is a meeting body (organ) as OParl's Organization reads it; its
// Modified is the latest of its creation and its members' additions and
// removals.
type OParlOrgan struct {
	ID                int64
	Code, Name        string
	Kind              workflow.BodyKind
	BoardID           int64
	BoardCode         string
	Created, Modified time.Time
}

// OParlOrgans lists every organ by id.
func (s *Store) OParlOrgans(ctx context.Context) ([]OParlOrgan, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT bodies.id, bodies.code, bodies.name, bodies.kind, boards.id, boards.code, bodies.created_at,
		COALESCE((SELECT MAX(`+greatest("m.created_at", "COALESCE(m.removed_at, '')")+`) FROM body_members m WHERE m.body_id = bodies.id AND m.role <> 'staff'), '')
		FROM bodies JOIN boards ON boards.id = bodies.board_id ORDER BY bodies.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []OParlOrgan
	for rows.Next() {
		var o OParlOrgan
		var created, members string
		if err := rows.Scan(&o.ID, &o.Code, &o.Name, &o.Kind, &o.BoardID, &o.BoardCode, &created, &members); err != nil {
			return nil, err
		}
		o.Created, o.Modified = parseTime(created), parseTime(max(created, members))
		out = append(out, o)
	}
	return out, rows.Err()
}

// oparlWalk is the order a list of OParl objects goes in, which is obj_id's,
// as a condition for the rows after a page's last obj_id and an ORDER BY
// that an index (or the rowid) serves, so that a page reads about its own
// rows, not the whole list (issue 10).
type oparlWalk struct {
	after func(obj int64) (string, []any)
	order string
}

// byObjID walks a list whose obj_id is its table's rowid.
var byObjID = oparlWalk{
	after: func(obj int64) (string, []any) { return "t.obj_id > ?", []any{obj} },
	order: "t.obj_id",
}

// byCaseStep walks route steps, whose obj_id is case_id * 1000 + pos, by
// their primary key (case_id, pos).
var byCaseStep = oparlWalk{
	after: func(obj int64) (string, []any) { return "(t.case_id, t.pos) > (?, ?)", []any{obj / 1000, obj % 1000} },
	order: "t.case_id, t.pos",
}

// oparlPage runs inner, a SELECT whose first column is obj_id and whose columns
// ocreated and omodified are the object's times, as one page of f in the
// order of walk; scan reads each row's columns in inner's order. more
// reports a next page.
func (s *Store) oparlPage(ctx context.Context, q queryer, walk oparlWalk, inner string, args []any, f OParlFilter, scan func(*sql.Rows) error) (more bool, err error) {
	after, afterArgs := walk.after(f.After)
	where := []string{after}
	args = append(args, afterArgs...)
	for _, b := range []struct {
		t  time.Time
		op string
	}{{f.CreatedSince, "t.ocreated >= ?"}, {f.CreatedUntil, "t.ocreated <= ?"}, {f.ModifiedSince, "t.omodified >= ?"}, {f.ModifiedUntil, "t.omodified <= ?"}} {
		if !b.t.IsZero() {
			where, args = append(where, b.op), append(args, fmtTime(b.t))
		}
	}
	limit := max(f.Limit, 1)
	rows, err := q.QueryContext(ctx, `SELECT * FROM (`+inner+`) t WHERE `+strings.Join(where, " AND ")+` ORDER BY `+walk.order+` LIMIT ?`,
		append(args, limit+1)...)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		if n++; n > limit {
			return true, rows.Err()
		}
		if err := scan(rows); err != nil {
			return false, err
		}
	}
	return false, rows.Err()
}

// greatest is the SQL of the largest of the text expressions, none NULL, in
// a form both engines read (SQLite's MAX(a, b) is PostgreSQL's GREATEST).
// Each expression is evaluated once: nested CASEs would repeat the first
// one 2^(n-2) times, and a meeting's times are subqueries over its agenda.
func greatest(exprs ...string) string {
	return "(SELECT MAX(g) FROM (SELECT " + exprs[0] + " AS g UNION ALL SELECT " + strings.Join(exprs[1:], " UNION ALL SELECT ") + ") AS greatest)"
}

// OParlMember is a seat of a member on an organ, as OParl's Membership reads
// it: no e-mail, no user account. A seat taken off the list (not Active) is
// a deleted Membership, modified when it was removed. PersonID is the
// OParl Person holding the seat (OParlPersons).
type OParlMember struct {
	ID                int64
	PersonID          int64
	OrganID           int64
	OrganCode         string
	Name              string
	Role              workflow.MemberRole
	Active            bool
	Created, Modified time.Time
}

var oparlMemberSelect = `SELECT m.id AS obj_id, m.body_id, bodies.code, m.name, m.role, m.active, m.created_at AS ocreated, ` +
	greatest("m.created_at", "COALESCE(m.removed_at, '')") + ` AS omodified
	FROM body_members m JOIN bodies ON bodies.id = m.body_id WHERE m.role <> 'staff' AND `

// OParlMembers lists the seats (active or not) on the scope's organs.
func (s *Store) OParlMembers(ctx context.Context, sc OParlScope, f OParlFilter) ([]OParlMember, bool, error) {
	cond, args := sc.organCond("m.body_id")
	var out []OParlMember
	more, err := s.oparlPage(ctx, s.r, byObjID, oparlMemberSelect+cond, args, f, func(r *sql.Rows) error {
		m, err := scanOParlMember(r)
		out = append(out, m)
		return err
	})
	if err != nil {
		return nil, false, err
	}
	return out, more, s.setPersonIDs(ctx, out)
}

// OParlMemberByID finds a seat, active or not.
func (s *Store) OParlMemberByID(ctx context.Context, id int64) (OParlMember, error) {
	m, err := scanOParlMember(s.r.QueryRowContext(ctx, oparlMemberSelect+`m.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return m, notFound("Uppdraget %d finns inte", id)
	}
	if err != nil {
		return m, err
	}
	out := []OParlMember{m}
	err = s.setPersonIDs(ctx, out)
	return out[0], err
}

// setPersonIDs fills in the Person of each seat.
func (s *Store) setPersonIDs(ctx context.Context, ms []OParlMember) error {
	_, of, err := s.oparlPeople(ctx)
	for i := range ms {
		ms[i].PersonID = of[ms[i].ID]
	}
	return err
}

// OParlMembersOf lists the active members of an organ, for its Organization.
func (s *Store) OParlMembersOf(ctx context.Context, organID int64) ([]int64, error) {
	return ids(ctx, s.r, `SELECT id FROM body_members WHERE body_id = ? AND active AND role <> 'staff' ORDER BY id`, organID)
}

func scanOParlMember(sc interface{ Scan(...any) error }) (OParlMember, error) {
	var m OParlMember
	var id int64
	var created, modified string
	err := sc.Scan(&id, &m.OrganID, &m.OrganCode, &m.Name, &m.Role, &m.Active, &created, &modified)
	m.ID, m.Created, m.Modified = id, parseTime(created), parseTime(modified)
	return m, err
}

// OParlPerson is one person with seats on organs, as OParl's Person reads
// it: someone who sits on two organs is one Person with two Memberships.
// The seats of one person are those of one user account or, without one,
// of one e-mail address (compared without case); a seat with neither is a
// person of its own, since two people may share a name. ID is the lowest
// id of the person's seats, so it stays when seats are added or removed.
// Name and OrganID are of the lowest active seat (its organ's Body is the
// Person's); a person without an active seat is a deleted Person. Created
// is their first seat's, Modified the latest addition or removal of one.
//
// The id of any other seat of a person is a deleted Person of its own
// (MergedInto the person's ID, not Active, no name): before the grouping
// (30 November 2026) every seat was a Person, and OParl 1.1 §2.8
// "Gelöschte Objekte" asks a deleted object to answer, not 404. Its Created
// is the seat's, and so is its Modified, the time it stopped being a Person
// of its own: the data keeps no time of a merge, and a seat's user account
// and e-mail (the grouping's key) are never changed once it is added, so a
// seat added since the grouping has belonged to the lower id from its
// addition on. (A seat from before the grouping stopped at the grouping's
// release, which the data does not hold: a client that synced it then
// learns of it from the object or a walk of the list, not from
// modified_since.)
type OParlPerson struct {
	ID                int64
	Name              string
	OrganID           int64
	Active            bool
	MergedInto        int64         // the seat ID belongs to this Person: a deleted Person; 0: none
	Seats             []OParlMember // the active seats, by id
	Created, Modified time.Time
	organs            []int64 // every seat's organ, active or not
}

// OParlPersons lists the persons with a seat (active or not) on the
// scope's organs, by ID, one page of f, with the ids of seats that belong to
// a Person with a lower id as deleted Persons (OParlPerson.MergedInto) in
// the Body of their seat's organ, where a client saw them as Persons before
// the grouping (OParl 1.1 §2.8 "Gelöschte Objekte" keeps a deleted object
// in its lists). The seats are few (members of the organs, not staff), so
// they are read whole and grouped here. Errors: the database's.
func (s *Store) OParlPersons(ctx context.Context, sc OParlScope, f OParlFilter) ([]OParlPerson, bool, error) {
	people, _, err := s.oparlPeople(ctx)
	if err != nil {
		return nil, false, err
	}
	in := map[int64]bool{}
	if sc != (OParlScope{}) {
		cond, args := sc.organCond("id")
		organs, err := ids(ctx, s.r, `SELECT id FROM bodies WHERE `+cond, args...)
		if err != nil {
			return nil, false, err
		}
		for _, id := range organs {
			in[id] = true
		}
	}
	var out []OParlPerson
	for _, p := range people {
		if p.ID <= f.After || !slices.ContainsFunc(p.organs, func(o int64) bool { return sc == (OParlScope{}) || in[o] }) ||
			!inWindow(f, p.Created, p.Modified) {
			continue
		}
		if len(out) == max(f.Limit, 1) {
			return out, true, nil
		}
		out = append(out, p)
	}
	return out, false, nil
}

// OParlPersonByID finds a person by their ID; the id of another of their
// seats is a deleted Person (OParlPerson.MergedInto; OParl 1.1 §2.8
// "Gelöschte Objekte": a deleted object answers, not 404).
// Errors: ENOTFOUND when no seat (but staff) has the id; the database's.
func (s *Store) OParlPersonByID(ctx context.Context, id int64) (OParlPerson, error) {
	people, _, err := s.oparlPeople(ctx)
	if err != nil {
		return OParlPerson{}, err
	}
	for _, p := range people {
		if p.ID == id {
			return p, nil
		}
	}
	return OParlPerson{}, notFound("Personen %d finns inte", id)
}

// inWindow reports whether times fall in f's bounds (inclusive).
func inWindow(f OParlFilter, created, modified time.Time) bool {
	return (f.CreatedSince.IsZero() || !created.Before(f.CreatedSince)) &&
		(f.CreatedUntil.IsZero() || !created.After(f.CreatedUntil)) &&
		(f.ModifiedSince.IsZero() || !modified.Before(f.ModifiedSince)) &&
		(f.ModifiedUntil.IsZero() || !modified.After(f.ModifiedUntil))
}

// oparlPeople reads every seat and groups them into persons, by ID, with
// the person of each seat. The seats of a person but its first are also in
// the list, by their own ids, as deleted Persons merged into it.
func (s *Store) oparlPeople(ctx context.Context) ([]OParlPerson, map[int64]int64, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT m.id, m.body_id, bodies.code, m.name, m.role, m.active, m.created_at,
		COALESCE(m.removed_at, ''), LOWER(COALESCE(u.email, m.email))
		FROM body_members m JOIN bodies ON bodies.id = m.body_id LEFT JOIN users u ON u.id = m.user_id
		WHERE m.role <> 'staff' ORDER BY m.id`)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	byKey := map[string]*OParlPerson{}
	var order []*OParlPerson
	of := map[int64]int64{}
	for rows.Next() {
		var m OParlMember
		var created, removed, key string
		if err := rows.Scan(&m.ID, &m.OrganID, &m.OrganCode, &m.Name, &m.Role, &m.Active, &created, &removed, &key); err != nil {
			return nil, nil, err
		}
		m.Created, m.Modified = parseTime(created), parseTime(max(created, removed))
		if key = strings.TrimSpace(key); key == "" {
			key = "seat " + strconv.FormatInt(m.ID, 10)
		}
		p := byKey[key]
		if p == nil {
			p = &OParlPerson{ID: m.ID, Created: m.Created, Modified: m.Modified}
			byKey[key] = p
			order = append(order, p)
		} else {
			// Not a Person of its own since the seat was added (see OParlPerson).
			order = append(order, &OParlPerson{ID: m.ID, MergedInto: p.ID, Created: m.Created, Modified: m.Created,
				organs: []int64{m.OrganID}})
		}
		m.PersonID = p.ID
		of[m.ID] = p.ID
		p.organs = append(p.organs, m.OrganID)
		if m.Modified.After(p.Modified) {
			p.Modified = m.Modified
		}
		if m.Active {
			if !p.Active {
				p.Name, p.OrganID, p.Active = m.Name, m.OrganID, true
			}
			p.Seats = append(p.Seats, m)
		}
	}
	out := make([]OParlPerson, len(order))
	for i, p := range order {
		out[i] = *p
	}
	return out, of, rows.Err()
}

// OParlMeeting is a meeting as OParl's Meeting, File (its protokoll) and
// Location (its place) read it. Modified is the latest of the meeting's own
// change, a change of its agenda (an item added, removed or moved), a
// change of a case on its agenda, a decision taken at it and a publication
// of its protokoll (which makes its decisions and participants public).
//
// FileCreated and FileModified are the times of its protokoll's File, which
// exists from the first publication on the web, not from the meeting's
// planning: FileCreated is that first publication, FileModified the newest
// one (which replaced the PDF). Both are zero before the first publication.
type OParlMeeting struct {
	ID                        int64
	OrganID                   int64
	OrganCode                 string
	OrganName                 string
	Date                      workflow.Date
	Start, End, Place         string
	Status                    workflow.MeetingStatus
	PostedOn                  workflow.Date
	Published                 bool // its protokoll is published on the web (protokoll_publications)
	Created, Modified         time.Time
	FileCreated, FileModified time.Time
}

// Which meetings a list of OParlMeetings reads.
const (
	OParlAllMeetings   = ""                                  // every meeting
	OParlPublishedOnly = " AND " + oparlPublished            // those with a protokoll published on the web (File)
	OParlWithPlace     = " AND meetings.place <> ''"         // those with a place (Location)
	OParlNoticedItems  = " AND meetings.status <> 'planned'" // those whose agenda is public
)

// oparlMeetingSelect reads meetings (scanOParlMeeting) with the meeting's
// times as ocreated and omodified, which a list's filters read.
var oparlMeetingSelect = oparlMeetingCols("ocreated", "omodified", "fcreated", "fmodified")

// oparlFileSelect reads the same columns as oparlMeetingSelect, with the
// times of the meeting's protokoll File as ocreated and omodified: the
// list of Files filters on them.
var oparlFileSelect = oparlMeetingCols("mcreated", "mmodified", "ocreated", "omodified")

// oparlMeetingCols is the SELECT of a meeting's columns, its times and its
// File's times named as given, in the same order whatever the names.
func oparlMeetingCols(created, modified, fileCreated, fileModified string) string {
	return `SELECT meetings.id AS obj_id, meetings.body_id, bodies.code, bodies.name, meetings.date, meetings.start_time,
	meetings.end_time, meetings.place, meetings.status, COALESCE(meetings.posted_on, ''),
	meetings.created_at AS ` + created + `, ` + oparlMeetingModified + ` AS ` + modified + `,
	` + oparlPublishedAt("MIN") + ` AS ` + fileCreated + `, ` + oparlPublishedAt("MAX") + ` AS ` + fileModified + `
	FROM meetings JOIN bodies ON bodies.id = meetings.body_id WHERE `
}

// oparlPublished holds for a meeting whose protokoll the secretary has
// published on the web: its File's accessUrl answers only then.
const oparlPublished = `EXISTS (SELECT 1 FROM protokoll_publications pp WHERE pp.meeting_id = meetings.id AND pp.published_at IS NOT NULL)`

var oparlMeetingModified = greatest("meetings.updated_at", "COALESCE(meetings.agenda_changed_at, '')",
	"COALESCE((SELECT MAX(c.updated_at) FROM agenda_items ai JOIN cases c ON c.id = ai.case_id WHERE ai.meeting_id = meetings.id), '')",
	"COALESCE((SELECT MAX(d.decided_at) FROM decisions d WHERE d.meeting_id = meetings.id), '')",
	oparlPublishedAt("MAX"))

// oparlPublishedAt is the SQL of the first (agg MIN) or newest (MAX)
// publication of a meeting's protokoll on the web, empty before the first:
// its File's created and modified (a publication replaces the PDF; a case of
// the protokoll marked secret since, which only an edit of the database
// behind the service's back does, makes the PDF anew on each request,
// PublishedProtokollPDF, but leaves no time).
func oparlPublishedAt(agg string) string {
	return `COALESCE((SELECT ` + agg + `(pp.published_at) FROM protokoll_publications pp
	WHERE pp.meeting_id = meetings.id AND pp.published_at IS NOT NULL), '')`
}

// OParlMeetings lists the scope's meetings that which (OParlAllMeetings …)
// names, filtered by the meetings' times.
func (s *Store) OParlMeetings(ctx context.Context, sc OParlScope, which string, f OParlFilter) ([]OParlMeeting, bool, error) {
	return s.oparlMeetings(ctx, oparlMeetingSelect, sc, which, f)
}

// OParlFiles lists the scope's meetings whose protokoll is published on the
// web, as OParl's list of Files: filtered by the Files' times
// (OParlMeeting.FileCreated and FileModified), not the meetings'.
func (s *Store) OParlFiles(ctx context.Context, sc OParlScope, f OParlFilter) ([]OParlMeeting, bool, error) {
	return s.oparlMeetings(ctx, oparlFileSelect, sc, OParlPublishedOnly, f)
}

func (s *Store) oparlMeetings(ctx context.Context, sel string, sc OParlScope, which string, f OParlFilter) ([]OParlMeeting, bool, error) {
	cond, args := sc.organCond("meetings.body_id")
	var out []OParlMeeting
	more, err := s.oparlPage(ctx, s.r, byObjID, sel+cond+which, args, f, func(r *sql.Rows) error {
		m, err := scanOParlMeeting(r)
		out = append(out, m)
		return err
	})
	return out, more, err
}

// OParlMeetingByID finds a meeting.
func (s *Store) OParlMeetingByID(ctx context.Context, id int64) (OParlMeeting, error) {
	m, err := scanOParlMeeting(s.r.QueryRowContext(ctx, oparlMeetingSelect+`meetings.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return m, notFound("Sammanträdet %d finns inte", id)
	}
	return m, err
}

func scanOParlMeeting(sc interface{ Scan(...any) error }) (OParlMeeting, error) {
	var m OParlMeeting
	var date, posted, created, modified, fileCreated, fileModified string
	err := sc.Scan(&m.ID, &m.OrganID, &m.OrganCode, &m.OrganName, &date, &m.Start, &m.End, &m.Place, &m.Status, &posted,
		&created, &modified, &fileCreated, &fileModified)
	m.Date, m.PostedOn = parseDate(date), parseDate(posted)
	m.Created, m.Modified = parseTime(created), parseTime(modified)
	m.FileCreated, m.FileModified = parseTime(fileCreated), parseTime(fileModified)
	m.Published = fileCreated != "" // a File from the first publication on
	return m, err
}

// OParlParticipants lists the persons (OParlPerson.ID) present at a
// meeting, in the protokoll's order, as its published protokoll shows them: none before the
// protokoll is published on the web, and none whose name the publication
// removes (a link to their Person would name them; protokollViews).
func (s *Store) OParlParticipants(ctx context.Context, meetingID int64) ([]int64, error) {
	var out []int64
	err := s.readTx(ctx, func(q queryer) error {
		views, err := protokollViews(ctx, q, []int64{meetingID})
		view := views[meetingID]
		if err != nil || !view.Published {
			return err
		}
		rows, err := q.QueryContext(ctx, `SELECT a.member_id, m.name FROM attendees a JOIN body_members m ON m.id = a.member_id
			WHERE a.meeting_id = ? AND a.present AND m.role <> 'staff' ORDER BY a.pos`, meetingID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var name string
			if err := rows.Scan(&id, &name); err != nil {
				return err
			}
			if !view.Removes(name) {
				out = append(out, id)
			}
		}
		return rows.Err()
	})
	if err != nil || len(out) == 0 {
		return out, err
	}
	_, of, err := s.oparlPeople(ctx)
	for i, seat := range out {
		out[i] = of[seat]
	}
	return out, err
}

// OParlAgendaItem is a point of a föredragningslista with the decision taken
// on it, as the meeting's protokoll is public (protokollViews): Paragraph,
// DecisionType and DecisionText are set only once the protokoll is
// published on the web, the decision not for a paragraph the secretary
// withheld, and the names the publication removes are removed from the
// titles and the text. A secret case's title is read as ”. The item has no
// times of its own: Created and Modified are its meeting's.
//
// A Deleted item is one the public could see (its meeting's kallelse had
// gone out) that was taken off the agenda since (agenda_items_removed, OParl
// 1.1 §2.8 "Gelöschte Objekte"): only ID, MeetingID, MeetingStatus, Created
// (its meeting's) and Modified (when it was removed) are set, nothing that
// names it or its case.
type OParlAgendaItem struct {
	ID                int64
	MeetingID         int64
	MeetingStatus     workflow.MeetingStatus
	Pos               int
	Kind              string
	Title             string // a free item's title; '' for the fixed ones and cases
	CaseNumber        string // '' for an item that is no case
	CaseTitle         string // '' for a secret case
	CaseSecret        bool
	StepPos           int // the route step that brought the case here; -1: none
	Paragraph         int // 0: none
	DecisionType      workflow.DecisionType
	DecisionText      string
	Created, Modified time.Time
	Deleted           bool
}

// oparlItemSelect reads agenda items with modified as the SQL of their
// time of change, which is their meeting's.
func oparlItemSelect(modified string) string {
	return `SELECT ai.id AS obj_id, ai.meeting_id, meetings.status, ai.pos, ai.kind, ai.title, COALESCE(c.number, ''),
	CASE WHEN c.secret THEN '' ELSE COALESCE(c.title, '') END, COALESCE(c.secret, FALSE),
	COALESCE((SELECT MIN(rs.pos) FROM route_steps rs WHERE rs.case_id = ai.case_id AND rs.meeting_id = ai.meeting_id), -1),
	COALESCE(d.paragraph, 0), COALESCE(d.type, ''), CASE WHEN c.secret THEN '' ELSE COALESCE(d.text, '') END,
	meetings.created_at AS ocreated, ` + modified + ` AS omodified, FALSE AS deleted
	FROM agenda_items ai JOIN meetings ON meetings.id = ai.meeting_id
	LEFT JOIN cases c ON c.id = ai.case_id
	LEFT JOIN decisions d ON d.meeting_id = ai.meeting_id AND d.case_id = ai.case_id
	WHERE meetings.status <> 'planned' AND `
}

// oparlRemovedItemSelect reads the removed agenda items (noteRemovedItems)
// in the columns of oparlItemSelect: only the id, the meeting, the times and
// deleted. An id that agenda_items holds again (which only a copy between
// engines can bring about, db.Copy moving the sequence past the highest
// item left) is that item's, not a removed one's. Each column has the
// SQLite affinity of oparlItemSelect's (a column's, a CAST's, or none for
// an expression), without which SQLite does not merge the two walks
// but sorts them (its query flattener's rule 17h).
const oparlRemovedItemSelect = `SELECT r.id AS obj_id, r.meeting_id, meetings.status, CAST(0 AS INTEGER), CAST('' AS TEXT), CAST('' AS TEXT),
	'', '', FALSE, -1, 0, '', '', r.created_at AS ocreated, r.removed_at || '' AS omodified, TRUE AS deleted
	FROM agenda_items_removed r JOIN meetings ON meetings.id = r.meeting_id
	WHERE NOT EXISTS (SELECT 1 FROM agenda_items x WHERE x.id = r.id) AND `

// oparlItemList is the SQL and arguments of the scope's agenda items for
// OParlAgendaItems: those of its meetings whose kallelse has gone out and
// those removed since, one walk in id order (both arms are read by their
// primary key and merged, TestOParlRemovedItemListPlan).
func oparlItemList(sc OParlScope) (string, []any) {
	cond, args := sc.organCond("meetings.body_id")
	return oparlItemSelect(oparlMeetingModified) + cond + `
	UNION ALL ` + oparlRemovedItemSelect + cond, append(slices.Clone(args), args...)
}

// OParlAgendaItems lists the agenda items of the scope's meetings whose
// kallelse has gone out (a planned meeting's agenda is a working paper),
// with the items removed since as Deleted ones, in id order, one page of f
// (the filters read a removed item's times: modified_since finds the
// removal). OParl 1.1 §2.8 "Gelöschte Objekte" (OParl/spec
// src/4-07-geloeschte-objekte.md) keeps a deleted object in its lists.
// Errors: the database's.
func (s *Store) OParlAgendaItems(ctx context.Context, sc OParlScope, f OParlFilter) ([]OParlAgendaItem, bool, error) {
	inner, args := oparlItemList(sc)
	return s.oparlItems(ctx, inner, args, f)
}

// OParlMeetingItems lists the agenda items of m, read by OParlMeetings or
// OParlMeetingByID, in order (none before its kallelse); not the removed
// ones, which the agenda no longer has (the removal moved m's Modified,
// meetings.agenda_changed_at). Each item's time of change is m's, which is
// not read again: it reads all of m's items itself.
func (s *Store) OParlMeetingItems(ctx context.Context, m OParlMeeting) ([]OParlAgendaItem, error) {
	items, _, err := s.oparlItems(ctx, oparlItemSelect("CAST(? AS TEXT)")+"ai.meeting_id = ?", []any{fmtTime(m.Modified), m.ID},
		OParlFilter{Limit: 10000})
	sortItems(items)
	return items, err
}

// OParlAgendaItemByID finds an agenda item of a meeting whose kallelse has
// gone out, or one removed since, as a Deleted item (OParl 1.1 §2.8
// "Gelöschte Objekte": a deleted object answers, not 404). An item removed
// before the kallelse was never public and is not found.
// Errors: ENOTFOUND when no such item is or was public; the database's.
func (s *Store) OParlAgendaItemByID(ctx context.Context, id int64) (OParlAgendaItem, error) {
	items, _, err := s.oparlItems(ctx, oparlItemSelect(oparlMeetingModified)+"ai.id = ? UNION ALL "+oparlRemovedItemSelect+"r.id = ?",
		[]any{id, id}, OParlFilter{Limit: 1})
	if err == nil && len(items) == 0 {
		err = notFound("Punkten %d finns inte", id)
	}
	if err != nil {
		return OParlAgendaItem{}, err
	}
	return items[0], nil
}

// oparlItems reads one page of f of inner, oparlItemSelect's columns, and
// makes each item as public as its meeting's protokoll is.
func (s *Store) oparlItems(ctx context.Context, inner string, args []any, f OParlFilter) ([]OParlAgendaItem, bool, error) {
	var out []OParlAgendaItem
	more, err := s.oparlPage(ctx, s.r, byObjID, inner, args, f, func(r *sql.Rows) error {
		var it OParlAgendaItem
		var created, modified string
		err := r.Scan(&it.ID, &it.MeetingID, &it.MeetingStatus, &it.Pos, &it.Kind, &it.Title, &it.CaseNumber, &it.CaseTitle,
			&it.CaseSecret, &it.StepPos, &it.Paragraph, &it.DecisionType, &it.DecisionText, &created, &modified, &it.Deleted)
		it.Created, it.Modified = parseTime(created), parseTime(modified)
		out = append(out, it)
		return err
	})
	if err != nil {
		return nil, false, err
	}
	var meetings []int64
	for _, it := range out {
		if !it.Deleted && !slices.Contains(meetings, it.MeetingID) {
			meetings = append(meetings, it.MeetingID)
		}
	}
	views, err := protokollViews(ctx, s.r, meetings)
	if err != nil {
		return nil, false, err
	}
	for i, it := range out {
		if !it.Deleted {
			out[i] = publicItem(it, views[it.MeetingID])
		}
	}
	return out, more, nil
}

// noteRemovedItems keeps, in agenda_items_removed, the agenda items cond
// names (on agenda_items ai) whose meeting's kallelse has gone out, as
// removed at at: the public has seen them, and OParl answers them as deleted
// AgendaItems (OParl 1.1 §2.8 "Gelöschte Objekte", OParl/spec
// src/4-07-geloeschte-objekte.md; OParlAgendaItemByID, OParlAgendaItems).
// An item of a planned meeting was never public and leaves nothing. It is
// called in the transaction that deletes the items, before the DELETE. An
// id noted before (only a copy between engines can hand one out again) is
// noted anew. Errors: the database's.
func noteRemovedItems(ctx context.Context, tx *sql.Tx, at time.Time, cond string, args ...any) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO agenda_items_removed(id, meeting_id, created_at, removed_at)
		SELECT ai.id, ai.meeting_id, meetings.created_at, ? FROM agenda_items ai JOIN meetings ON meetings.id = ai.meeting_id
		WHERE meetings.status <> 'planned' AND `+cond+`
		ON CONFLICT (id) DO UPDATE SET meeting_id = excluded.meeting_id, created_at = excluded.created_at, removed_at = excluded.removed_at`,
		append([]any{fmtTime(at)}, args...)...)
	return err
}

// publicItem is it as its meeting's protokoll is public under v.
func publicItem(it OParlAgendaItem, v workflow.ProtokollView) OParlAgendaItem {
	if !v.Published {
		it.Paragraph, it.DecisionType, it.DecisionText = 0, "", ""
		return it
	}
	it.Title, it.CaseTitle = v.Name(it.Title), v.Name(it.CaseTitle)
	if it.DecisionType == "" {
		return it
	}
	pp := v.Paragraph(workflow.Paragraph{Number: it.Paragraph, Secret: it.CaseSecret, Type: it.DecisionType, Text: it.DecisionText})
	if !pp.Shown {
		it.DecisionType, it.DecisionText = "", ""
		return it
	}
	it.DecisionText = pp.Text
	return it
}

func sortItems(items []OParlAgendaItem) {
	for i := 1; i < len(items); i++ {
		for j := i; j > 0 && items[j].Pos < items[j-1].Pos; j-- {
			items[j], items[j-1] = items[j-1], items[j]
		}
	}
}

// OParlCase is a registered case as OParl's Paper reads it: what the public
// diary shows of its registration, with its route. A secret case's Title is ”.
type OParlCase struct {
	ID                int64
	Number            string
	BoardID           int64
	Title             string
	Secret            bool
	Created, Modified time.Time
	Steps             []OParlStep
}

// OParlStep is a route step of a case, OParl's Consultation; its times are
// its case's.
type OParlStep struct {
	CaseID            int64
	CaseNumber        string
	Pos               int
	Last              bool // the step whose body decides
	OrganID           int64
	MeetingID         int64 // 0: none
	MeetingStatus     workflow.MeetingStatus
	AgendaItemID      int64 // 0: none
	Created, Modified time.Time
}

const oparlCaseSelect = `SELECT cases.id AS obj_id, cases.number, cases.board_id, CASE WHEN cases.secret THEN '' ELSE cases.title END,
	cases.secret, cases.created_at AS ocreated, cases.updated_at AS omodified FROM cases WHERE `

// paperCond is the scope's condition on cases: a board's own cases, or the
// cases whose route passes the council.
func (sc OParlScope) paperCond() (string, []any) {
	switch {
	case sc.Council != 0:
		return "EXISTS (SELECT 1 FROM route_steps rs WHERE rs.case_id = cases.id AND rs.body_id = ?)", []any{sc.Council}
	case sc.Board != 0:
		return "+cases.board_id = ?", []any{sc.Board} // not by an index: see organCond
	}
	return "1 = 1", nil
}

// OParlCases lists the scope's cases with their routes.
func (s *Store) OParlCases(ctx context.Context, sc OParlScope, f OParlFilter) ([]OParlCase, bool, error) {
	cond, args := sc.paperCond()
	var out []OParlCase
	more, err := s.oparlPage(ctx, s.r, byObjID, oparlCaseSelect+cond, args, f, func(r *sql.Rows) error {
		c, err := scanOParlCase(r)
		out = append(out, c)
		return err
	})
	if err != nil || len(out) == 0 {
		return out, more, err
	}
	caseIDs := make([]int64, len(out))
	for i, c := range out {
		caseIDs[i] = c.ID
	}
	steps, _, err := s.oparlSteps(ctx, "rs.case_id IN (?"+strings.Repeat(",?", len(caseIDs)-1)+")", anys(caseIDs), OParlFilter{Limit: 100000})
	for _, st := range steps {
		for i := range out {
			if out[i].ID == st.CaseID {
				out[i].Steps = append(out[i].Steps, st)
			}
		}
	}
	return out, more, err
}

// OParlCaseByNumber finds a case with its route.
func (s *Store) OParlCaseByNumber(ctx context.Context, number string) (OParlCase, error) {
	c, err := scanOParlCase(s.r.QueryRowContext(ctx, oparlCaseSelect+`cases.number = ?`, number))
	if errors.Is(err, sql.ErrNoRows) {
		return c, notFound("Ärendet %s finns inte", number)
	}
	if err != nil {
		return c, err
	}
	c.Steps, _, err = s.oparlSteps(ctx, "rs.case_id = ?", []any{c.ID}, OParlFilter{Limit: 100000})
	return c, err
}

func scanOParlCase(sc interface{ Scan(...any) error }) (OParlCase, error) {
	var c OParlCase
	var created, modified string
	err := sc.Scan(&c.ID, &c.Number, &c.BoardID, &c.Title, &c.Secret, &created, &modified)
	c.Created, c.Modified = parseTime(created), parseTime(modified)
	return c, err
}

// oparlStepSelect: obj_id is case id * 1000 + pos, as a route has far fewer than
// 1000 steps, so the list walks cases and their steps in order.
const oparlStepSelect = `SELECT rs.case_id * 1000 + rs.pos AS obj_id, rs.case_id, cases.number, rs.pos,
	(SELECT MAX(r2.pos) FROM route_steps r2 WHERE r2.case_id = rs.case_id), rs.body_id, COALESCE(rs.meeting_id, 0),
	COALESCE(meetings.status, ''), COALESCE((SELECT MIN(ai.id) FROM agenda_items ai WHERE ai.meeting_id = rs.meeting_id AND ai.case_id = rs.case_id
		AND meetings.status <> 'planned'), 0),
	cases.created_at AS ocreated, cases.updated_at AS omodified
	FROM route_steps rs JOIN cases ON cases.id = rs.case_id LEFT JOIN meetings ON meetings.id = rs.meeting_id WHERE `

// OParlSteps lists the route steps at the scope's organs.
func (s *Store) OParlSteps(ctx context.Context, sc OParlScope, f OParlFilter) ([]OParlStep, bool, error) {
	cond, args := sc.organCond("rs.body_id")
	return s.oparlSteps(ctx, cond, args, f)
}

// OParlStepOf finds a route step of a case by its position.
func (s *Store) OParlStepOf(ctx context.Context, number string, pos int) (OParlStep, error) {
	steps, _, err := s.oparlSteps(ctx, "cases.number = ? AND rs.pos = ?", []any{number, pos}, OParlFilter{Limit: 1})
	if err == nil && len(steps) == 0 {
		err = notFound("Ärendet %s har inget steg %d", number, pos)
	}
	if err != nil {
		return OParlStep{}, err
	}
	return steps[0], nil
}

func (s *Store) oparlSteps(ctx context.Context, cond string, args []any, f OParlFilter) ([]OParlStep, bool, error) {
	var out []OParlStep
	more, err := s.oparlPage(ctx, s.r, byCaseStep, oparlStepSelect+cond, args, f, func(r *sql.Rows) error {
		var st OParlStep
		var obj_id int64
		var last int
		var created, modified string
		err := r.Scan(&obj_id, &st.CaseID, &st.CaseNumber, &st.Pos, &last, &st.OrganID, &st.MeetingID, &st.MeetingStatus,
			&st.AgendaItemID, &created, &modified)
		st.Last, st.Created, st.Modified = st.Pos == last, parseTime(created), parseTime(modified)
		out = append(out, st)
		return err
	})
	return out, more, err
}

func anys(ids []int64) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}
