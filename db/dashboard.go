package db

import (
	"context"

	"github.com/kommun/beslutsgang/workflow"
)

// CasesInvolving loads the open cases a user may have something to do with:
// the ones they handle, the ones in approval that name them as approver, and
// the ones on the route of a board where they are secretary. The caller asks
// workflow.Allowed which of them wait for the user.
func (s *Store) CasesInvolving(ctx context.Context, userID int64) ([]workflow.Case, error) {
	numbers, err := queryStrings(ctx, s.r, `SELECT number FROM cases WHERE stage <> 'closed' AND (
			officer_id = ?1
			OR (stage = 'approval' AND id IN (SELECT case_id FROM case_approvers WHERE user_id = ?1))
			OR (stage NOT IN ('draft', 'approval') AND board_id IN
				(SELECT board_id FROM user_roles WHERE user_id = ?1 AND role = 'secretary'))
		) ORDER BY updated_at DESC, id DESC`, userID)
	if err != nil {
		return nil, err
	}
	out := make([]workflow.Case, 0, len(numbers))
	for _, n := range numbers {
		c, err := s.Case(ctx, n)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}
