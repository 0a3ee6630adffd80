package db

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/kommun/beslutsgang/workflow"
)

// Agenda item kinds: a case, or one of the secretary's items.
const (
	ItemCase       = "case"
	ItemOpening    = "opening"    // Mötets öppnande
	ItemAdjusters  = "adjusters"  // Val av justerare
	ItemDelegation = "delegation" // Anmälan av delegationsbeslut
	ItemOther      = "other"      // a free item with its own title
)

var itemTitles = map[string]string{
	ItemOpening:    "Mötets öppnande",
	ItemAdjusters:  "Val av justerare",
	ItemDelegation: "Anmälan av delegationsbeslut",
}

// fixedItems open every new agenda.
var fixedItems = []string{ItemOpening, ItemAdjusters, ItemDelegation}

// AgendaItem is one point of a föredragningslista.
type AgendaItem struct {
	ID    int64       `json:"id"`
	Pos   int         `json:"pos"` // the point's number on the list, from 1
	Kind  string      `json:"kind"`
	Title string      `json:"title"`
	Case  *AgendaCase `json:"case,omitempty"`
	// Paragraph is the decision taken on the case at this meeting, once recorded.
	Paragraph *workflow.Paragraph `json:"paragraph,omitempty"`
}

// AgendaCase is the case of an agenda item as it stands now.
type AgendaCase struct {
	Number  string         `json:"number"`
	Title   string         `json:"title"`
	Stage   workflow.Stage `json:"stage"`
	Secret  bool           `json:"secret"`
	Version int            `json:"version"`
}

// MaxItemTitle bounds a free agenda item's title.
const MaxItemTitle = 300

func addFixedItems(ctx context.Context, tx *sql.Tx, meetingID int64) error {
	for i, kind := range fixedItems {
		if _, err := tx.ExecContext(ctx, `INSERT INTO agenda_items(meeting_id, pos, kind, title) VALUES (?,?,?,'')`, meetingID, i+1, kind); err != nil {
			return err
		}
	}
	return nil
}

// Agenda lists a meeting's föredragningslista in order.
func (s *Store) Agenda(ctx context.Context, meetingID int64) ([]AgendaItem, error) {
	return agenda(ctx, s.r, meetingID)
}

