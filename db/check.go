package db

import (
	"context"
	"strings"

	"github.com/kommun/beslutsgang/workflow"
)

// CheckCase says what CreateCase would refuse in for, without saving
// anything: a form that is not saved for another reason (a file that cannot
// be attached) shows these problems together with its own. An input with a
// number is checked as ImportCase registers it, its number not yet used.
func (s *Store) CheckCase(ctx context.Context, in CaseInput, actor workflow.User) error {
	imported := strings.TrimSpace(in.Number) != "" // registered by ImportCase, as its callers do
	draft, p := resolve(ctx, s.r, in, actor, s.now())
	if imported {
		if _, err := loadCase(ctx, s.r, draft.Number); err == nil {
			p.Add("number", "Diarienumret %s är redan använt", draft.Number)
		}
	}
	if draft.Board.ID == 0 {
		return append(p, workflow.CheckDraft(draft, workflow.Env{Now: s.now(), Actor: actor}, imported)...).Err()
	}
	env, err := s.env(ctx, s.r, draft.Board.Code, actor)
	if err != nil {
		return err
	}
	if _, err := workflow.NewCase(draft, env, imported); err != nil {
		return mergeProblems(p, err)
	}
	return p.Err()
}

// CheckDraftEdit says what EditDraft would refuse, without saving anything.
func (s *Store) CheckDraftEdit(ctx context.Context, number string, version int, in CaseInput, actor workflow.User) error {
	c, err := loadCase(ctx, s.r, number)
	if err != nil {
		return err
	}
	env, err := s.env(ctx, s.r, c.Board.Code, actor)
	if err != nil {
		return err
	}
	in.Board, in.Number = c.Board.Code, ""
	draft, p := resolve(ctx, s.r, in, actor, s.now())
	if in.Officer == "" {
		draft.Officer = workflow.User{} // keep the case's officer
	}
	if _, err := workflow.EditDraft(c, version, draft, env); err != nil {
		return mergeProblems(p, err)
	}
	return p.Err()
}
