package db

import (
	"context"

	"github.com/kommun/beslutsgang/workflow"
)

// CasesInvolving loads the open cases a user may have something to do with:
// the ones they handle, the ones in approval that name them as approver, and
// the ones on the route of a board where they are secretary; the most
// recently changed first, at most limit of them (more says there are more),
// so the start page costs the same however many cases a secretary's boards
// hold. The caller asks workflow.Allowed which of them wait for the user.
func (s *Store) CasesInvolving(ctx context.Context, userID int64, limit int) (cases []workflow.Case, more bool, err error) {
	err = s.readTx(ctx, func(q queryer) (err error) {
		cases, more, err = casesInvolving(ctx, q, userID, limit)
		return err
	})
	return cases, more, err
}

func casesInvolving(ctx context.Context, q queryer, userID int64, limit int) ([]workflow.Case, bool, error) {
	// The stages as ranges of stage_rank, so each branch reads the open
	// cases of its index only, not every case a board ever had; a sign-off
	// is looked up per case awaiting one, never by walking all of the
	// user's sign-offs.
	numbers, err := queryStrings(ctx, q, `SELECT number FROM cases WHERE
			(officer_id = ?1 AND stage_rank < ?3)
			OR (stage_rank = ?4 AND EXISTS (SELECT 1 FROM case_approvers ca WHERE ca.case_id = cases.id AND ca.user_id = ?1))
			OR (stage_rank > ?4 AND stage_rank < ?3 AND board_id IN
				(SELECT board_id FROM user_roles WHERE user_id = ?1 AND role = 'secretary'))
		ORDER BY updated_at DESC, id DESC LIMIT ?2`, userID, limit+1,
		stageRank(workflow.StageClosed), stageRank(workflow.StageApproval))
	if err != nil {
		return nil, false, err
	}
	more := len(numbers) > limit
	if more {
		numbers = numbers[:limit]
	}
	cases := make([]workflow.Case, 0, len(numbers))
	for _, n := range numbers {
		c, err := loadCase(ctx, q, n)
		if err != nil {
			return nil, false, err
		}
		cases = append(cases, c)
	}
	return cases, more, nil
}
