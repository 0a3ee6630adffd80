package db

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"

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
		COALESCE(c.stage, ''), COALESCE(c.secret, 0), COALESCE(c.version, 0), `+paragraphCols+`
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

// syncAgenda puts the case on the agenda of each meeting its route is on, and
// takes it off the agendas it has left, unless it was decided there. A closed
// case stays only where it has been.
func syncAgenda(ctx context.Context, tx *sql.Tx, c *workflow.Case) error {
	var keep []int64
	for i, st := range c.Route {
		if st.MeetingID != 0 && (c.Open() || i < c.Step) {
			keep = append(keep, st.MeetingID)
		}
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
		if _, err := tx.ExecContext(ctx, `DELETE FROM agenda_items WHERE meeting_id = ? AND case_id = ?`, id, c.ID); err != nil {
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
	}
	return nil
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
	case kind == ItemOther && title == "":
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

// RemoveAgendaItem takes a fixed or free item off the list; a case leaves the
// list only by moving in its route (bordläggning, a new date).
func (s *Store) RemoveAgendaItem(ctx context.Context, meetingID, itemID int64, actor workflow.User) ([]AgendaItem, error) {
	return s.changeAgenda(ctx, meetingID, actor, func(tx *sql.Tx, m workflow.Meeting) error {
		var kind string
		err := tx.QueryRowContext(ctx, `SELECT kind FROM agenda_items WHERE id = ? AND meeting_id = ?`, itemID, meetingID).Scan(&kind)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("Punkten %d finns inte på föredragningslistan", itemID)
		}
		if err != nil {
			return err
		}
		if kind == ItemCase {
			return workflow.Errorf(workflow.ECONFLICT, "Ett ärende tas bort från föredragningslistan genom att bordläggas eller flyttas i beslutsplaneringen")
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM agenda_items WHERE id = ?`, itemID)
		return err
	})
}

func invalid(field, format string, args ...any) error {
	var p workflow.Problems
	p.Add(field, format, args...)
	return p.Err()
}
