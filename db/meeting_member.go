package db

import (
	"context"
	"database/sql"
	"strings"

	"github.com/kommun/beslutsgang/workflow"
)

// memberCols read a body_members row m joined with its body.
const memberCols = `m.id, bodies.code, m.name, m.email, m.role, COALESCE(m.user_id, 0), m.active`

func memberDest(m *workflow.Member) []any {
	return []any{&m.ID, &m.Body, &m.Name, &m.Email, &m.Role, &m.UserID, &m.Active}
}

func membersOf(ctx context.Context, q queryer, bodyID int64) ([]workflow.Member, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+memberCols+` FROM body_members m JOIN bodies ON bodies.id = m.body_id
		WHERE m.body_id = ? AND m.active ORDER BY CASE m.role WHEN 'chair' THEN 1 WHEN 'member' THEN 2 WHEN 'substitute' THEN 3 ELSE 4 END, m.id`, bodyID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []workflow.Member{}
	for rows.Next() {
		var m workflow.Member
		if err := rows.Scan(memberDest(&m)...); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// Members lists the active members of a body: ordförande first, staff last.
func (s *Store) Members(ctx context.Context, bodyCode string) ([]workflow.Member, error) {
	body, err := bodyByCode(ctx, s.r, bodyCode)
	if err != nil {
		return nil, err
	}
	return membersOf(ctx, s.r, body.ID)
}

// MemberInput adds a member: the user's e-mail links an account (needed to justera).
type MemberInput struct {
	Name  string              `json:"name"`
	Email string              `json:"email"`
	Role  workflow.MemberRole `json:"role"`
	User  string              `json:"user,omitempty"`
}

// canManageMembers: the board's secretary or administrator keeps the member lists.
func canManageMembers(b workflow.Body, u workflow.User) error {
	if u.Has(b.Board, workflow.RoleSecretary) || u.Has(b.Board, workflow.RoleAdmin) {
		return nil
	}
	return workflow.Errorf(workflow.EFORBIDDEN, "Bara nämndsekreteraren eller administratören för %s ändrar ledamotslistan", b.Board)
}

// AddMember puts someone on a body's member list.
func (s *Store) AddMember(ctx context.Context, bodyCode string, actor workflow.User, in MemberInput) (workflow.Member, error) {
	var out workflow.Member
	err := s.tx(ctx, func(tx *sql.Tx) error {
		body, err := bodyByCode(ctx, tx, bodyCode)
		if err != nil {
			return err
		}
		if err := canManageMembers(body, actor); err != nil {
			return err
		}
		m := workflow.Member{Body: body.Code, Name: in.Name, Email: in.Email, Role: in.Role, Active: true}
		var p workflow.Problems
		if ue := strings.TrimSpace(in.User); ue != "" {
			u, err := userByEmail(ctx, tx, ue)
			if err != nil {
				p.Add("user", "Det finns ingen användare med e-postadressen %s", ue)
			}
			m.UserID = u.ID
			if m.Email == "" {
				m.Email = u.Email
			}
			if workflow.Blank(m.Name) {
				m.Name = u.Name
			}
		}
		if err := workflow.CheckMember(&m); err != nil {
			return mergeProblems(p, err)
		}
		if err := p.Err(); err != nil {
			return err
		}
		var user any
		if m.UserID != 0 {
			user = m.UserID
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO body_members(body_id, name, email, role, user_id, created_at) VALUES (?,?,?,?,?,?) RETURNING id`,
			body.ID, m.Name, m.Email, m.Role, user, fmtTime(s.now())).Scan(&m.ID)
		if isUnique(err) {
			return workflow.Errorf(workflow.ECONFLICT, "%s är redan ledamot av %s", m.Name, body.Name)
		}
		if err != nil {
			return err
		}
		out = m
		return nil
	})
	return out, err
}

// RemoveMember takes someone off a body's member list, noting when (OParl's
// modified of the seat, the Person and the Organization); protokoll that
// name them keep them.
func (s *Store) RemoveMember(ctx context.Context, bodyCode string, id int64, actor workflow.User) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		body, err := bodyByCode(ctx, tx, bodyCode)
		if err != nil {
			return err
		}
		if err := canManageMembers(body, actor); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE body_members SET active = FALSE, removed_at = ? WHERE id = ? AND body_id = ? AND active`,
			fmtTime(s.now()), id, body.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("%d är ingen ledamot av %s", id, body.Name)
		}
		return nil
	})
}
