package db

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/kommun/beslutsgang/workflow"
)

// Publication of justerade protokoll on the web (workflow/publication.go for
// the rules: KL 2017:725 8 kap. 12 §, GDPR art. 6.1 e, OSL 2009:400). Rows
// live in protokoll_publications: each publication is kept with its choices
// and its PDF; one row per meeting without published_at holds the
// secretary's saved choices not yet published.

// RedactionInput is the secretary's choices as the form sends them:
// paragraph numbers to keep off the web, and names, one a line, with what
// the form was made from, so that nobody's choices are replaced unseen.
type RedactionInput struct {
	Withheld []string
	Names    string
	// Version is the Seq of the newest publication the secretary was shown
	// (0: none). Publish refuses, or answers with that publication, when
	// another came after it: Publicera pressed twice publishes once.
	// SaveRedaction refuses when another came after it.
	Version int
	// SavedVersion is the SavedVersion of the saved choices the form was
	// made from (PendingRedaction; "": there were none). SaveRedaction and
	// Publish refuse when other choices have been saved since; choices the
	// same as the form's lose nothing when replaced, and pass.
	SavedVersion string
}

// PublishedPDF is the PDF of a publication, made when it was published.
type PublishedPDF struct {
	Data   []byte
	Tagged bool
	Stale  bool // a case in it has been marked secret since (PublishedProtokollPDF)
}

const publicationCols = `p.id, p.meeting_id, p.withheld, p.names, p.saved_at, sb.id, sb.name,
	p.published_at, COALESCE(pb.id, 0), COALESCE(pb.name, ''), COALESCE(p.seq, 0), p.pdf_tagged, COALESCE(LENGTH(p.pdf), 0)`

const publicationFrom = ` FROM protokoll_publications p JOIN users sb ON sb.id = p.saved_by
	LEFT JOIN users pb ON pb.id = p.published_by `

