// Package notify turns workflow notifications, reminders and digests into
// Swedish mail from the templates, and delivers the outbox over SMTP.
package notify

import (
	"bytes"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"net/url"
	"slices"
	"strings"
	texttemplate "text/template"
	"time"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/templates"
	"github.com/kommun/beslutsgang/workflow"
)

// NotificationKinds are the workflow notifications there is a template pair for.
var NotificationKinds = []string{
	string(workflow.NotifySubmitted), string(workflow.NotifyApproved), string(workflow.NotifyRejected),
	string(workflow.NotifyReturned), string(workflow.NotifyAdvanced), string(workflow.NotifyPostponed),
	string(workflow.NotifyDispatched), string(workflow.NotifyClosed), string(workflow.NotifyWithdrawn),
}

// Kinds are the mails there is a template pair for: one per workflow
// notification, the reminder, the morning digest and a meeting's kallelse.
var Kinds = append(slices.Clone(NotificationKinds), "reminder", "digest", "notice")

// Composer writes mail from the templates. It implements db.Composer (action
// notifications) and db.ReminderComposer (reminders and digests).
type Composer struct {
	baseURL string
	policy  workflow.Policy
	text    map[string]*texttemplate.Template
	html    map[string]*htmltemplate.Template
}

var (
	_ db.Composer         = (*Composer)(nil)
	_ db.ReminderComposer = (*Composer)(nil)
	_ db.NoticeComposer   = (*Composer)(nil)
	_ db.ExtractComposer  = (*Composer)(nil)
)

// NewComposer parses the templates in files (templates.Mail's "mail" folder,
// or a folder of the same shape) and renders each with sample data, so a
// broken template stops the service at start rather than an action later.
// baseURL is the service's public address, for links.
func NewComposer(files fs.FS, baseURL string, policy workflow.Policy) (*Composer, error) {
	base, err := CheckBaseURL(baseURL)
	if err != nil {
		return nil, err
	}
	c := &Composer{baseURL: base, policy: policy, text: map[string]*texttemplate.Template{}, html: map[string]*htmltemplate.Template{}}
	var problems []error
	for _, kind := range Kinds {
		files := files
		if _, err := fs.Stat(files, kind+".txt"); errors.Is(err, fs.ErrNotExist) {
			// A folder made before this kind existed keeps working: the
			// kind's mail is written from the built-in templates.
			files = Templates()
		}
		t, err := texttemplate.New(kind).Funcs(texttemplate.FuncMap(funcs)).ParseFS(files, "common.txt", kind+".txt")
		if err == nil {
			err = need(t.Lookup, kind+".txt", "subject", "text")
		}
		if err != nil {
			problems = append(problems, fmt.Errorf("e-postmallen %s.txt: %w", kind, err))
			continue
		}
		h, err := htmltemplate.New(kind).Funcs(htmltemplate.FuncMap(funcs)).ParseFS(files, "layout.html", "common.html", kind+".html")
		if err == nil {
			err = need(func(n string) *htmltemplate.Template { return h.Lookup(n) }, kind+".html", "layout", "body")
		}
		if err != nil {
			problems = append(problems, fmt.Errorf("e-postmallen %s.html: %w", kind, err))
			continue
		}
		c.text[kind], c.html[kind] = t, h
	}
	if err := errors.Join(problems...); err != nil {
		return nil, err
	}
	if err := c.check(); err != nil {
		return nil, err
	}
	return c, nil
}

func need[T comparable](lookup func(string) T, file string, names ...string) error {
	var zero T
	for _, n := range names {
		if lookup(n) == zero {
			return fmt.Errorf("%s definierar inte {{define %q}}", file, n)
		}
	}
	return nil
}

// Templates is the built-in template folder, templates.Mail's "mail".
func Templates() fs.FS {
	sub, err := fs.Sub(templates.Mail, "mail")
	if err != nil {
		panic(err) // a fixed, embedded path
	}
	return sub
}

// CheckBaseURL returns the base URL without a trailing slash, or why it cannot
// be used for links.
func CheckBaseURL(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("basadressen %q ska vara en fullständig http- eller https-adress, t.ex. https://beslut.kommun.se", raw)
	}
	return strings.TrimRight(u.String(), "/"), nil
}

