package db

import (
	"context"
	"database/sql"
	"errors"

	"github.com/kommun/beslutsgang/workflow"
)

// Reader reads the store as one person sees it: every case, event,
// bevakning, agenda item, protokoll paragraph, file and mail that leaves the
// store through it has what a secret case is about withheld from people the
// case does not involve (workflow.Case.Involves; OSL 2009:400). The handlers
// read only through a Reader; the raw Store methods are for the workflow's own
// writes, mail composition and the scheduled jobs.
type Reader struct {
	s  *Store
	as *workflow.User // nil: the public, not logged in
}

// As returns a Reader for u; nil reads as the public.
func (s *Store) As(u *workflow.User) Reader { return Reader{s: s, as: u} }

// sees reports whether the reader may see the content of the case with the
// given number; a missing case counts as seen (its absence is not secret).
// It asks the database with the same rule the lists use (visibleTo).
func (r Reader) sees(ctx context.Context, number string) (bool, error) {
	var ok bool
	err := r.s.r.QueryRowContext(ctx, `SELECT `+visibleTo(r.as)+` FROM cases WHERE cases.number = ?`, number).Scan(&ok)
	if errors.Is(err, sql.ErrNoRows) {
		return true, nil
	}
	return ok, err
}

// seer answers sees for several cases of one read, asking once per case.
type seer struct {
	r    Reader
	ctx  context.Context
	seen map[string]bool
}

func (r Reader) seer(ctx context.Context) *seer {
	return &seer{r: r, ctx: ctx, seen: map[string]bool{}}
}

func (s *seer) sees(number string) (bool, error) {
	if ok, done := s.seen[number]; done {
		return ok, nil
	}
	ok, err := s.r.sees(s.ctx, number)
	s.seen[number] = ok
	return ok, err
}

// Sees reports whether the reader may see what the case with the given
// number is about (workflow.Case.Sees), for pages that offer forms on it.
func (r Reader) Sees(ctx context.Context, number string) (bool, error) { return r.sees(ctx, number) }

// Case loads a case; a secret case the reader is not involved in comes
// withheld (workflow.Case.Withhold).
func (r Reader) Case(ctx context.Context, number string) (workflow.Case, error) {
	c, err := r.s.Case(ctx, number)
	if err != nil || c.Sees(r.as) {
		return c, err
	}
	return c.Withhold(), nil
}

// CaseRecord is a case with the paragraphs taken on it, read in one
// transaction so both come from the same moment, and withheld as Case and
// CaseParagraphs withhold them. For the public (a nil reader) each
// paragraph is as its meeting's protokoll is public (protokollViews,
// workflow.ProtokollView): with its decision only once the protokoll is
// published on the web and the paragraph not withheld, names removed, and
// else with PublicNotice saying why not.
func (r Reader) CaseRecord(ctx context.Context, number string) (workflow.Case, []CaseParagraph, error) {
	if r.as != nil {
		// Every member of staff reads the same record (kept, case_cache.go);
		// what is withheld is decided per reader.
		rec, err := r.s.staffRecord(ctx, number)
		if err != nil {
			return rec.c, rec.pars, err
		}
		c, pars := r.withholdRecord(rec.c, rec.pars)
		return c, pars, nil
	}
	var c workflow.Case
	var pars []CaseParagraph
	var views map[int64]workflow.ProtokollView
	err := r.s.readTx(ctx, func(q queryer) (err error) {
		if c, err = loadCase(ctx, q, number); err != nil {
			return err
		}
		if pars, err = caseParagraphs(ctx, q, c.Number); err != nil {
			return err
		}
		var meetings []int64
		for _, p := range pars {
			meetings = append(meetings, p.MeetingID)
		}
		views, err = protokollViews(ctx, q, meetings)
		return err
	})
	if err != nil {
		return c, pars, err
	}
	for i, p := range pars {
		pp := views[p.MeetingID].Paragraph(p.Paragraph)
		pars[i].Paragraph = pp.Paragraph
		if !pp.Shown {
			pars[i].PublicNotice = pp.Notice
		}
	}
	c, pars = r.withholdRecord(c, pars)
	return c, pars, nil
}

