package db

import (
	"context"
	"database/sql"
	"errors"

	"github.com/kommun/beslutsgang/workflow"
)

// A veto makes every change asked for under a context fail and undo
// itself. The pages use it for a form whose text holds characters nobody
// types (httpx.CheckInputText): the form's handler runs as usual, so it
// checks everything else and shows the form again with every problem beside
// its field, and nothing it asks the store to change is kept.

type vetoKey struct{}

// WithVeto is ctx under which every change (Store.tx) is undone and
// answers err, or the change's own error when it fails otherwise: a
// refusal (EFORBIDDEN, ECONFLICT, ENOTFOUND) or other problems of its input
// (EINVALID with fields, which come after err's). err should be a
// workflow.Error of code EINVALID.
func WithVeto(ctx context.Context, err error) context.Context {
	return context.WithValue(ctx, vetoKey{}, err)
}

// vetoed wraps fn so that it never commits when ctx carries a veto.
func vetoed(ctx context.Context, fn func(*sql.Tx) error) func(*sql.Tx) error {
	veto, _ := ctx.Value(vetoKey{}).(error)
	if veto == nil {
		return fn
	}
	return func(tx *sql.Tx) error {
		err := fn(tx)
		if err == nil {
			return veto
		}
		var we, vw *workflow.Error
		if !errors.As(err, &we) || !errors.As(veto, &vw) || we.Code != workflow.EINVALID || len(we.Fields) == 0 {
			return err
		}
		merged := &workflow.Error{Code: workflow.EINVALID, Message: vw.Message, Fields: append([]workflow.FieldError{}, vw.Fields...)}
		merged.Fields = append(merged.Fields, we.Fields...)
		return merged
	}
}