// CaseLink is the address of a case's page.
func (c *Composer) CaseLink(number string) string {
	return c.baseURL + "/cases/" + url.PathEscape(number)
}

// MeetingLink is the address of a meeting's page.
func (c *Composer) MeetingLink(id int64) string {
	return fmt.Sprintf("%s/meetings/%d", c.baseURL, id)
}

// frame is what the HTML layout shows around every mail's body.
type frame struct {
	Subject  string
	Link     string
	LinkText string
}

func (f *frame) base() *frame { return f }

type framed interface{ base() *frame }

// render writes kind's subject, text and HTML for data.
func (c *Composer) render(kind string, data framed) (db.Mail, error) {
	t, ok := c.text[kind]
	if !ok {
		return db.Mail{}, fmt.Errorf("ingen e-postmall för %q", kind)
	}
	var subject, text, html bytes.Buffer
	if err := t.ExecuteTemplate(&subject, "subject", data); err != nil {
		return db.Mail{}, err
	}
	data.base().Subject = oneLine(subject.String())
	if err := t.ExecuteTemplate(&text, "text", data); err != nil {
		return db.Mail{}, err
	}
	if err := c.html[kind].ExecuteTemplate(&html, "layout", data); err != nil {
		return db.Mail{}, err
	}
	return db.Mail{Subject: data.base().Subject, Text: tidy(text.String()), HTML: html.String()}, nil
}

// oneLine keeps a subject to one line whatever a title holds.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// tidy drops the blank lines templates leave at the start and end, and
// collapses runs of blank lines to one.
func tidy(s string) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	var out []string
	for _, l := range lines {
		l = strings.TrimRight(l, " \t")
		if l == "" && (len(out) == 0 || out[len(out)-1] == "") {
			continue
		}
		out = append(out, l)
	}
	return strings.TrimSpace(strings.Join(out, "\n")) + "\n"
}

// mailCase is what every mail says about a case. A case marked secret
// (sekretess) is named by number only: mail leaves the service.
type mailCase struct {
	Number    string
	BoardName string
	Secret    bool
}

func titleOf(title string, secret bool) string {
	if secret {
		return "(sekretessmarkerat ärende)"
	}
	return title
}

type notificationData struct {
	frame
	To       workflow.Person
	Actor    workflow.Person
	Case     mailCase
	Title    string
	Event    workflow.Event
	Reason   string
	Step     string // the body the case is at now
	StepDate workflow.Date
	Due      workflow.Date // the submission day, while in approval
	Decision workflow.Decision
	Extract  *extractData // a dispatched decision taken at a meeting
}

// Compose writes the mail for one workflow notification.
func (c *Composer) Compose(cs *workflow.Case, ev workflow.Event, n workflow.Notification) (db.Mail, error) {
	d := c.notificationData(cs, ev, n)
	m, err := c.render(string(n.Kind), d)
	m.To = n.To.Email
	return m, err
}

func (c *Composer) notificationData(cs *workflow.Case, ev workflow.Event, n workflow.Notification) *notificationData {
	d := &notificationData{frame: frame{Link: c.CaseLink(cs.Number)}, To: n.To, Actor: ev.Actor,
		Case: mailCase{Number: cs.Number, BoardName: cs.Board.Name, Secret: cs.Secret}, Title: titleOf(cs.Title, cs.Secret),
		Event: ev, Reason: n.Reason}
	if st := cs.CurrentStep(); st != nil {
		d.Step, d.StepDate = st.Body.Name, st.Date
	}
	if cs.Decision != nil {
		d.Decision = *cs.Decision
	}
	for _, dl := range workflow.PlanDeadlines(cs, nil, c.policy) {
		if dl.Kind == workflow.DeadlineSubmission {
			d.Due = dl.Due
		}
	}
	return d
}