func scanPublication(sc interface{ Scan(...any) error }) (workflow.Publication, error) {
	var p workflow.Publication
	var withheld, names, saved string
	var published sql.NullString
	var pbID int64
	var pbName string
	err := sc.Scan(&p.ID, &p.MeetingID, &withheld, &names, &saved, &p.SavedBy.ID, &p.SavedBy.Name,
		&published, &pbID, &pbName, &p.Seq, &p.Tagged, &p.PDFSize)
	if err != nil {
		return p, err
	}
	p.SavedAt = parseTime(saved)
	p.PublishedAt = timePtr(published)
	if p.PublishedAt != nil {
		p.PublishedBy = &workflow.Person{ID: pbID, Name: pbName}
	}
	p.Redaction = parseRedaction(withheld, names)
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

// SavedVersion identifies saved choices (PendingRedaction) for a form made
// from them, RedactionInput.SavedVersion: a hash of the row, its id, when and
// by whom it was saved, and its choices. Not the id alone: SQLite gives the
// id of a row deleted last to the next one, so saved choices replaced by
// others may have the same id.
func SavedVersion(p workflow.Publication) string {
	h := sha256.New()
	fmt.Fprintf(h, "%d\x00%s\x00%d\x00%s\x00%s", p.ID, fmtTime(p.SavedAt), p.SavedBy.ID, withheldText(p.Withheld), strings.Join(p.Names, "\n"))
	return hex.EncodeToString(h.Sum(nil))[:16]
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
// the public sees the last publication unchanged. The choices replace the
// saved ones only when those are the ones the form was made from
// (in.SavedVersion) and no publication came after in.Version; saved choices the
// same as in's are left as they are (Spara valen pressed twice).
//
// Errors: EINVALID for choices that are not the protokoll's (field errors)
// or a form without a valid in.Version; EFORBIDDEN when actor may not
// review the protokoll; ENOTFOUND for no such meeting; ECONFLICT, with
// nothing saved, when the meeting has no protokoll (not held, or a body
// keeping none), or someone has published the protokoll since in.Version
// or saved other choices since the form was made (the message names who
// and when).
func (s *Store) SaveRedaction(ctx context.Context, meetingID int64, actor workflow.User, in RedactionInput) (workflow.Redaction, error) {
	var out workflow.Redaction
	err := s.tx(ctx, func(tx *sql.Tx) error {
		m, r, err := checkRedaction(ctx, tx, meetingID, actor, in, false)
		if err != nil {
			return err
		}
		newest, err := newestPublication(ctx, tx, meetingID)
		if err != nil {
			return err
		}
		if err := checkVersion(in.Version, newest); err != nil {
			return err
		}
		if newest.Seq > in.Version {
			return workflow.Errorf(workflow.ECONFLICT, "Protokollet från %s har publicerats av %s %s medan du granskade det; "+
				"dina val har inte sparats. Ladda om sidan och se över valen utifrån den publiceringen", m.Title(), publisherName(newest), when(*newest.PublishedAt))
		}
		pending, ok, err := checkSaved(ctx, tx, m, in.SavedVersion, r, "dina val har inte sparats. Ladda om sidan och se över valen")
		if err != nil {
			return err
		}
		out = r
		if ok && pending.Redaction.Same(r) {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM protokoll_publications WHERE meeting_id = ? AND published_at IS NULL`, meetingID); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO protokoll_publications(meeting_id, withheld, names, saved_at, saved_by)
			VALUES (?,?,?,?,?)`, meetingID, withheldText(r.Withheld), strings.Join(r.Names, "\n"), fmtTime(s.now()), actor.ID)
		return err
	})
	return out, err
}

// checkSaved checks, in tx, that the meeting's saved choices are the ones
// a form was made from (version: their SavedVersion, "" for none), or the
// same as the form's r, or that there are none: nothing then is lost when
// they are replaced. It returns the saved choices (ok: there are some), or
// ECONFLICT, ending in then (what to do), when they are other choices
// saved since.
func checkSaved(ctx context.Context, q queryer, m workflow.Meeting, version string, r workflow.Redaction, then string) (workflow.Publication, bool, error) {
	p, err := scanPublication(q.QueryRowContext(ctx, `SELECT `+publicationCols+publicationFrom+`
		WHERE p.meeting_id = ? AND p.published_at IS NULL`, m.ID))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return p, false, nil
	case err != nil:
		return p, false, err
	case SavedVersion(p) == version || p.Redaction.Same(r):
		return p, true, nil
	}
	return p, true, workflow.Errorf(workflow.ECONFLICT, "%s sparade andra val för protokollet från %s %s, efter att du öppnade sidan; %s",
		p.SavedBy.Name, m.Title(), when(p.SavedAt), then)
}

// notPublished ends the message of a publication refused over other saved
// choices.
const notPublished = "protokollet har inte publicerats. Ladda om sidan och se över valen innan du publicerar"

// CheckSavedChoices answers as Publish does about the meeting's saved
// choices: ECONFLICT, naming who saved them and when, when they are neither
// those the form was made from (savedVersion, SavedVersion) nor the same as
// r. The publication page asks before it prints the PDF, so a stale form
// starts no Chromium; Publish asks again in its transaction.
func (s *Store) CheckSavedChoices(ctx context.Context, m workflow.Meeting, savedVersion string, r workflow.Redaction) error {
	_, _, err := checkSaved(ctx, s.r, m, savedVersion, r, notPublished)
	return err
}

// when writes an instant for a message, in Stockholm time: "den 2026-11-26
// kl. 14:05".
func when(t time.Time) string {
	t = t.In(workflow.Stockholm)
	return "den " + t.Format("2006-01-02") + " kl. " + t.Format("15:04")
}

// publisherName is who published p, for a message.
func publisherName(p workflow.Publication) string {
	if p.PublishedBy == nil {
		return "någon annan"
	}
	return p.PublishedBy.Name
}

// Publish publishes a meeting's justerat protokoll on the web with the
// secretary's choices and the public PDF made from them (outside the
// transaction: Chromium takes seconds). It keeps the publication as a new
// row, drops the saved choices, notes a "published" event, with the
// publisher and the withheld paragraphs, in the history of every case in
// the protokoll, and brings the public diary's search index to the new
// choices, all in one transaction. A protokoll may be published again with
// other choices; every publication stays.
//
// in.Version must be the Seq of the newest publication (0 for none): the
// new one takes the next number, which a unique index lets only one
// publication have. When another publication came after in.Version, a
// request with the same choices that made it (Publicera pressed twice, or
// two secretaries agreeing) gets that publication back, and one with other
// choices ECONFLICT: nothing is published twice unseen. Likewise the saved
// choices it drops must be those the form was made from (in.SavedVersion) or
// the same as in's: other choices saved meanwhile are not dropped unseen.
//
// Errors: EINVALID for choices that are not the protokoll's (field errors)
// or a form without a valid in.Version; EFORBIDDEN when actor may not
// publish it; ENOTFOUND for no such meeting; ECONFLICT, with nothing
// published, when the protokoll is not justerat, or someone has published
// it since in.Version with other choices, or saved other choices since the
// form was made (the messages name who and when).
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
		if done, ok, err := publishedAfter(ctx, tx, meetingID, in.Version, r); err != nil || ok {
			out = done
			return err
		}
		if _, _, err := checkSaved(ctx, tx, m, in.SavedVersion, r, notPublished); err != nil {
			return err
		}
		now := s.now()
		if _, err := tx.ExecContext(ctx, `DELETE FROM protokoll_publications WHERE meeting_id = ? AND published_at IS NULL`, meetingID); err != nil {
			return err
		}
		seq := in.Version + 1
		secret, err := secretCases(ctx, tx, meetingID)
		if err != nil {
			return err
		}
		var id int64
		err = tx.QueryRowContext(ctx, `INSERT INTO protokoll_publications(meeting_id, withheld, names, saved_at, saved_by,
			published_at, published_by, pdf, pdf_tagged, seq, secret_cases) VALUES (?,?,?,?,?,?,?,?,?,?,?) RETURNING id`,
			meetingID, withheldText(r.Withheld), strings.Join(r.Names, "\n"), fmtTime(now), actor.ID,
			fmtTime(now), actor.ID, pdf.Data, pdf.Tagged, seq, secret).Scan(&id)
		if isUnique(err) {
			return errPublishedMeanwhile(m, workflow.Publication{})
		}
		if err != nil {
			return err
		}
		withheld := []string{}
		for _, w := range r.Withheld {
			withheld = append(withheld, workflow.ParagraphLabel(w))
		}
		// The names removed are not written into the history: the history
		// would otherwise hold the very names kept off the web.
		if err := s.noteOnCases(ctx, tx, m, actor, workflow.Env{Now: now, Actor: actor}, "published", map[string]any{
			"publication": id, "time": seq, "url": workflow.PublicPath(m), "withheld": withheld,
			"names_removed": len(r.Names), "tagged_pdf": pdf.Tagged}); err != nil {
			return err
		}
		// The diary's search reads decisions through the newest publication.
		if err := s.indexMeetingCases(ctx, tx, meetingID); err != nil {
			return err
		}
		pb := actor.Person()
		out = workflow.Publication{ID: id, MeetingID: meetingID, Redaction: r, SavedAt: now, SavedBy: pb,
			PublishedAt: &now, PublishedBy: &pb, Seq: seq, Tagged: pdf.Tagged, PDFSize: len(pdf.Data)}
		return nil
	})
	return out, err
}

