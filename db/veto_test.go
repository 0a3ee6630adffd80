package db

import (
	"errors"
	"testing"

	"github.com/kommun/beslutsgang/workflow"
)

// Under a veto a change that would succeed is undone and answers the veto;
// one with problems of its own answers them after the veto's; a refusal
// stays a refusal. Nothing is saved in any case.
func TestVetoKeepsNothing(t *testing.T) {
	w := newMeetingWorld(t)
	raw := rawDB(t, w.s.Path())
	defer raw.Close()
	veto := &workflow.Error{Code: workflow.EINVALID, Message: "Ogiltiga uppgifter",
		Fields: []workflow.FieldError{{Field: "text", Message: "Texten innehöll styrtecknet U+0007"}}}
	ctx := WithVeto(w.ctx, veto)
	good := workflow.NoticeInput{Board: "ASN", Title: "Rubrik", Text: "Text", PostedOn: "2026-03-02", DownOn: "2026-03-10"}
	if _, err := w.s.CreateNotice(ctx, w.secretary, good); !errors.Is(err, veto) {
		t.Errorf("a good notice under a veto: %v", err)
	}
	bad := good
	bad.Title = ""
	_, err := w.s.CreateNotice(ctx, w.secretary, bad)
	var we *workflow.Error
	if !errors.As(err, &we) || we.Code != workflow.EINVALID || len(we.Fields) != 2 || we.Fields[0].Field != "text" || we.Fields[1].Field != "title" {
		t.Errorf("a notice without a title under a veto: %v", err)
	}
	if _, err := w.s.CreateNotice(ctx, w.officer, good); workflow.ErrorCode(err) != workflow.EFORBIDDEN {
		t.Errorf("an officer under a veto: %v", err)
	}
	if n := count(t, raw, `SELECT COUNT(*) FROM notices`); n != 0 {
		t.Fatalf("saved under a veto: %d notices", n)
	}
	if _, err := w.s.CreateNotice(w.ctx, w.secretary, good); err != nil {
		t.Errorf("without the veto: %v", err)
	}
}