func agenda(ctx context.Context, q queryer, meetingID int64) ([]AgendaItem, error) {
	rows, err := q.QueryContext(ctx, `SELECT a.id, a.kind, a.title, COALESCE(c.number, ''), COALESCE(c.title, ''),
		COALESCE(c.stage, ''), COALESCE(c.secret, FALSE), COALESCE(c.version, 0), `+paragraphCols+`
		FROM agenda_items a LEFT JOIN cases c ON c.id = a.case_id
		LEFT JOIN decisions d ON d.meeting_id = a.meeting_id AND d.case_id = a.case_id
		LEFT JOIN users du ON du.id = d.decided_by
		WHERE a.meeting_id = ? ORDER BY a.pos, a.id`, meetingID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []AgendaItem{}
	for rows.Next() {
		var it AgendaItem
		var ac AgendaCase
		var p nullParagraph
		if err := rows.Scan(append([]any{&it.ID, &it.Kind, &it.Title, &ac.Number, &ac.Title, &ac.Stage, &ac.Secret, &ac.Version},
			p.dest()...)...); err != nil {
			return nil, err
		}
		it.Pos = len(out) + 1
		if it.Kind == ItemCase {
			it.Case, it.Title = &ac, ac.Title
			if par, ok := p.paragraph(); ok {
				par.CaseNumber, par.CaseTitle, par.Secret, par.MeetingID = ac.Number, ac.Title, ac.Secret, meetingID
				it.Paragraph = &par
			}
		} else if it.Title == "" {
			it.Title = itemTitles[it.Kind]
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// syncAgenda puts the case on the agenda of the meeting of its current route
// step once it is ready for it (signed off, at that body, not closed), and
// takes it off the agendas it has left, unless it was handled there: a draft
// or a case awaiting sign-off is on no agenda, and a handled one stays in the
// protokoll of the meeting that handled it.
func syncAgenda(ctx context.Context, tx *sql.Tx, c *workflow.Case) error {
	var keep []int64
	if st := c.CurrentStep(); st != nil && st.MeetingID != 0 {
		keep = append(keep, st.MeetingID)
	}
	rows, err := tx.QueryContext(ctx, `SELECT a.meeting_id FROM agenda_items a WHERE a.case_id = ?
		AND NOT EXISTS (SELECT 1 FROM decisions d WHERE d.meeting_id = a.meeting_id AND d.case_id = a.case_id)`, c.ID)
	if err != nil {
		return err
	}
	var drop []int64
	have := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		have[id] = true
		if !slices.Contains(keep, id) {
			drop = append(drop, id)
		}
	}
	rows.Close()
	for _, id := range drop {
		// An item the public has seen answers OParl as deleted.
		if err := noteRemovedItems(ctx, tx, c.UpdatedAt, "ai.meeting_id = ? AND ai.case_id = ?", id, c.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM agenda_items WHERE meeting_id = ? AND case_id = ?`, id, c.ID); err != nil {
			return err
		}
		if err := agendaChanged(ctx, tx, id, c.UpdatedAt); err != nil {
			return err
		}
	}
	for _, id := range keep {
		if have[id] {
			continue
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO agenda_items(meeting_id, pos, kind, case_id)
			SELECT ?, COALESCE(MAX(pos), 0) + 1, 'case', ? FROM agenda_items WHERE meeting_id = ?
			ON CONFLICT DO NOTHING`, id, c.ID, id); err != nil {
			return err
		}
		// An item added needs no note: the meeting's OParl modified reads
		// the updated_at of the cases on its agenda.
	}
	return nil
}

// agendaChanged notes that a meeting's agenda changed at: an item taken
// away or moved by the secretary leaves no trace in the case rows, so
// OParl's modified of the meeting reads this.
func agendaChanged(ctx context.Context, tx *sql.Tx, meetingID int64, at time.Time) error {
	t := fmtTime(at)
	_, err := tx.ExecContext(ctx, `UPDATE meetings SET agenda_changed_at = ? WHERE id = ? AND (agenda_changed_at IS NULL OR agenda_changed_at < ?)`,
		t, meetingID, t)
	return err
}

// changeAgenda runs fn on a meeting whose agenda the actor may still change.
func (s *Store) changeAgenda(ctx context.Context, meetingID int64, actor workflow.User, fn func(tx *sql.Tx, m workflow.Meeting) error) ([]AgendaItem, error) {
	var out []AgendaItem
	err := s.tx(ctx, func(tx *sql.Tx) error {
		m, err := meetingByID(ctx, tx, meetingID)
		if err != nil {
			return err
		}
		if !workflow.IsMeetingSecretary(m.Body, actor) {
			return workflow.Errorf(workflow.EFORBIDDEN, "Bara nämndsekreteraren för %s ändrar föredragningslistan", m.Body.Board)
		}
		if m.Status.AtLeast(workflow.MeetingJustified) {
			return workflow.Errorf(workflow.ECONFLICT, "Protokollet är justerat; föredragningslistan kan inte längre ändras")
		}
		if err := fn(tx, m); err != nil {
			return err
		}
		if err := agendaChanged(ctx, tx, meetingID, s.now()); err != nil {
			return err
		}
		out, err = agenda(ctx, tx, meetingID)
		return err
	})
	return out, err
}

// ReorderAgenda puts the items in the order given; order must name every item once.
func (s *Store) ReorderAgenda(ctx context.Context, meetingID int64, actor workflow.User, order []int64) ([]AgendaItem, error) {
	return s.changeAgenda(ctx, meetingID, actor, func(tx *sql.Tx, m workflow.Meeting) error {
		items, err := agenda(ctx, tx, meetingID)
		if err != nil {
			return err
		}
		var have []int64
		for _, it := range items {
			have = append(have, it.ID)
		}
		want := slices.Clone(order)
		slices.Sort(have)
		slices.Sort(want)
		if !slices.Equal(have, want) {
			return invalid("order", "Ange varje punkt på föredragningslistan exakt en gång (%d punkter)", len(items))
		}
		for i, id := range order {
			if _, err := tx.ExecContext(ctx, `UPDATE agenda_items SET pos = ? WHERE id = ?`, i+1, id); err != nil {
				return err
			}
		}
		return nil
	})
}

// AddAgendaItem adds a fixed or free item at the end of the list.
func (s *Store) AddAgendaItem(ctx context.Context, meetingID int64, actor workflow.User, kind, title string) ([]AgendaItem, error) {
	title = strings.TrimSpace(title)
	var p workflow.Problems
	switch {
	case kind == ItemCase:
		p.Add("kind", "Ärenden kommer på föredragningslistan genom sin beslutsplanering")
	case kind != ItemOther && itemTitles[kind] == "":
		p.Add("kind", "Okänd punkt %q; välj opening, adjusters, delegation eller other", kind)
	case kind == ItemOther && workflow.Blank(title):
		p.Add("title", "Ange punktens rubrik")
	case len([]rune(title)) > MaxItemTitle:
		p.Add("title", "Rubriken får vara högst %d tecken", MaxItemTitle)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return s.changeAgenda(ctx, meetingID, actor, func(tx *sql.Tx, m workflow.Meeting) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO agenda_items(meeting_id, pos, kind, title)
			SELECT ?, COALESCE(MAX(pos), 0) + 1, ?, ? FROM agenda_items WHERE meeting_id = ?`, meetingID, kind, title, meetingID)
		return err
	})
}

// RemoveAgendaItem takes an item off the list. A case can be taken off
// before the kallelse goes out: it moves to the body's next planned meeting
// (a postpone in its history, with its later steps); after the kallelse the
// meeting itself handles it (bordläggning). An item taken off after the
// kallelse, which the public has seen, stays in OParl as a deleted
// AgendaItem, modified now (noteRemovedItems; OParl 1.1 §2.8 "Gelöschte
// Objekte"), in the same transaction.
//
// Errors: EFORBIDDEN for anyone but the board's secretary; ENOTFOUND for an
// item not on the meeting's list; ECONFLICT once the protokoll is justerat,
// for a case after the kallelse, or when the body has no later planned
// meeting to move a case to; the postpone's and the database's.
func (s *Store) RemoveAgendaItem(ctx context.Context, meetingID, itemID int64, actor workflow.User) ([]AgendaItem, error) {
	return s.changeAgenda(ctx, meetingID, actor, func(tx *sql.Tx, m workflow.Meeting) error {
		var kind, number string
		err := tx.QueryRowContext(ctx, `SELECT a.kind, COALESCE(c.number, '') FROM agenda_items a LEFT JOIN cases c ON c.id = a.case_id
			WHERE a.id = ? AND a.meeting_id = ?`, itemID, meetingID).Scan(&kind, &number)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("Punkten %d finns inte på föredragningslistan", itemID)
		}
		if err != nil {
			return err
		}
		if kind != ItemCase {
			// After the kallelse the public has seen it: OParl answers it as deleted.
			if err := noteRemovedItems(ctx, tx, s.now(), "ai.id = ?", itemID); err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx, `DELETE FROM agenda_items WHERE id = ?`, itemID)
			return err
		}
		if m.Status != workflow.MeetingPlanned {
			return workflow.Errorf(workflow.ECONFLICT, "Kallelsen är skickad; ärendet %s kan nu bara bordläggas vid sammanträdet", number)
		}
		var next string
		err = tx.QueryRowContext(ctx, `SELECT date FROM meetings WHERE body_id = ? AND date > ? AND status = 'planned'
			ORDER BY date LIMIT 1`, m.Body.ID, m.Date.String()).Scan(&next)
		if errors.Is(err, sql.ErrNoRows) {
			return workflow.Errorf(workflow.ECONFLICT, "%s har inget senare planerat sammanträde; planera ett först, så flyttas ärendet %s dit", m.Body.Name, number)
		}
		if err != nil {
			return err
		}
		_, err = s.changeIn(ctx, tx, number, actor, false, func(_ *sql.Tx, c workflow.Case, env workflow.Env) (workflow.Result, error) {
			if err := withMeetingDays(ctx, tx, &c, &env); err != nil {
				return workflow.Result{}, err
			}
			return workflow.Apply(c, workflow.Command{Action: workflow.ActPostpone, Version: c.Version, Date: parseDate(next),
				Reason: "Utgår från föredragningslistan till " + m.Title()}, env)
		})
		return err
	})
}

// checkAgendaReady refuses a kallelse whose agenda lists a case that is not
// ready for this meeting (not signed off, not at this step, or closed).
func checkAgendaReady(ctx context.Context, tx *sql.Tx, m workflow.Meeting) error {
	rows, err := tx.QueryContext(ctx, `SELECT c.number FROM agenda_items a JOIN cases c ON c.id = a.case_id
		LEFT JOIN route_steps rs ON rs.case_id = c.id AND rs.pos = c.step
		WHERE a.meeting_id = ? AND (c.stage IN ('draft', 'approval', 'closed') OR rs.meeting_id IS DISTINCT FROM ?)
		AND NOT EXISTS (SELECT 1 FROM decisions d WHERE d.meeting_id = a.meeting_id AND d.case_id = c.id)
		ORDER BY a.pos`, m.ID, m.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	var bad []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return err
		}
		bad = append(bad, n)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(bad) > 0 {
		return workflow.Errorf(workflow.ECONFLICT, "Föredragningslistan tar upp ärenden som inte är klara för %s: %s; ta bort dem innan kallelsen skickas",
			m.Title(), strings.Join(bad, ", "))
	}
	return nil
}

func invalid(field, format string, args ...any) error {
	var p workflow.Problems
	p.Add(field, format, args...)
	return p.Err()
}
