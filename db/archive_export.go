package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"github.com/kommun/beslutsgang/workflow"
)

// ActionDelivered is the history action that records a case's delivery to
// the e-archive (arkivleverans), written once the whole information package
// holding it is complete and verified (package earchive).
const ActionDelivered = "delivered"

// ArchiveCase is a closed case due for delivery to the e-archive.
type ArchiveCase struct {
	Number   string    // diarienummer, e.g. ASN-2019-17886
	ClosedAt time.Time // when it was closed or withdrawn (UTC), from its history
}

// ArchiveRecord is everything the e-archive keeps of one case, secret or
// not: the case with its sections, its whole history, its paragraphs, and
// when it was closed.
type ArchiveRecord struct {
	Case       workflow.Case
	Events     []workflow.Event
	Paragraphs []CaseParagraph
	ClosedAt   time.Time
}

// closedCases lists the closed cases of one board closed before a time and
// not yet delivered; the closing is the newest event that moved the case to
// the closed stage (close or withdraw).
var closedCases = `SELECT c.number, (SELECT MAX(e.at) FROM events e WHERE e.case_id = c.id AND e.to_stage = 'closed' AND e.from_stage <> 'closed')
	FROM cases c JOIN boards b ON b.id = c.board_id
	WHERE b.code = ? AND c.stage_rank = ` + closedRank + `
	AND NOT EXISTS (SELECT 1 FROM events d WHERE d.case_id = c.id AND d.action = 'delivered')
	ORDER BY c.year, c.serial, c.number`

// closedRank is the closed stage's stage_rank, which the indexes of cases
// hold (the stage's name is in none since migration 0026).
var closedRank = strconv.Itoa(stageRank(workflow.StageClosed))

// ClosedCases lists the cases of board closed before `before` (an instant;
// callers pass midnight Europe/Stockholm of the day asked for) that have not
// been delivered to the e-archive, oldest number first. An unknown board is
// ENOTFOUND.
func (s *Store) ClosedCases(ctx context.Context, board string, before time.Time) ([]ArchiveCase, error) {
	if _, err := s.Board(ctx, board); err != nil {
		return nil, err
	}
	rows, err := s.r.QueryContext(ctx, closedCases, board)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ArchiveCase
	for rows.Next() {
		var number string
		var at sql.NullString
		if err := rows.Scan(&number, &at); err != nil {
			return nil, err
		}
		if !at.Valid {
			continue // closed without a closing event: nothing says when
		}
		closed := parseTime(at.String)
		if closed.Before(before) {
			out = append(out, ArchiveCase{Number: number, ClosedAt: closed})
		}
	}
	return out, rows.Err()
}

// ArchiveRecord reads one case for the e-archive in one read transaction:
// the case, its history and its paragraphs, nothing withheld (an archive
// keeps secret cases, marked as such). A missing case is ENOTFOUND.
func (s *Store) ArchiveRecord(ctx context.Context, number string) (ArchiveRecord, error) {
	var rec ArchiveRecord
	err := s.readTx(ctx, func(q queryer) error {
		var err error
		if rec.Case, err = loadCase(ctx, q, number); err != nil {
			return err
		}
		if rec.Events, err = events(ctx, q, rec.Case.ID, number); err != nil {
			return err
		}
		rec.Paragraphs, err = caseParagraphs(ctx, q, number)
		return err
	})
	if err != nil {
		return rec, err
	}
	for _, e := range rec.Events {
		if e.To == workflow.StageClosed && e.From != workflow.StageClosed {
			rec.ClosedAt = e.At
		}
	}
	return rec, nil
}

// NoteDelivered records in the history of each named case that it was
// delivered to the e-archive in the package named by payload["package"], in
// one transaction. A case that already has a delivered event of that package
// gets no second one, so a delivery interrupted after this ran can be
// finished again. A case delivered in another package already makes the
// whole call ECONFLICT, recording nothing: each case is delivered once.
func (s *Store) NoteDelivered(ctx context.Context, numbers []string, payload map[string]any) error {
	pkg, _ := payload["package"].(string)
	if pkg == "" {
		return errors.New("NoteDelivered: payload names no package")
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		at := s.now()
		for _, n := range numbers {
			var id int64
			var stage workflow.Stage
			if err := tx.QueryRowContext(ctx, `SELECT id, stage FROM cases WHERE number = ?`, n).Scan(&id, &stage); err != nil {
				if errors.Is(err, sql.ErrNoRows) {
					return notFound("Ärendet %s finns inte", n)
				}
				return err
			}
			var done int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM events WHERE case_id = ? AND action = ? AND payload LIKE ?`,
				id, ActionDelivered, `%"package":`+jsonString(pkg)+`%`).Scan(&done); err != nil {
				return err
			}
			if done > 0 {
				continue
			}
			// A case goes to the e-archive once: a package made beside
			// another (two exports at once, or one resumed after another
			// delivered its cases) is not recorded.
			var other string
			err := tx.QueryRowContext(ctx, `SELECT payload FROM events WHERE case_id = ? AND action = ? ORDER BY seq LIMIT 1`,
				id, ActionDelivered).Scan(&other)
			if err == nil {
				var p struct {
					ObjID string `json:"objid"`
				}
				_ = json.Unmarshal([]byte(other), &p)
				return workflow.Errorf(workflow.ECONFLICT, "Ärendet %s har redan levererats till e-arkivet i paketet %s; det här paketet registreras inte som levererat. "+
					"Starta en ny leverans i en tom mapp: den tar bara med ärenden som inte har levererats", n, p.ObjID)
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			if err := noteOnCase(ctx, tx, id, n, stage, System, at, ActionDelivered, payload); err != nil {
				return err
			}
		}
		return nil
	})
}

// jsonString is s as a JSON string literal, as it appears in a payload.
func jsonString(s string) string {
	b := mustPayload(map[string]any{"": s})
	return string(b[4 : len(b)-1])
}