// errPublishedMeanwhile is the conflict of a form made before p, the newest
// publication (zero when not known: the unique index on seq refused).
func errPublishedMeanwhile(m workflow.Meeting, p workflow.Publication) error {
	by := ""
	if p.PublishedAt != nil {
		by = ", av " + publisherName(p) + " " + when(*p.PublishedAt)
	}
	return workflow.Errorf(workflow.ECONFLICT, "Protokollet från %s har publicerats på nytt medan du granskade det%s, med andra val; "+
		"ladda om sidan, se den senaste publiceringen och publicera igen om valen ska ändras", m.Title(), by)
}

// PublishedAfter answers, before the public PDF is made, what Publish will:
// (the publication, true) when the one in would make exists already, as the
// publication after version with the same choices; ECONFLICT when another
// came after version; EINVALID when version is negative or above the
// newest; (zero, false) when version is the newest.
func (s *Store) PublishedAfter(ctx context.Context, meetingID int64, version int, r workflow.Redaction) (workflow.Publication, bool, error) {
	return publishedAfter(ctx, s.r, meetingID, version, r)
}

func publishedAfter(ctx context.Context, q queryer, meetingID int64, version int, r workflow.Redaction) (workflow.Publication, bool, error) {
	p, err := newestPublication(ctx, q, meetingID)
	if err == nil {
		err = checkVersion(version, p)
	}
	switch {
	case err != nil:
		return p, false, err
	case p.Seq == version:
		return p, false, nil
	case p.Seq == version+1 && p.Redaction.Same(r):
		return p, true, nil
	}
	m, err := meetingByID(ctx, q, meetingID)
	if err != nil {
		return p, false, err
	}
	return p, false, errPublishedMeanwhile(m, p)
}

