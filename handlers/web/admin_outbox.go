package web

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/workflow"
)

// outboxPerPage is how many messages one page of the outbox shows.
const outboxPerPage = 50

// outboxPage is the outbox, newest first, filtered by state.
type outboxPage struct {
	State  string // the filter as applied; empty: all
	States []outboxState
	Rows   []outboxRow
	Page   int
	Pager  httpx.Pager
	// Total counts the messages shown by the filter, up to the cap.
	Total       int
	TotalCapped bool
}

// outboxState is one choice of the filter, with how many messages are in it
// ("12", or "fler än 10 000").
type outboxState struct {
	Value, Label, Count string
}

// countText is how many rows a list has, as far as it counted: "12", or
// "fler än 10 000" past the cap.
func countText(n int, capped bool) string {
	if capped {
		return "fler än " + workflow.FormatCount(n)
	}
	return workflow.FormatCount(n)
}

type outboxRow struct {
	db.OutboxMail
	KindLabel  string
	StateLabel string
}

// mailStateLabels name the outbox states.
var mailStateLabels = map[string]string{
	db.MailQueued: "Köat",
	db.MailSent:   "Skickat",
	db.MailFailed: "Kunde inte skickas",
}

// mailKindLabels name what a message is about.
var mailKindLabels = map[string]string{
	string(workflow.NotifySubmitted):  "Att godkänna",
	string(workflow.NotifyApproved):   "Godkänt, att planera",
	string(workflow.NotifyRejected):   "Återvisat",
	string(workflow.NotifyReturned):   "Återremitterat",
	string(workflow.NotifyAdvanced):   "Flyttat till nästa steg",
	string(workflow.NotifyPostponed):  "Bordlagt",
	string(workflow.NotifyDispatched): "Beslut expedierat",
	string(workflow.NotifyClosed):     "Avslutat",
	string(workflow.NotifyWithdrawn):  "Återkallat",
	"reminder":                        "Påminnelse",
	"digest":                          "Veckoöversikt",
}

func mailKindLabel(kind string) string {
	if l, ok := mailKindLabels[kind]; ok {
		return l
	}
	return kind
}

// pageLink is the address of another page of the same filter: by number,
// or from a cursor.
func (p *outboxPage) pageLink(page int, cur *db.Cursor) string {
	q := url.Values{}
	if p.State != "" {
		q.Set("state", p.State)
	}
	if page > 0 {
		q.Set("page", strconv.Itoa(page))
	}
	if cur != nil {
		q.Set("cursor", cur.String())
	}
	return "/admin/outbox?" + q.Encode()
}

var outboxNotices = map[string]string{"resent": "Meddelandet är köat igen och skickas inom några sekunder."}

// showOutboxPage is GET /admin/outbox?state=&page=. An unknown state is named
// beside the filter and the page lists every message.
func (w *web) showOutboxPage(c *fiber.Ctx) error {
	return w.renderOutbox(c, fiber.StatusOK, &httpx.View{Notice: outboxNotices[c.Query("done")]})
}

func (w *web) renderOutbox(c *fiber.Ctx, status int, v *httpx.View) error {
	p := &outboxPage{State: c.Query("state")}
	p.Page, _ = strconv.Atoi(c.Query("page"))
	p.Page = max(p.Page, 1)
	if _, ok := mailStateLabels[p.State]; p.State != "" && !ok {
		v.Errors = httpx.FormErrors{{Field: "state", Message: fmt.Sprintf("Det finns inget läge som heter ”%s”; visar alla meddelanden", p.State)}}
		p.State, status = "", fiber.StatusUnprocessableEntity
	}
	cur, err := httpx.ListCursor(c)
	if err != nil {
		return err
	}
	res, err := w.Read(c).Outbox(c.UserContext(), db.OutboxFilter{State: p.State, Page: p.Page, PerPage: outboxPerPage, Cursor: cur})
	if err != nil {
		return err
	}
	p.Total, p.TotalCapped = res.Total, res.TotalCapped
	p.Pager = httpx.NewPager(res.Page, res.Total, res.TotalCapped, outboxPerPage, res.Next, res.Prev, res.Last, p.pageLink)
	all, allCapped := 0, false
	for _, st := range []string{db.MailQueued, db.MailSent, db.MailFailed} {
		capped := slices.Contains(res.CountsCapped, st)
		all, allCapped = all+res.Counts[st], allCapped || capped
		p.States = append(p.States, outboxState{Value: st, Label: mailStateLabels[st], Count: countText(res.Counts[st], capped)})
	}
	p.States = append([]outboxState{{Label: "Alla", Count: countText(all, allCapped)}}, p.States...)
	for _, m := range res.Items {
		p.Rows = append(p.Rows, outboxRow{OutboxMail: m, KindLabel: mailKindLabel(m.Kind), StateLabel: mailStateLabels[m.State]})
	}
	v.Title, v.Section, v.Page = "Utkorg", "admin", p
	return w.Render(c, status, "admin_outbox", v)
}

// showOutboxMailPage is GET /admin/outbox/:id: one message as it was composed.
func (w *web) showOutboxMailPage(c *fiber.Ctx) error {
	id, err := httpx.PathID(c, "Meddelandet")
	if err != nil {
		return err
	}
	m, err := w.Read(c).Mail(c.UserContext(), id)
	if err != nil {
		return err
	}
	mv := &mailView{Nav: "outbox", Back: "/admin/outbox", BackLabel: "Till utkorgen", Text: m.Text, HTML: m.HTML,
		Headers: []detail{{"Till", m.To}, {"Kopia", strings.Join(m.Cc, ", ")}, {"Ämne", m.Subject},
			{"Typ", mailKindLabel(m.Kind)}, {"Ärende", m.CaseNumber}, {"Skapat", httpx.FormatTime(m.CreatedAt)},
			{"Läge", mailStateLabels[m.State]}, {"Försök", strconv.Itoa(m.Attempts)}, {"Senaste fel", m.LastError}},
	}
	switch {
	case m.SentAt != nil:
		mv.Headers = append(mv.Headers, detail{"Skickat", httpx.FormatTime(*m.SentAt)})
	case m.State == db.MailQueued:
		mv.Headers = append(mv.Headers, detail{"Nästa försök", httpx.FormatTime(m.NextAttemptAt)})
	case m.State == db.MailFailed:
		mv.Resend = m.ID
	}
	return w.Render(c, fiber.StatusOK, "admin_mail", &httpx.View{Title: m.Subject, Section: "admin", Page: mv})
}

// submitResendMail is POST /admin/outbox/:id/resend: a failed message is
// queued again, and the worker sends it within seconds.
func (w *web) submitResendMail(c *fiber.Ctx) error {
	id, err := httpx.PathID(c, "Meddelandet")
	if err != nil {
		return err
	}
	_, err = w.Store.ResendMail(c.UserContext(), id)
	if err == nil {
		httpx.Log(c).Info("mail re-sent by an administrator", "id", id, "by", httpx.CurrentUser(c).Email)
		return c.Redirect("/admin/outbox?state=failed&done=resent", fiber.StatusSeeOther)
	}
	if workflow.ErrorCode(err) == workflow.ECONFLICT {
		return w.renderOutbox(c, fiber.StatusConflict, &httpx.View{Alert: workflow.ErrorMessage(err)})
	}
	return err
}