// withholdRecord is c and its paragraphs pars as the reader may see them:
// for a secret case the reader is not involved in, withheld
// (workflow.Case.Withhold, workflow.WithholdParagraph). It changes pars.
func (r Reader) withholdRecord(c workflow.Case, pars []CaseParagraph) (workflow.Case, []CaseParagraph) {
	if c.Sees(r.as) {
		return c, pars
	}
	for i := range pars {
		pars[i].Paragraph = workflow.WithholdParagraph(pars[i].Paragraph)
	}
	return c.Withhold(), pars
}

// Events is a case's history; for a secret case the reader is not involved
// in, without reasons, details and actors (workflow.WithholdEvent).
func (r Reader) Events(ctx context.Context, number string) ([]workflow.Event, error) {
	evs, err := r.s.Events(ctx, number)
	if err != nil {
		return nil, err
	}
	ok, err := r.sees(ctx, number)
	if err != nil || ok {
		return evs, err
	}
	for i := range evs {
		evs[i] = workflow.WithholdEvent(evs[i])
	}
	return evs, nil
}

// Cases lists cases as the reader may see them: a withheld title is neither
// shown, searched, sorted on, nor filtered on (CaseFilter.Viewer).
func (r Reader) Cases(ctx context.Context, f CaseFilter) (CasePage, error) {
	f.Viewer = r.as
	return r.s.Cases(ctx, f)
}

// AttachmentData returns a case file and its content; the files of a secret
// case open only for the people it involves (EFORBIDDEN for anyone else).
func (r Reader) AttachmentData(ctx context.Context, number string, id int64) (workflow.Attachment, []byte, error) {
	ok, err := r.sees(ctx, number)
	if err != nil {
		return workflow.Attachment{}, nil, err
	}
	if !ok {
		return workflow.Attachment{}, nil, workflow.Errorf(workflow.EFORBIDDEN, "Handlingen omfattas av sekretess; bara de som arbetar med ärendet kan öppna den")
	}
	return r.s.AttachmentData(ctx, number, id)
}

// withholdDeadlines withholds the bevakningar on secret cases the reader is
// not involved in (workflow.WithholdDeadline); the case title goes too.
func (r Reader) withholdDeadlines(ctx context.Context, items []DeadlineItem) ([]DeadlineItem, error) {
	sr := r.seer(ctx)
	for i, it := range items {
		if !it.Secret || it.CaseNumber == "" {
			continue
		}
		ok, err := sr.sees(it.CaseNumber)
		if err != nil {
			return nil, err
		}
		if !ok {
			items[i].Deadline = workflow.WithholdDeadline(it.Deadline)
			items[i].CaseTitle = workflow.WithheldText
		}
	}
	return items, nil
}

// CaseDeadlines lists a case's bevakningar as the reader may see them.
func (r Reader) CaseDeadlines(ctx context.Context, number string) ([]DeadlineItem, error) {
	items, err := r.s.CaseDeadlines(ctx, number)
	if err != nil {
		return nil, err
	}
	return r.withholdDeadlines(ctx, items)
}

// UserDeadlinePage is a page of a person's open bevakningar as the reader
// may see them.
func (r Reader) UserDeadlinePage(ctx context.Context, f DeadlineFilter) (DeadlinePage, error) {
	page, err := r.s.UserDeadlinePage(ctx, f)
	if err != nil {
		return page, err
	}
	page.Items, err = r.withholdDeadlines(ctx, page.Items)
	return page, err
}

// Deadline finds one bevakning as the reader may see it.
func (r Reader) Deadline(ctx context.Context, id int64) (DeadlineItem, error) {
	it, err := r.s.Deadline(ctx, id)
	if err != nil {
		return it, err
	}
	return r.DeadlineItem(ctx, it)
}