// todo says what the responsible person should do, per kind of deadline.
var todo = map[workflow.DeadlineKind]string{
	workflow.DeadlineSubmission: "Tjänsteskrivelsen ska vara inlämnad och godkänd av de ansvariga cheferna senast inlämningsdagen.",
	workflow.DeadlineApproval:   "Det är din tur att godkänna tjänsteskrivelsen.",
	workflow.DeadlineStage:      "Sammanträdet har hållits: flytta ärendet till nästa steg, eller bordlägg det.",
	workflow.DeadlineCustom:     "Kvittera bevakningen när den är hanterad.",
	workflow.DeadlineNotice:     "Gör klart föredragningslistan och skicka kallelsen till ledamöterna senast den dagen.",
	workflow.DeadlineJustering:  "Protokollet ska vara justerat av justerarna senast den dagen (14 dagar efter sammanträdet).",
	workflow.DeadlineAnslag:     "Anslå justeringen på den digitala anslagstavlan och registrera anslagsdagen senast den dagen.",
}

type reminderData struct {
	frame
	To      workflow.Person
	Case    mailCase
	Meeting string // a meeting's deadline: the meeting, instead of a case
	Title   string
	Kind    string
	Due     workflow.Date
	On      workflow.Date
	SentOn  workflow.Date
	Offset  int
	Late    bool
	Todo    string
	Note    string
	Manager *workflow.Person
}

// ComposeReminder writes the mail of one reminder; the manager is copied when
// the reminder escalates.
func (c *Composer) ComposeReminder(r db.DueReminder) (db.Mail, error) {
	dl := r.Deadline
	d := &reminderData{frame: frame{Link: c.CaseLink(dl.CaseNumber)}, To: dl.Responsible,
		Case: mailCase{Number: dl.CaseNumber, BoardName: r.Board.Name, Secret: r.Secret}, Title: titleOf(r.CaseTitle, r.Secret),
		Kind: dl.Kind.Label(), Due: dl.Due, On: r.On, SentOn: workflow.Today(r.SentAt), Offset: r.Offset, Late: r.Late(),
		Todo: todo[dl.Kind], Note: dl.Note, Manager: r.Manager}
	if dl.MeetingID != 0 {
		d.Meeting, d.Link, d.LinkText = r.MeetingTitle, c.MeetingLink(dl.MeetingID), "Öppna sammanträdet"
	}
	m, err := c.render("reminder", d)
	m.To = dl.Responsible.Email
	if r.Manager != nil && r.Manager.Email != "" && !strings.EqualFold(r.Manager.Email, m.To) {
		m.Cc = []string{r.Manager.Email}
	}
	return m, err
}

type digestItem struct {
	Due     workflow.Date
	Overdue bool
	Kind    string
	Number  string
	Title   string
	Note    string
	Link    string
}

type digestData struct {
	frame
	To    workflow.Person
	Day   workflow.Date
	Until workflow.Date
	Items []digestItem
}

// ComposeDigest writes one person's morning summary.
func (c *Composer) ComposeDigest(dg db.Digest) (db.Mail, error) {
	d := &digestData{frame: frame{Link: c.baseURL + "/", LinkText: "Öppna Beslutsgång"}, To: dg.To, Day: dg.Day,
		Until: dg.Day.AddDays(db.DigestDays)}
	for _, it := range dg.Deadlines {
		item := digestItem{Due: it.Due, Overdue: it.Due.Before(dg.Day), Kind: it.Kind.Label(),
			Number: it.CaseNumber, Title: it.CaseTitle, Note: it.Note, Link: c.CaseLink(it.CaseNumber)}
		if it.MeetingID != 0 {
			item.Number, item.Title, item.Link = it.MeetingTitle, "", c.MeetingLink(it.MeetingID)
		}
		d.Items = append(d.Items, item)
	}
	m, err := c.render("digest", d)
	m.To = dg.To.Email
	return m, err
}

var weekdays = [...]string{"söndag", "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag"}
var months = [...]string{"januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
	"september", "oktober", "november", "december"}

// swedishDate writes a date as "måndag 30 mars 2026"; a time is taken as its
// date in Stockholm.
func swedishDate(v any) (string, error) {
	var d workflow.Date
	switch x := v.(type) {
	case workflow.Date:
		d = x
	case time.Time:
		d = workflow.Today(x)
	case *time.Time:
		if x == nil {
			return "", nil
		}
		d = workflow.Today(*x)
	default:
		return "", fmt.Errorf("date: %T är inget datum", v)
	}
	if d.IsZero() {
		return "", nil
	}
	return fmt.Sprintf("%s %d %s %d", weekdays[d.Weekday()], d.Day, months[d.Month-1], d.Year), nil
}

var funcs = map[string]any{"date": swedishDate}
