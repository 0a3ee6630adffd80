package handlers

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/db"
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
	Pager  pager
	Total  int
}

// outboxState is one choice of the filter, with how many messages are in it.
type outboxState struct {
	Value, Label string
	Count        int
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

// pageLink is the address of another page of the same filter.
func (p *outboxPage) pageLink(page int) string {
	q := url.Values{}
	if p.State != "" {
		q.Set("state", p.State)
	}
	q.Set("page", strconv.Itoa(page))
	return "/admin/outbox?" + q.Encode()
}

var outboxNotices = map[string]string{"resent": "Meddelandet är köat igen och skickas inom några sekunder."}

// showOutboxPage is GET /admin/outbox?state=&page=. An unknown state is named
// beside the filter and the page lists every message.
func (w *web) showOutboxPage(c *fiber.Ctx) error {
	return w.renderOutbox(c, fiber.StatusOK, &view{Notice: outboxNotices[c.Query("done")]})
}

func (w *web) renderOutbox(c *fiber.Ctx, status int, v *view) error {
	p := &outboxPage{State: c.Query("state")}
	p.Page, _ = strconv.Atoi(c.Query("page"))
	p.Page = max(p.Page, 1)
	if _, ok := mailStateLabels[p.State]; p.State != "" && !ok {
		v.Errors = formErrors{{Field: "state", Message: fmt.Sprintf("Det finns inget läge som heter ”%s”; visar alla meddelanden", p.State)}}
		p.State, status = "", fiber.StatusUnprocessableEntity
	}
	res, err := w.read(c).Outbox(c.UserContext(), db.OutboxFilter{State: p.State, Page: p.Page, PerPage: outboxPerPage})
	if err != nil {
		return err
	}
	p.Total, p.Pager = res.Total, newPager(p.Page, res.Total, outboxPerPage, p.pageLink)
	all := 0
	for _, st := range []string{db.MailQueued, db.MailSent, db.MailFailed} {
		all += res.Counts[st]
		p.States = append(p.States, outboxState{Value: st, Label: mailStateLabels[st], Count: res.Counts[st]})
	}
	p.States = append([]outboxState{{Label: "Alla", Count: all}}, p.States...)
	for _, m := range res.Items {
		p.Rows = append(p.Rows, outboxRow{OutboxMail: m, KindLabel: mailKindLabel(m.Kind), StateLabel: mailStateLabels[m.State]})
	}
	v.Title, v.Section, v.Page = "Utkorg", "admin", p
	return w.render(c, status, "admin_outbox", v)
}

// showOutboxMailPage is GET /admin/outbox/:id: one message as it was composed.
func (w *web) showOutboxMailPage(c *fiber.Ctx) error {
	id, err := pathID(c, "Meddelandet")
	if err != nil {
		return err
	}
	m, err := w.read(c).Mail(c.UserContext(), id)
	if err != nil {
		return err
	}
	mv := &mailView{Nav: "outbox", Back: "/admin/outbox", BackLabel: "Till utkorgen", Text: m.Text, HTML: m.HTML,
		Headers: []detail{{"Till", m.To}, {"Kopia", strings.Join(m.Cc, ", ")}, {"Ämne", m.Subject},
			{"Typ", mailKindLabel(m.Kind)}, {"Ärende", m.CaseNumber}, {"Skapat", formatTime(m.CreatedAt)},
			{"Läge", mailStateLabels[m.State]}, {"Försök", strconv.Itoa(m.Attempts)}, {"Senaste fel", m.LastError}},
	}
	switch {
	case m.SentAt != nil:
		mv.Headers = append(mv.Headers, detail{"Skickat", formatTime(*m.SentAt)})
	case m.State == db.MailQueued:
		mv.Headers = append(mv.Headers, detail{"Nästa försök", formatTime(m.NextAttemptAt)})
	case m.State == db.MailFailed:
		mv.Resend = m.ID
	}
	return w.render(c, fiber.StatusOK, "admin_mail", &view{Title: m.Subject, Section: "admin", Page: mv})
}

// submitResendMail is POST /admin/outbox/:id/resend: a failed message is
// queued again, and the worker sends it within seconds.
func (w *web) submitResendMail(c *fiber.Ctx) error {
	id, err := pathID(c, "Meddelandet")
	if err != nil {
		return err
	}
	_, err = w.store.ResendMail(c.UserContext(), id)
	if err == nil {
		w.cfg.Log.Info("mail re-sent by an administrator", "id", id, "by", currentUser(c).Email)
		return c.Redirect("/admin/outbox?state=failed&done=resent", fiber.StatusSeeOther)
	}
	if workflow.ErrorCode(err) == workflow.ECONFLICT {
		return w.renderOutbox(c, fiber.StatusConflict, &view{Alert: workflow.ErrorMessage(err)})
	}
	return err
}