// newestPublication is the meeting's newest publication; the zero
// Publication (Seq 0) when it has none.
func newestPublication(ctx context.Context, q queryer, meetingID int64) (workflow.Publication, error) {
	p, err := scanPublication(q.QueryRowContext(ctx, `SELECT `+publicationCols+publicationFrom+`
		WHERE p.meeting_id = ? AND p.published_at IS NOT NULL ORDER BY p.id DESC LIMIT 1`, meetingID))
	if errors.Is(err, sql.ErrNoRows) {
		return workflow.Publication{}, nil
	}
	return p, err
}

// checkVersion refuses, EINVALID, a form's version that no page showed:
// negative (the form did not say) or above the newest publication's Seq.
func checkVersion(version int, newest workflow.Publication) error {
	switch {
	case version < 0:
		return workflow.Errorf(workflow.EINVALID, "Formuläret saknar uppgift om vilken publicering du granskade; ladda om sidan och publicera därifrån")
	case version > newest.Seq:
		return workflow.Errorf(workflow.EINVALID, "Formuläret anger publicering %d, men protokollet har publicerats %d gånger; ladda om sidan", version, newest.Seq)
	}
	return nil
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
// meeting on a date, as it was made when published; Stale when a case of
// the protokoll has been marked secret since, which that PDF still shows
// (the caller makes the PDF anew from PublishedProtokoll then: OSL 2009:400,
// nothing of a secret case is public).
func (s *Store) PublishedProtokollPDF(ctx context.Context, bodyCode string, date workflow.Date) (PublishedPDF, error) {
	id, p, err := s.publishedMeeting(ctx, bodyCode, date)
	if err != nil {
		return PublishedPDF{}, err
	}
	var out PublishedPDF
	var then string
	err = s.r.QueryRowContext(ctx, `SELECT pdf, pdf_tagged, secret_cases FROM protokoll_publications WHERE id = ?`, p.ID).Scan(&out.Data, &out.Tagged, &then)
	if err != nil {
		return out, err
	}
	out.Stale, err = secretSince(ctx, s.r, id, then)
	return out, err
}

// SecretSincePublished reports whether a case of the meeting's protokoll has
// been marked secret since its newest publication, whose PDF still shows it:
// the review page asks the secretary to publish again.
func (s *Store) SecretSincePublished(ctx context.Context, meetingID int64) (bool, error) {
	var then string
	err := s.r.QueryRowContext(ctx, `SELECT secret_cases FROM protokoll_publications
		WHERE meeting_id = ? AND published_at IS NOT NULL ORDER BY id DESC LIMIT 1`, meetingID).Scan(&then)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return secretSince(ctx, s.r, meetingID, then)
}

// secretCases are the ids of the meeting's protokoll cases that are secret
// now, ascending and comma-separated, as protokoll_publications keeps them.
func secretCases(ctx context.Context, q queryer, meetingID int64) (string, error) {
	rows, err := q.QueryContext(ctx, `SELECT DISTINCT c.id FROM decisions d JOIN cases c ON c.id = d.case_id
		WHERE d.meeting_id = ? AND c.secret ORDER BY c.id`, meetingID)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return "", err
		}
		ids = append(ids, strconv.FormatInt(id, 10))
	}
	return strings.Join(ids, ","), rows.Err()
}

