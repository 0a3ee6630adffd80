package db

import (
	"path/filepath"
	"testing"

	"github.com/kommun/beslutsgang/workflow"
)

// Migration 0008 rebuilds the decisions table to allow "behandlat": every
// paragraph keeps its id and values, legal force included, paragraphs still
// cannot be removed, and a preparing body can now record a case as handled.
func TestMigration0008KeepsEveryParagraph(t *testing.T) {
	sqliteOnly(t, "a migration of an older SQLite schema")
	w := newMeetingWorldAt(t, filepath.Join(t.TempDir(), "now.db"))
	m, c := heldBoardMeeting(t, w)
	w.decide(m, c.Number, workflow.DecisionApproved)
	w.s.Close()
	// The rows as version 7 kept them; this program no longer writes that schema.
	path := atSchemaBefore(t, w.s.Path(), "0008")
	raw := rawDB(t, path)
	if _, err := raw.Exec(`UPDATE decisions SET legal_force_at = '2026-04-08T04:15:00.000000Z'`); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE decisions SET type = 'handled'`); err == nil {
		t.Fatal("version 7 already accepts 'handled'")
	}
	before := queryText(t, raw, `SELECT id, meeting_id, body_id, year, paragraph, case_id, step, type, text, next_date, decided_by, decided_at, event_seq, legal_force_at FROM decisions ORDER BY id`)
	raw.Close()

	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	raw = rawDB(t, path)
	if after := queryText(t, raw, `SELECT id, meeting_id, body_id, year, paragraph, case_id, step, type, text, next_date, decided_by, decided_at, event_seq, legal_force_at FROM decisions ORDER BY id`); after != before {
		t.Errorf("paragraphs changed:\n%s\n%s", before, after)
	}
	if _, err := raw.Exec(`DELETE FROM decisions`); err == nil {
		t.Error("a paragraph could be removed after the migration")
	}
	if _, err := raw.Exec(`UPDATE decisions SET type = 'handled'`); err != nil {
		t.Errorf("'handled' is still refused: %v", err)
	}
	if _, err := raw.Exec(`UPDATE decisions SET type = 'maybe'`); err == nil {
		t.Error("an unknown type is accepted")
	}
}
