package workflow

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// The digital anslagstavla (Kommunallagen 2017:725, 8 kap. 9–12 §): the
// notices of justering, the kungörelser of kommunfullmäktige's meetings and
// other notices a secretary posts. Each notice is up from the day it is
// posted until the day it comes down; a notice that has come down is kept in
// the archive under the same address. Up and down follow from the dates and
// the clock alone, so nothing has to run for a notice to come down.

// NoticeKind says what a notice on the anslagstavla is.
type NoticeKind string

const (
	// NoticeJustering tells that a protokoll is justerat (KL 8 kap. 12 §).
	NoticeJustering NoticeKind = "justering"
	// NoticeKungorelse announces a meeting of kommunfullmäktige (KL 5 kap. 59–61 §).
	NoticeKungorelse NoticeKind = "kungorelse"
	// NoticeOther is any other notice a secretary posts (KL 8 kap. 10 §).
	NoticeOther NoticeKind = "notice"
)

var noticeKindLabels = map[NoticeKind]string{
	NoticeJustering:  "Justerat protokoll",
	NoticeKungorelse: "Kungörelse",
	NoticeOther:      "Övrigt tillkännagivande",
}

// Label is the Swedish name of the kind.
func (k NoticeKind) Label() string { return noticeKindLabels[k] }

// Limits on the notices a secretary posts.
const (
	MaxNoticeTitle = 200
	MaxNoticeText  = 10000
)

// Notice is one notice on the anslagstavla. Justering notices and
// kungörelser are derived from their meetings; other notices are stored.
type Notice struct {
	ID    string     `json:"id"` // stable: "justering-12", "kungorelse-14", "notice-3"
	Kind  NoticeKind `json:"kind"`
	Board Board      `json:"board"`
	Title string     `json:"title"`
	Text  string     `json:"text,omitempty"` // other notices: the secretary's text

	// Justering notices and kungörelser: the meeting.
	MeetingID    int64  `json:"meeting_id,omitempty"`
	Body         Body   `json:"body"`
	MeetingDate  Date   `json:"meeting_date"`
	MeetingStart string `json:"meeting_time,omitempty"`
	MeetingPlace string `json:"meeting_place,omitempty"`
	JustifiedOn  Date   `json:"justified_on"` // justering notices
	AppealEnds   Date   `json:"appeal_ends"`  // justering notices: the last day of the appeal period
	KeptAt       string `json:"kept_at,omitempty"`

	PostedOn Date `json:"posted_on"` // the day it went up
	DownOn   Date `json:"down_on"`   // the day it comes down by itself

	// Other notices: who posted it, and who took it down before DownOn.
	StoredID  int64      `json:"-"`
	CreatedBy Person     `json:"-"`
	CreatedAt time.Time  `json:"-"`
	RemovedAt *time.Time `json:"removed_at,omitempty"`
	RemovedBy Person     `json:"-"`
}

// JusteringNoticeID, KungorelseID and StoredNoticeID are the stable ids of
// the notices, the last part of their permanent addresses.
func JusteringNoticeID(meetingID int64) string { return fmt.Sprintf("justering-%d", meetingID) }

// KungorelseID is the id of the kungörelse of a meeting of kommunfullmäktige.
func KungorelseID(meetingID int64) string { return fmt.Sprintf("kungorelse-%d", meetingID) }

// StoredNoticeID is the id of a notice a secretary posted.
func StoredNoticeID(id int64) string { return fmt.Sprintf("notice-%d", id) }

// ParseNoticeID splits a notice id into its kind and number.
func ParseNoticeID(id string) (NoticeKind, int64, bool) {
	kind, num, ok := strings.Cut(id, "-")
	if !ok {
		return "", 0, false
	}
	var n int64
	if _, err := fmt.Sscanf(num, "%d", &n); err != nil || n <= 0 || fmt.Sprint(n) != num {
		return "", 0, false
	}
	switch k := NoticeKind(kind); k {
	case NoticeJustering, NoticeKungorelse, NoticeOther:
		return k, n, true
	}
	return "", 0, false
}

// KeptAt is where the protokoll of a board's bodies is kept (förvaringsplats,
// KL 8 kap. 12 §), as the notice of justering names it.
func KeptAt(b Board) string { return "Kommunledningskontoret, " + b.Name }

