package db

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"github.com/kommun/beslutsgang/workflow"
)

// Publication of justerade protokoll on the web (workflow/publication.go for
// the rules: KL 2017:725 8 kap. 12 §, GDPR art. 6.1 e, OSL 2009:400). Rows
// live in protokoll_publications: each publication is kept with its choices
// and its PDF; one row per meeting without published_at holds the
// secretary's saved choices not yet published.

// RedactionInput is the secretary's choices as the form sends them:
// paragraph numbers to keep off the web, and names, one a line.
type RedactionInput struct {
	Withheld []string
	Names    string
}

// PublishedPDF is the PDF of a publication, made when it was published.
type PublishedPDF struct {
	Data   []byte
	Tagged bool
}

const publicationCols = `p.id, p.meeting_id, p.withheld, p.names, p.saved_at, sb.id, sb.name,
	p.published_at, COALESCE(pb.id, 0), COALESCE(pb.name, ''), p.pdf_tagged, COALESCE(LENGTH(p.pdf), 0)`

const publicationFrom = ` FROM protokoll_publications p JOIN users sb ON sb.id = p.saved_by
	LEFT JOIN users pb ON pb.id = p.published_by `

func scanPublication(sc interface{ Scan(...any) error }) (workflow.Publication, error) {
	var p workflow.Publication
	var withheld, names, saved string
	var published sql.NullString
	var pbID int64
	var pbName string
	err := sc.Scan(&p.ID, &p.MeetingID, &withheld, &names, &saved, &p.SavedBy.ID, &p.SavedBy.Name,
		&published, &pbID, &pbName, &p.Tagged, &p.PDFSize)
	if err != nil {
		return p, err
	}
	p.SavedAt = parseTime(saved)
	p.PublishedAt = timePtr(published)
	if p.PublishedAt != nil {
		p.PublishedBy = &workflow.Person{ID: pbID, Name: pbName}
	}
	for _, s := range strings.Split(withheld, ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(s)); err == nil {
			p.Withheld = append(p.Withheld, n)
		}
	}
	for _, s := range strings.Split(names, "\n") {
		if s != "" {
			p.Names = append(p.Names, s)
		}
	}
	return p, nil
}

func withheldText(ns []int) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, ",")
}

