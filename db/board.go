package db

import (
	"context"
	"database/sql"
	"errors"
	"regexp"
	"strings"

	"github.com/kommun/beslutsgang/workflow"
)

var (
	boardCode = regexp.MustCompile(`^[A-ZÅÄÖ]{2,10}$`)
	bodyCode  = regexp.MustCompile(`^[A-ZÅÄÖ0-9][A-ZÅÄÖ0-9-]{1,31}$`)
)

// CreateBoard adds a nämnd with its own number series.
func (s *Store) CreateBoard(ctx context.Context, b workflow.Board) (workflow.Board, error) {
	b.Code, b.Name = strings.TrimSpace(b.Code), strings.TrimSpace(b.Name)
	var p workflow.Problems
	if !boardCode.MatchString(b.Code) {
		p.Add("code", "Nämndens kod ska vara 2–10 versaler, t.ex. ASN")
	}
	if workflow.Blank(b.Name) {
		p.Add("name", "Ange nämndens namn")
	}
	if err := p.Err(); err != nil {
		return b, err
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO boards(code, name, created_at) VALUES (?,?,?) RETURNING id`, b.Code, b.Name, fmtTime(s.now())).Scan(&b.ID)
		if isUnique(err) {
			return workflow.Errorf(workflow.ECONFLICT, "Nämnden %s finns redan", b.Code)
		}
		return err
	})
	return b, err
}

// Boards lists every board by code.
func (s *Store) Boards(ctx context.Context) ([]workflow.Board, error) {
	return cachedPage(ctx, s, s.r, "boards", func() (boardList, error) { return readBoards(ctx, s.r) })
}

// readBoards reads the boards, by code.
func readBoards(ctx context.Context, q queryer) (boardList, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, code, name FROM boards ORDER BY code`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out boardList
	for rows.Next() {
		var b workflow.Board
		if err := rows.Scan(&b.ID, &b.Code, &b.Name); err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// Board finds a board by code.
func (s *Store) Board(ctx context.Context, code string) (workflow.Board, error) {
	return boardByCode(ctx, s.r, code)
}

func boardByCode(ctx context.Context, q queryer, code string) (workflow.Board, error) {
	var b workflow.Board
	err := q.QueryRowContext(ctx, `SELECT id, code, name FROM boards WHERE code = ?`, code).Scan(&b.ID, &b.Code, &b.Name)
	if errors.Is(err, sql.ErrNoRows) {
		return b, notFound("Nämnden %q finns inte", code)
	}
	return b, err
}

// CreateBody adds a meeting body to a board.
func (s *Store) CreateBody(ctx context.Context, b workflow.Body) (workflow.Body, error) {
	b.Code, b.Name = strings.TrimSpace(b.Code), strings.TrimSpace(b.Name)
	var p workflow.Problems
	if !bodyCode.MatchString(b.Code) {
		p.Add("code", "Organets kod ska vara 2–32 versaler, siffror eller bindestreck, t.ex. ASN-AU")
	}
	if workflow.Blank(b.Name) {
		p.Add("name", "Ange organets namn")
	}
	if !b.Kind.Valid() {
		p.Add("kind", "Okänd typ av organ %q", b.Kind)
	}
	if b.NoticeDays == 0 {
		b.NoticeDays = 5
		if b.Kind == workflow.KindCouncil {
			b.NoticeDays = 7 // KL 5 kap 55 §: kungörelse at least a week before
		}
	}
	if b.NoticeDays < 1 || b.NoticeDays > maxNoticeDays {
		p.Add("notice_days", "Kallelsetiden ska vara 1–%d dagar", maxNoticeDays)
	}
	if err := p.Err(); err != nil {
		return b, err
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		board, err := boardByCode(ctx, tx, b.Board)
		if err != nil {
			return workflow.Errorf(workflow.EINVALID, "Nämnden %q finns inte", b.Board)
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO bodies(code, name, kind, board_id, notice_days, created_at) VALUES (?,?,?,?,?,?) RETURNING id`,
			b.Code, b.Name, b.Kind, board.ID, b.NoticeDays, fmtTime(s.now())).Scan(&b.ID)
		if isUnique(err) {
			return workflow.Errorf(workflow.ECONFLICT, "Organet %s finns redan", b.Code)
		}
		return err
	})
	return b, err
}

// maxNoticeDays is the longest notice period (kallelsetid) a body may have.
const maxNoticeDays = 60

const bodyCols = `bodies.id, bodies.code, bodies.name, bodies.kind, boards.code, bodies.notice_days`

func scanBody(sc interface{ Scan(...any) error }) (workflow.Body, error) {
	var b workflow.Body
	err := sc.Scan(&b.ID, &b.Code, &b.Name, &b.Kind, &b.Board, &b.NoticeDays)
	return b, err
}

// Bodies lists every body, by board and then in process order.
func (s *Store) Bodies(ctx context.Context) ([]workflow.Body, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+bodyCols+` FROM bodies JOIN boards ON boards.id = bodies.board_id
		ORDER BY boards.code, CASE bodies.kind WHEN 'presidium' THEN 1 WHEN 'working_committee' THEN 2
		WHEN 'board' THEN 3 WHEN 'executive_board' THEN 4 ELSE 5 END, bodies.code`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []workflow.Body
	for rows.Next() {
		b, err := scanBody(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// Body finds a body by code.
func (s *Store) Body(ctx context.Context, code string) (workflow.Body, error) {
	return bodyByCode(ctx, s.r, code)
}

func bodyByCode(ctx context.Context, q queryer, code string) (workflow.Body, error) {
	b, err := scanBody(q.QueryRowContext(ctx, `SELECT `+bodyCols+` FROM bodies JOIN boards ON boards.id = bodies.board_id WHERE bodies.code = ?`, code))
	if errors.Is(err, sql.ErrNoRows) {
		return b, notFound("Organet %q finns inte", code)
	}
	return b, err
}