// JusteringNotice is the notice that the protokoll of m is justerat
// (Kommunallagen 2017:725, 8 kap. 12 §): it goes up on the day of anslag and
// comes down when the three weeks of 13 kap. 5 § have run, on the day the
// decisions gain legal force (the day after AppealEnds, which lag (1930:173)
// moves past a weekend or holiday). ok is false for a meeting whose
// justering is not posted, and for a body that keeps no protokoll. The
// notice names the body and the meeting only, never a case.
func JusteringNotice(m Meeting, board Board) (Notice, bool) {
	if m.Status != MeetingPosted || m.PostedOn.IsZero() || !m.Body.Kind.KeepsMinutes() {
		return Notice{}, false
	}
	d := m.Dates()
	return Notice{ID: JusteringNoticeID(m.ID), Kind: NoticeJustering, Board: board,
		Title:     "Protokoll från " + m.Body.Name + " " + m.Date.String() + " är justerat",
		MeetingID: m.ID, Body: m.Body, MeetingDate: m.Date, MeetingStart: m.Start, MeetingPlace: m.Place,
		JustifiedOn: d.JustifiedOn, AppealEnds: d.AppealEnds, KeptAt: KeptAt(board),
		PostedOn: m.PostedOn, DownOn: d.LegalForce}, true
}

// Kungorelse is the kungörelse of a meeting of kommunfullmäktige
// (Kommunallagen 2017:725, 5 kap. 59–61 §: on the anslagstavla at least a
// week before the meeting): up from the day the kallelse went out until the
// meeting day has passed. ok is false for other bodies and for a meeting
// whose kallelse is not sent.
func Kungorelse(m Meeting, board Board) (Notice, bool) {
	if m.Body.Kind != KindCouncil || !m.Status.AtLeast(MeetingNoticeSent) || m.NoticeSentAt == nil {
		return Notice{}, false
	}
	title := m.Body.Name + " sammanträder " + m.Date.String()
	if m.Start != "" {
		title += " kl. " + m.Start
	}
	if m.Place != "" {
		title += ", " + m.Place
	}
	return Notice{ID: KungorelseID(m.ID), Kind: NoticeKungorelse, Board: board, Title: title,
		MeetingID: m.ID, Body: m.Body, MeetingDate: m.Date, MeetingStart: m.Start, MeetingPlace: m.Place,
		PostedOn: Today(*m.NoticeSentAt), DownOn: m.Date.AddDays(1)}, true
}

// TakenDownOn is the day the notice came (or comes) down: its DownOn, or the
// day a secretary took it down, whichever is first.
func (n Notice) TakenDownOn() Date {
	if n.RemovedAt != nil {
		if r := Today(*n.RemovedAt); r.Before(n.DownOn) {
			return r
		}
	}
	return n.DownOn
}

// Posted reports whether the notice has gone up on the anslagstavla by
// today: its day has come, and it was not taken down before that day.
func (n Notice) Posted(today Date) bool {
	return !today.Before(n.PostedOn) && (n.RemovedAt == nil || !Today(*n.RemovedAt).Before(n.PostedOn))
}

// Up reports whether the notice is on the anslagstavla today.
func (n Notice) Up(today Date) bool { return n.Posted(today) && today.Before(n.TakenDownOn()) }

// Down reports whether the notice was up and has come down by today: it
// belongs in the archive.
func (n Notice) Down(today Date) bool { return n.Posted(today) && !n.Up(today) }

// Removed reports whether a secretary took the notice down before its day.
func (n Notice) Removed() bool { return n.RemovedAt != nil && n.TakenDownOn().Before(n.DownOn) }

// Scheduled reports whether the notice is to go up after today and has not
// been withdrawn: only the secretaries of its board see it (SeenBy).
func (n Notice) Scheduled(today Date) bool { return today.Before(n.PostedOn) && n.RemovedAt == nil }

// Withdrawn reports whether a secretary took the notice down before the day
// it was to go up: it never went up, so the public never sees it, neither on
// the anslagstavla nor in the archive; its secretaries still find it at its
// address, marked.
func (n Notice) Withdrawn() bool { return n.RemovedAt != nil && Today(*n.RemovedAt).Before(n.PostedOn) }

// SeenBy reports whether u may see the notice at its address today: everyone
// once it has gone up (Posted), before that (scheduled or withdrawn) only a
// secretary of its board, who manages it.
func (n Notice) SeenBy(u User, today Date) bool {
	return n.Posted(today) || (n.Board.Code != "" && u.Has(n.Board.Code, RoleSecretary))
}

// Appealable reports whether the notice carries the instructions for a
// laglighetsprövning: the notices of justering.
func (n Notice) Appealable() bool { return n.Kind == NoticeJustering }

// NoticeInput is a notice as a secretary writes it; the dates as typed.
type NoticeInput struct {
	Board    string `json:"board"`
	Title    string `json:"title"`
	Text     string `json:"text"`
	PostedOn string `json:"posted_on"`
	DownOn   string `json:"down_on"`
}

// Bounds of the dates of a notice a secretary posts. Kommunallagen sets no
// period for other notices (8 kap. 10 §: the law or the decision that calls
// for a notice says how long it stays up), so the rule is the one a
// secretary expects: a notice goes up today or within a year
// (MaxNoticeLead), stays up at least one day, and comes down within a year
// of going up (MaxNoticeSpan). A date such as 9999-12-01 is a typing slip,
// not a plan.
const (
	MaxNoticeLead = 1 // years ahead the day of anslag may be
	MaxNoticeSpan = 1 // years a notice may stay up
)