// Publications lists a meeting's publications, newest first, without the
// saved choices not yet published.
func (s *Store) Publications(ctx context.Context, meetingID int64) ([]workflow.Publication, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+publicationCols+publicationFrom+`
		WHERE p.meeting_id = ? AND p.published_at IS NOT NULL ORDER BY p.id DESC`, meetingID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []workflow.Publication{}
	for rows.Next() {
		p, err := scanPublication(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// PendingRedaction is the secretary's saved choices for a meeting not yet
// published, if any.
func (s *Store) PendingRedaction(ctx context.Context, meetingID int64) (workflow.Publication, bool, error) {
	p, err := scanPublication(s.r.QueryRowContext(ctx, `SELECT `+publicationCols+publicationFrom+`
		WHERE p.meeting_id = ? AND p.published_at IS NULL`, meetingID))
	if errors.Is(err, sql.ErrNoRows) {
		return p, false, nil
	}
	return p, err == nil, err
}

// checkRedaction loads the meeting and its protokoll in tx, checks that
// actor may review it (and, to publish, publish it) and parses the choices.
func checkRedaction(ctx context.Context, tx *sql.Tx, meetingID int64, actor workflow.User, in RedactionInput, publish bool) (workflow.Meeting, workflow.Redaction, error) {
	min, err := minutesOf(ctx, tx, meetingID)
	if err != nil {
		return min.Meeting, workflow.Redaction{}, err
	}
	check := workflow.CanRedact
	if publish {
		check = workflow.CanPublish
	}
	if err := check(min.Meeting, actor); err != nil {
		return min.Meeting, workflow.Redaction{}, err
	}
	r, err := workflow.ParseRedaction(min, in.Withheld, in.Names)
	return min.Meeting, r, err
}

// SaveRedaction keeps the secretary's choices for a meeting's protokoll
// without publishing them: the review page starts from them next time, and
// the public sees the last publication unchanged.
func (s *Store) SaveRedaction(ctx context.Context, meetingID int64, actor workflow.User, in RedactionInput) (workflow.Redaction, error) {
	var out workflow.Redaction
	err := s.tx(ctx, func(tx *sql.Tx) error {
		_, r, err := checkRedaction(ctx, tx, meetingID, actor, in, false)
		if err != nil {
			return err
		}
		now := fmtTime(s.now())
		if _, err := tx.ExecContext(ctx, `DELETE FROM protokoll_publications WHERE meeting_id = ? AND published_at IS NULL`, meetingID); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO protokoll_publications(meeting_id, withheld, names, saved_at, saved_by)
			VALUES (?,?,?,?,?)`, meetingID, withheldText(r.Withheld), strings.Join(r.Names, "\n"), now, actor.ID)
		out = r
		return err
	})
	return out, err
}

// Publish publishes a meeting's justerat protokoll on the web with the
// secretary's choices and the public PDF made from them (outside the
// transaction: Chromium takes seconds). It keeps the publication as a new
// row, drops the saved choices, and notes a "published" event, with the
// publisher and the withheld paragraphs, in the history of every case in
// the protokoll, all in one transaction. A protokoll may be published again
// with other choices; every publication stays.
func (s *Store) Publish(ctx context.Context, meetingID int64, actor workflow.User, in RedactionInput, pdf PublishedPDF) (workflow.Publication, error) {
	var out workflow.Publication
	err := s.tx(ctx, func(tx *sql.Tx) error {
		m, r, err := checkRedaction(ctx, tx, meetingID, actor, in, true)
		if err != nil {
			return err
		}
		if len(pdf.Data) == 0 {
			return errors.New("publish: no PDF")
		}
		now := s.now()
		if _, err := tx.ExecContext(ctx, `DELETE FROM protokoll_publications WHERE meeting_id = ? AND published_at IS NULL`, meetingID); err != nil {
			return err
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO protokoll_publications(meeting_id, withheld, names, saved_at, saved_by,
			published_at, published_by, pdf, pdf_tagged) VALUES (?,?,?,?,?,?,?,?,?) RETURNING id`,
			meetingID, withheldText(r.Withheld), strings.Join(r.Names, "\n"), fmtTime(now), actor.ID,
			fmtTime(now), actor.ID, pdf.Data, pdf.Tagged).Scan(&id); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM protokoll_publications WHERE meeting_id = ? AND published_at IS NOT NULL`,
			meetingID).Scan(&n); err != nil {
			return err
		}
		withheld := []string{}
		for _, w := range r.Withheld {
			withheld = append(withheld, workflow.ParagraphLabel(w))
		}
		// The names removed are not written into the history: the history
		// would otherwise hold the very names kept off the web.
		if err := s.noteOnCases(ctx, tx, m, actor, workflow.Env{Now: now, Actor: actor}, "published", map[string]any{
			"publication": id, "time": n, "url": workflow.PublicPath(m), "withheld": withheld,
			"names_removed": len(r.Names), "tagged_pdf": pdf.Tagged}); err != nil {
			return err
		}
		pb := actor.Person()
		out = workflow.Publication{ID: id, MeetingID: meetingID, Redaction: r, SavedAt: now, SavedBy: pb,
			PublishedAt: &now, PublishedBy: &pb, Tagged: pdf.Tagged, PDFSize: len(pdf.Data)}
		return nil
	})
	return out, err
}

// publishedMeeting finds the meeting of a body on a date whose protokoll is
// published, and its newest publication; ENOTFOUND when there is none.
func (s *Store) publishedMeeting(ctx context.Context, bodyCode string, date workflow.Date) (int64, workflow.Publication, error) {
	var id int64
	err := s.r.QueryRowContext(ctx, `SELECT id FROM meetings WHERE body_code = ? AND date = ?`, bodyCode, date.String()).Scan(&id)
	notPublished := notFound("Det finns inget protokoll från %s den %s publicerat på webben", bodyCode, date)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, workflow.Publication{}, notPublished
	}
	if err != nil {
		return 0, workflow.Publication{}, err
	}
	p, err := scanPublication(s.r.QueryRowContext(ctx, `SELECT `+publicationCols+publicationFrom+`
		WHERE p.meeting_id = ? AND p.published_at IS NOT NULL ORDER BY p.id DESC LIMIT 1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return id, p, notPublished
	}
	return id, p, err
}

// PublishedProtokoll is the protokoll of a body's meeting on a date as it is
// published on the web now: under the newest publication's choices, with
// secret cases by registration only (workflow.Publish). ENOTFOUND when it
// has not been published.
func (s *Store) PublishedProtokoll(ctx context.Context, bodyCode string, date workflow.Date) (workflow.PublicMinutes, workflow.Publication, error) {
	id, p, err := s.publishedMeeting(ctx, bodyCode, date)
	if err != nil {
		return workflow.PublicMinutes{}, p, err
	}
	min, err := minutesOf(ctx, s.r, id)
	if err != nil {
		return workflow.PublicMinutes{}, p, err
	}
	return workflow.Publish(min, p.Redaction), p, nil
}

// PublishedProtokollPDF is the PDF of the newest publication of a body's
// meeting on a date, as it was made when published.
func (s *Store) PublishedProtokollPDF(ctx context.Context, bodyCode string, date workflow.Date) (PublishedPDF, error) {
	_, p, err := s.publishedMeeting(ctx, bodyCode, date)
	if err != nil {
		return PublishedPDF{}, err
	}
	var out PublishedPDF
	err = s.r.QueryRowContext(ctx, `SELECT pdf, pdf_tagged FROM protokoll_publications WHERE id = ?`, p.ID).Scan(&out.Data, &out.Tagged)
	return out, err
}

// PublishedMeetingIDs is the set of meetings whose protokoll is published
// on the web: the anslagstavla links a justering notice to its protokoll
// only then.
func (s *Store) PublishedMeetingIDs(ctx context.Context) (map[int64]bool, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT DISTINCT meeting_id FROM protokoll_publications WHERE published_at IS NOT NULL`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}
