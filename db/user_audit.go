package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"github.com/kommun/beslutsgang/observe"
	"github.com/kommun/beslutsgang/workflow"
)

// Changes to an account are recorded in user_audit (migration 0028 /
// postgres 0018): roles decide who may read a secret case (OSL 2009:400), so
// who gave or took them, and when, is kept as a case's history is.

// The kinds of change UserAuditEntry.Action names.
const (
	AuditCreate     = "create"     // the account was made, with Roles
	AuditGrants     = "grants"     // its roles were replaced: PreviousRoles, then Roles
	AuditDeactivate = "deactivate" // it can no longer log in
	AuditActivate   = "activate"   // it can log in again
	AuditPassword   = "password"   // its password was set (never recorded itself)
)

type auditActorKey struct{}

// ByActor returns ctx carrying the logged-in user who makes the changes to
// accounts that store calls with it record. Without it a change is recorded
// as made from the command line (beslutsgang user …).
func ByActor(ctx context.Context, u workflow.User) context.Context {
	return context.WithValue(ctx, auditActorKey{}, u.ID)
}

// UserAuditEntry is one recorded change to an account.
type UserAuditEntry struct {
	At     time.Time        `json:"at"`
	Actor  *workflow.Person `json:"actor,omitempty"` // nil: the command line
	Action string           `json:"action"`          // AuditCreate …
	// Roles are the roles after a create or grants change, PreviousRoles
	// those before a grants change.
	Roles         []workflow.Grant `json:"roles,omitempty"`
	PreviousRoles []workflow.Grant `json:"previous_roles,omitempty"`
	RequestID     string           `json:"request_id,omitempty"`
}

// auditDetails is what user_audit.details holds, as JSON.
type auditDetails struct {
	Roles         []workflow.Grant `json:"roles,omitempty"`
	PreviousRoles []workflow.Grant `json:"previous_roles,omitempty"`
}

// auditUser records a change to the account userID at at, by the actor ctx
// carries (ByActor), in tx.
func auditUser(ctx context.Context, tx *sql.Tx, userID int64, at time.Time, action string, d auditDetails) error {
	var actor any
	if id, ok := ctx.Value(auditActorKey{}).(int64); ok && id != 0 {
		actor = id
	}
	details, err := json.Marshal(d)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO user_audit(user_id, at, actor_id, action, details, request_id) VALUES (?,?,?,?,?,?)`,
		userID, fmtTime(at), actor, action, string(details), observe.RequestID(ctx))
	return err
}

// MaxUserAudit is how many changes UserAudit lists.
const MaxUserAudit = 100

// UserAudit lists the recorded changes to an account, newest first, at most
// MaxUserAudit. Errors: ENOTFOUND for no such user.
func (s *Store) UserAudit(ctx context.Context, userID int64) ([]UserAuditEntry, error) {
	if _, err := userByID(ctx, s.r, userID); err != nil {
		return nil, err
	}
	rows, err := s.r.QueryContext(ctx, `SELECT a.at, a.action, a.details, a.request_id, u.id, u.name, u.email, u.title
		FROM user_audit a LEFT JOIN users u ON u.id = a.actor_id
		WHERE a.user_id = ? ORDER BY a.id DESC LIMIT ?`, userID, MaxUserAudit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []UserAuditEntry{}
	for rows.Next() {
		var e UserAuditEntry
		var at, details string
		var id sql.NullInt64
		var name, email, title sql.NullString
		if err := rows.Scan(&at, &e.Action, &details, &e.RequestID, &id, &name, &email, &title); err != nil {
			return nil, err
		}
		e.At = parseTime(at)
		if id.Valid {
			e.Actor = &workflow.Person{ID: id.Int64, Name: name.String, Email: email.String, Title: title.String}
		}
		var d auditDetails
		if details != "" {
			if err := json.Unmarshal([]byte(details), &d); err != nil {
				return nil, err
			}
		}
		e.Roles, e.PreviousRoles = d.Roles, d.PreviousRoles
		out = append(out, e)
	}
	return out, rows.Err()
}
