package db

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"regexp"

	"github.com/kommun/beslutsgang/workflow"
)

// SubmissionKey names one sending of a new case: "web:" and the random id
// the new case form was drawn with, or "api:" and a client's
// Idempotency-Key (draft-ietf-httpapi-idempotency-key-header). Keys are the
// user's own: two users' keys never meet. Empty: none.
type SubmissionKey string

// submissionKey is what a key may be: a prefix and 1–64 characters a header
// or a hidden field carries as they are.
var submissionKey = regexp.MustCompile(`^(web|api):[A-Za-z0-9._:-]{1,64}$`)

// CreateCaseOnce is CreateCase for a submission that may come twice: the
// first registers the case and keeps key, per actor, with a hash of in
// (migration 0030 / postgres 0020). The same key with the same request again
// registers nothing and returns, with created false, only the number of the
// case it made: read the case through a Reader, as the user may no longer
// see all of it. Two sendings at once make one case: the second's key
// collides in its transaction, which is undone, and it returns the first's
// case. An empty key is CreateCase.
//
// Errors: EINVALID for a malformed key, or a key sent before with another
// request (field idempotency_key); ECONFLICT when sendings kept colliding
// and nothing was made; and CreateCase's.
func (s *Store) CreateCaseOnce(ctx context.Context, key SubmissionKey, in CaseInput, actor workflow.User) (c workflow.Case, created bool, err error) {
	if key == "" {
		c, err = s.CreateCase(ctx, in, actor)
		return c, err == nil, err
	}
	if !submissionKey.MatchString(string(key)) {
		return c, false, invalid("idempotency_key", "Nyckeln för att skicka ärendet en gång ska vara 1–64 tecken: bokstäver a–z, siffror och . _ : -")
	}
	body, err := json.Marshal(in)
	if err != nil {
		return c, false, err
	}
	sum := sha256.Sum256(body)
	hash := hex.EncodeToString(sum[:])
	// Sent twice at once, the other sending's key collides with this
	// one's. Its case is then read; should that sending have been undone
	// after all (its batch broke), this one tries again.
	for range 3 {
		if number, err := s.submitted(ctx, key, actor, hash); err != nil || number != "" {
			return workflow.Case{Number: number}, false, err
		}
		c, err = s.createCaseWith(ctx, in, actor, false, func(tx *sql.Tx, c workflow.Case) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO case_submissions(user_id, key, case_id, request_hash, created_at) VALUES (?,?,?,?,?)`,
				actor.ID, string(key), c.ID, hash, fmtTime(s.now()))
			return err
		})
		if !isUnique(err) {
			s.heard("create", &err)
			return c, err == nil, err
		}
	}
	err = workflow.Errorf(workflow.ECONFLICT, "Ärendet kunde inte registreras just nu; försök igen")
	s.heard("create", &err)
	return workflow.Case{}, false, err
}

// submitted is the number of the case actor registered with key, "" for
// none; EINVALID when the key came with another request than hash.
func (s *Store) submitted(ctx context.Context, key SubmissionKey, actor workflow.User, hash string) (string, error) {
	var number, was string
	err := s.r.QueryRowContext(ctx, `SELECT c.number, k.request_hash FROM case_submissions k JOIN cases c ON c.id = k.case_id
		WHERE k.user_id = ? AND k.key = ?`, actor.ID, string(key)).Scan(&number, &was)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	if was != hash {
		return "", invalid("idempotency_key", "Nyckeln har redan använts för ärendet %s, med andra uppgifter; använd en ny nyckel för ett nytt ärende", number)
	}
	return number, nil
}