// NewNotice checks a notice a secretary posts on the anslagstavla
// (Kommunallagen 2017:725, 8 kap. 10 §): a secretary of the board, a title
// and a text, the day it goes up (today or later, at most MaxNoticeLead
// years ahead: a notice cannot have been up before it was posted) and the
// day it comes down, after that and at most MaxNoticeSpan years after it.
// A zero board is one not chosen, or not found: a problem of the field,
// reported with the others. Every problem comes at once, each on its field.
func NewNotice(in NoticeInput, board Board, env Env) (Notice, error) {
	var p Problems
	if board.Code == "" {
		p.Add("board", "Välj den nämnd som anslår meddelandet")
	} else if !env.Actor.Has(board.Code, RoleSecretary) {
		return Notice{}, Errorf(EFORBIDDEN, "Bara nämndsekreteraren för %s kan anslå meddelanden för nämnden", board.Code)
	}
	n := Notice{Kind: NoticeOther, Board: board, Title: strings.TrimSpace(in.Title), Text: strings.TrimSpace(in.Text),
		CreatedBy: env.Actor.Person(), CreatedAt: env.Now}
	switch {
	case Blank(n.Title):
		p.Add("title", "Ange en rubrik")
	case utf8.RuneCountInString(n.Title) > MaxNoticeTitle:
		p.Add("title", "Rubriken får vara högst %d tecken", MaxNoticeTitle)
	}
	switch {
	case Blank(n.Text):
		p.Add("text", "Skriv vad som tillkännages")
	case utf8.RuneCountInString(n.Text) > MaxNoticeText:
		p.Add("text", "Texten får vara högst %d tecken", MaxNoticeText)
	}
	today := Today(env.Now)
	posted, perr := noticeDate(&p, "posted_on", in.PostedOn, "dagen då meddelandet anslås")
	// A posted day out of bounds is still a date, so the take-down day is
	// checked against it too: the form names both problems at once.
	if latest := today.AddYears(MaxNoticeLead); perr == nil && posted.Before(today) {
		p.Add("posted_on", "Anslagsdagen kan inte vara före i dag (%s)", today)
	} else if perr == nil && posted.After(latest) {
		p.Add("posted_on", "Anslagsdagen kan vara högst ett år fram, senast %s", latest)
	}
	down, derr := noticeDate(&p, "down_on", in.DownOn, "dagen då meddelandet tas ned")
	if perr == nil && derr == nil {
		if latest := posted.AddYears(MaxNoticeSpan); !down.After(posted) {
			p.Add("down_on", "Dagen då meddelandet tas ned ska vara efter anslagsdagen %s, så att det sitter uppe minst en dag", posted)
		} else if down.After(latest) {
			p.Add("down_on", "Ett meddelande kan sitta uppe högst ett år: ta ned det senast %s", latest)
		}
	}
	if err := p.Err(); err != nil {
		return Notice{}, err
	}
	n.PostedOn, n.DownOn = posted, down
	return n, nil
}

var errBadDate = fmt.Errorf("bad date")

// noticeDate reads one of a notice's dates; a problem goes on the field in
// ParseDate's words ("2027-02-30 finns inte; februari 2027 har 28 dagar").
func noticeDate(p *Problems, field, s, what string) (Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		p.Add(field, "Ange %s", what)
		return Date{}, errBadDate
	}
	d, err := ParseDate(s)
	if err != nil {
		p.Add(field, "%s", err.Error())
		return Date{}, errBadDate
	}
	return d, nil
}

// TakeDownNotice takes a notice a secretary posted off the anslagstavla
// before its day (Kommunallagen 2017:725, 8 kap. 10 §); the notice is kept
// in the archive, marked as taken down. Justering notices and kungörelser
// stay their time: the appeal period of 13 kap. 5 § runs from the anslag.
func TakeDownNotice(n Notice, env Env) (Notice, error) {
	if n.Kind != NoticeOther {
		return n, Errorf(ECONFLICT, "Tillkännagivandet följer av sammanträdet och kan inte tas ned i förtid")
	}
	if !env.Actor.Has(n.Board.Code, RoleSecretary) {
		return n, Errorf(EFORBIDDEN, "Bara nämndsekreteraren för %s kan ta ned meddelandet", n.Board.Code)
	}
	today := Today(env.Now)
	switch {
	case n.RemovedAt != nil:
		return n, Errorf(ECONFLICT, "Meddelandet är redan nedtaget (%s)", n.TakenDownOn())
	case !today.Before(n.DownOn):
		return n, Errorf(ECONFLICT, "Meddelandet togs ned %s", n.DownOn)
	}
	t := env.Now
	n.RemovedAt, n.RemovedBy = &t, env.Actor.Person()
	return n, nil
}
