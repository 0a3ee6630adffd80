package db

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"unicode/utf8"
)

// Cursor is a place in a sorted list (keyset pagination): the list goes on
// after (or, with Back, before) the row with this sort key and id, so a page
// costs the same wherever it is in the list and rows inserted meanwhile
// neither repeat nor hide a row. Clients see it only as an opaque string
// (String, ParseCursor).
type Cursor struct {
	Sort string // the list's order, e.g. "number" (per list: see its filter)
	Desc bool
	// Key is the sort value of the row, as text. Empty where the list reads
	// it from the row itself (ID): the title sort, whose key may be a title
	// that belongs in no URL or log, and lists whose key never changes.
	Key string
	ID  int64
	// Back asks for the rows before the place; with ID 0, the last page.
	Back bool
}

// CursorError is a cursor this service did not make, or one made for
// another order than the one asked for: HTTP 400.
type CursorError struct{ Message string }

func (e *CursorError) Error() string { return e.Message }

func badCursor(format string, args ...any) error {
	return &CursorError{Message: fmt.Sprintf(format, args...)}
}

// cursorJSON is a Cursor as written into its string: short names, since the
// string goes into every next link.
type cursorJSON struct {
	S string `json:"s"`
	D bool   `json:"d,omitempty"`
	K string `json:"k,omitempty"`
	I int64  `json:"i,omitempty"`
	B bool   `json:"b,omitempty"`
}

// maxCursor bounds a cursor string, so a forged one costs nothing to refuse.
const maxCursor = 600

// String is the cursor as an opaque URL-safe string.
func (c Cursor) String() string {
	b, _ := json.Marshal(cursorJSON{S: c.Sort, D: c.Desc, K: c.Key, I: c.ID, B: c.Back})
	return base64.RawURLEncoding.EncodeToString(b)
}

// ParseCursor reads a cursor made by String. Anything else (edited, cut,
// padded, or too long) is a *CursorError in Swedish; whether the cursor fits
// the list it is used on is the list's check (Fits).
func ParseCursor(s string) (Cursor, error) {
	bad := badCursor("Sidmarkören (cursor) är felaktig; börja om från första sidan")
	if s == "" || len(s) > maxCursor {
		return Cursor{}, bad
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || !utf8.Valid(raw) {
		return Cursor{}, bad
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var j cursorJSON
	if err := dec.Decode(&j); err != nil || dec.More() {
		return Cursor{}, bad
	}
	c := Cursor{Sort: j.S, Desc: j.D, Key: j.K, ID: j.I, Back: j.B}
	// Only the one spelling String writes is accepted.
	if c.String() != s || c.ID < 0 || (c.ID == 0 && (!c.Back || c.Key != "")) {
		return Cursor{}, bad
	}
	return c, nil
}

// Fits refuses a cursor made for another order than sort and desc.
func (c Cursor) Fits(sort string, desc bool) error {
	if c.Sort != sort || c.Desc != desc {
		return badCursor("Sidmarkören (cursor) hör till en annan sortering än den som begärs; börja om från första sidan")
	}
	return nil
}
