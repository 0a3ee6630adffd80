package db

import (
	"context"
	"database/sql"
	"errors"
	"regexp"

	"github.com/kommun/beslutsgang/workflow"
)

// SubmissionKey names one sending of a new case: "web:" and the random id
// the new case form was drawn with, or "api:" and a client's
// Idempotency-Key (draft-ietf-httpapi-idempotency-key-header). Empty: none.
type SubmissionKey string

// submissionKey is what a key may be: a prefix and 1–64 characters a header
// or a hidden field carries as they are.
var submissionKey = regexp.MustCompile(`^(web|api):[A-Za-z0-9._:-]{1,64}$`)

// CreateCaseOnce is CreateCase for a submission that may come twice: the
// first registers the case and keeps key with it (migration 0030 / postgres
// 0020); the same key from the same user again registers nothing and
// returns that case, with created false. Two sendings at once make one case:
// the second's key collides in its transaction, which is undone. An empty
// key is CreateCase.
//
// Errors: EINVALID for a malformed key, ECONFLICT for a key another user
// sent, and CreateCase's.
func (s *Store) CreateCaseOnce(ctx context.Context, key SubmissionKey, in CaseInput, actor workflow.User) (c workflow.Case, created bool, err error) {
	if key == "" {
		c, err = s.CreateCase(ctx, in, actor)
		return c, err == nil, err
	}
	if !submissionKey.MatchString(string(key)) {
		return c, false, invalid("idempotency_key", "Nyckeln för att skicka ärendet en gång ska vara 1–64 tecken: bokstäver a–z, siffror och . _ : -")
	}
	if c, ok, err := s.submitted(ctx, key, actor); err != nil || ok {
		return c, false, err
	}
	defer s.heard("create", &err)
	c, err = s.createCaseWith(ctx, in, actor, false, func(tx *sql.Tx, c workflow.Case) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO case_submissions(key, user_id, case_id, created_at) VALUES (?,?,?,?)`,
			string(key), actor.ID, c.ID, fmtTime(s.now()))
		return err
	})
	if isUnique(err) { // sent twice at once: the other one made it
		c, ok, lerr := s.submitted(ctx, key, actor)
		if lerr != nil || ok {
			return c, false, lerr
		}
		return c, false, workflow.Errorf(workflow.ECONFLICT, "Formuläret har redan skickats av någon annan; öppna ett nytt formulär")
	}
	return c, err == nil, err
}

// submitted is the case actor registered with key, if any.
func (s *Store) submitted(ctx context.Context, key SubmissionKey, actor workflow.User) (workflow.Case, bool, error) {
	var number string
	err := s.r.QueryRowContext(ctx, `SELECT c.number FROM case_submissions k JOIN cases c ON c.id = k.case_id
		WHERE k.key = ? AND k.user_id = ?`, string(key), actor.ID).Scan(&number)
	if errors.Is(err, sql.ErrNoRows) {
		return workflow.Case{}, false, nil
	}
	if err != nil {
		return workflow.Case{}, false, err
	}
	c, err := s.Case(ctx, number)
	return c, err == nil, err
}