// secretSince reports whether a case of the meeting's protokoll is secret
// now that was not among then (secretCases at publication).
func secretSince(ctx context.Context, q queryer, meetingID int64, then string) (bool, error) {
	now, err := secretCases(ctx, q, meetingID)
	if err != nil || now == "" {
		return false, err
	}
	was := map[string]bool{}
	for _, id := range strings.Split(then, ",") {
		was[id] = true
	}
	for _, id := range strings.Split(now, ",") {
		if !was[id] {
			return true, nil
		}
	}
	return false, nil
}

// PublishedMeetingIDs is the set of the meetings of notices (those with a
// meeting) whose protokoll is published on the web: the anslagstavla links
// a justering notice to its protokoll only then. It reads the notices' own
// meetings, not every publication there has been (issue 10).
func (s *Store) PublishedMeetingIDs(ctx context.Context, notices ...workflow.Notice) (map[int64]bool, error) {
	return publishedMeetingIDs(ctx, s.r, notices)
}

func publishedMeetingIDs(ctx context.Context, q queryer, notices []workflow.Notice) (map[int64]bool, error) {
	var ids []int64
	for _, n := range notices {
		if n.MeetingID != 0 {
			ids = append(ids, n.MeetingID)
		}
	}
	return publishedAmong(ctx, q, ids)
}

// PublishedAmong is the set of the meetings in ids whose protokoll is
// published on the web: a public calendar links those to their protokoll.
func (s *Store) PublishedAmong(ctx context.Context, ids []int64) (map[int64]bool, error) {
	return publishedAmong(ctx, s.r, ids)
}

func publishedAmong(ctx context.Context, q queryer, meetingIDs []int64) (map[int64]bool, error) {
	ids := make([]any, len(meetingIDs))
	for i, id := range meetingIDs {
		ids[i] = id
	}
	if len(ids) == 0 {
		return map[int64]bool{}, nil
	}
	rows, err := q.QueryContext(ctx, `SELECT DISTINCT meeting_id FROM protokoll_publications WHERE published_at IS NOT NULL
		AND meeting_id IN (?`+strings.Repeat(",?", len(ids)-1)+`)`, ids...)
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

// protokollViews reads the public's view of the protokoll of each meeting
// in ids (workflow.ProtokollView): the newest publication's choices, or the
// zero view for a meeting not published on the web. Every public reading of
// a protokoll's paragraphs or names goes through it: the public diary and
// its search index, OParl and the published protokoll.
func protokollViews(ctx context.Context, q queryer, ids []int64) (map[int64]workflow.ProtokollView, error) {
	out := make(map[int64]workflow.ProtokollView, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := q.QueryContext(ctx, `SELECT p.meeting_id, p.withheld, p.names FROM protokoll_publications p
		WHERE p.meeting_id IN (?`+strings.Repeat(",?", len(ids)-1)+`) AND p.published_at IS NOT NULL
		AND p.id = (SELECT MAX(p2.id) FROM protokoll_publications p2 WHERE p2.meeting_id = p.meeting_id AND p2.published_at IS NOT NULL)`,
		anys(ids)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var withheld, names string
		if err := rows.Scan(&id, &withheld, &names); err != nil {
			return nil, err
		}
		out[id] = workflow.PublishedView(parseRedaction(withheld, names))
	}
	return out, rows.Err()
}

// parseRedaction reads a publication's stored choices (withheldText, names
// one a line).
func parseRedaction(withheld, names string) workflow.Redaction {
	var r workflow.Redaction
	for _, s := range strings.Split(withheld, ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(s)); err == nil {
			r.Withheld = append(r.Withheld, n)
		}
	}
	for _, s := range strings.Split(names, "\n") {
		if s != "" {
			r.Names = append(r.Names, s)
		}
	}
	return r
}