// DeadlineItem withholds one bevakning the store returned from a write
// (AddDeadline, AcknowledgeDeadline), as Deadline does.
func (r Reader) DeadlineItem(ctx context.Context, it DeadlineItem) (DeadlineItem, error) {
	items, err := r.withholdDeadlines(ctx, []DeadlineItem{it})
	if err != nil {
		return it, err
	}
	return items[0], nil
}

// Agenda is a meeting's föredragningslista; a secret case on it shows its
// number only to readers it does not involve.
func (r Reader) Agenda(ctx context.Context, meetingID int64) ([]AgendaItem, error) {
	items, err := r.s.Agenda(ctx, meetingID)
	if err != nil {
		return nil, err
	}
	return r.AgendaItems(ctx, items)
}

// AgendaItems withholds agenda items the store returned from a write (adding,
// moving or removing a point), as Agenda does.
func (r Reader) AgendaItems(ctx context.Context, items []AgendaItem) ([]AgendaItem, error) {
	sr := r.seer(ctx)
	for i, it := range items {
		if it.Case == nil || !it.Case.Secret {
			continue
		}
		ok, err := sr.sees(it.Case.Number)
		if err != nil {
			return nil, err
		}
		if ok {
			continue
		}
		ac := *it.Case
		ac.Title = workflow.WithheldText
		items[i].Case, items[i].Title = &ac, ac.Title
		if it.Paragraph != nil {
			p := workflow.WithholdParagraph(*it.Paragraph)
			items[i].Paragraph = &p
		}
	}
	return items, nil
}

// Minutes is a meeting's protokoll with the paragraphs on secret cases the
// reader is not involved in withheld.
func (r Reader) Minutes(ctx context.Context, meetingID int64) (workflow.Minutes, error) {
	min, err := r.s.Minutes(ctx, meetingID)
	if err != nil {
		return min, err
	}
	return min, r.withholdParagraphs(ctx, min.Paragraphs)
}

// Extract is one paragraph of a protokoll (a protokollsutdrag), withheld as in
// Minutes.
func (r Reader) Extract(ctx context.Context, meetingID int64, n int) (Extract, error) {
	ex, err := r.s.Extract(ctx, meetingID, n)
	if err != nil {
		return ex, err
	}
	if err := r.withholdParagraphs(ctx, ex.Minutes.Paragraphs); err != nil {
		return ex, err
	}
	ex.Paragraph = ex.Minutes.Paragraphs[0]
	return ex, nil
}

func (r Reader) withholdParagraphs(ctx context.Context, ps []workflow.Paragraph) error {
	sr := r.seer(ctx)
	for i, p := range ps {
		if !p.Secret {
			continue
		}
		ok, err := sr.sees(p.CaseNumber)
		if err != nil {
			return err
		}
		if !ok {
			ps[i] = workflow.WithholdParagraph(p)
		}
	}
	return nil
}

// Mail is one outbox message; one about a secret case the reader is not
// involved in shows its addresses and state, not its subject or text.
func (r Reader) Mail(ctx context.Context, id int64) (OutboxMail, error) {
	m, err := r.s.MailByID(ctx, id)
	if err != nil {
		return m, err
	}
	ms := []OutboxMail{m}
	err = r.withholdMail(ctx, ms)
	return ms[0], err
}

// Outbox lists the outbox as the reader may see it (see Mail).
func (r Reader) Outbox(ctx context.Context, f OutboxFilter) (OutboxPage, error) {
	page, err := r.s.Outbox(ctx, f)
	if err != nil {
		return page, err
	}
	return page, r.withholdMail(ctx, page.Items)
}

func (r Reader) withholdMail(ctx context.Context, ms []OutboxMail) error {
	sr := r.seer(ctx)
	for i, m := range ms {
		if m.CaseNumber == "" {
			continue
		}
		ok, err := sr.sees(m.CaseNumber)
		if err != nil {
			return err
		}
		if !ok {
			ms[i].Subject, ms[i].Text, ms[i].HTML = m.CaseNumber+": "+workflow.WithheldText, "", ""
		}
	}
	return nil
}
