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
	path := filepath.Join(t.TempDir(), "v7.db")
	migrationSource = schemaBefore(t, "0008")
	w := newMeetingWorldAt(t, path)
	migrationSource = migrations
	m, c := heldBoardMeeting(t, w)
	w.decide(m, c.Number, workflow.DecisionApproved)
	raw := rawDB(t, path)
	if _, err := raw.Exec(`UPDATE decisions SET legal_force_at = '2026-04-08T04:15:00.000000Z'`); err != nil {
		t.Fatal(err)
	}
	before := queryText(t, raw, `SELECT id, meeting_id, body_id, year, paragraph, case_id, step, type, text, next_date, decided_by, decided_at, event_seq, legal_force_at FROM decisions ORDER BY id`)
	w.s.Close()

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
