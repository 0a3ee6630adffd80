package web

import (
	"fmt"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/workflow"
)

// deadlineRow is a bevakning as the pages list it: its urgency in a word as
// well as a colour, and whether the viewer may kvittera it.
type deadlineRow struct {
	db.DeadlineItem
	Urgency string // overdue, today, soon, closed: the CSS class
	When    string // "Försenad 3 dagar", "I dag", "Om 5 dagar", "Kvitterad 2026-11-26 av Sara Lindqvist"
	CanAck  bool
}

// Overdue reports an open bevakning past its day.
func (r deadlineRow) Overdue() bool { return r.Urgency == "overdue" }

func deadlineRowsOf(items []db.DeadlineItem, u workflow.User, today workflow.Date) []deadlineRow {
	out := make([]deadlineRow, len(items))
	for i, it := range items {
		r := deadlineRow{DeadlineItem: it, CanAck: workflow.CheckAcknowledge(it.Deadline, it.Board, u) == nil}
		switch days := today.DaysUntil(it.Due); {
		case it.State != workflow.DeadlineOpen:
			r.Urgency, r.When = "closed", closedText(it)
		case days < 0:
			r.Urgency, r.When = "overdue", fmt.Sprintf("Försenad %d %s", -days, dayWord(-days))
		case days == 0:
			r.Urgency, r.When = "today", "I dag"
		default:
			r.Urgency, r.When = "soon", fmt.Sprintf("Om %d %s", days, dayWord(days))
		}
		out[i] = r
	}
	return out
}

func dayWord(n int) string {
	if n == 1 {
		return "dag"
	}
	return "dagar"
}

// closedText says how a bevakning closed: done when the case moved on, or
// acknowledged by someone.
func closedText(it db.DeadlineItem) string {
	s := upperFirst(it.State.Label())
	if it.ClosedAt != nil {
		s += " " + httpx.FormatTime(*it.ClosedAt)
	}
	if it.ClosedBy != nil {
		s += " av " + it.ClosedBy.Name
	}
	return s
}

// acknowledgeForm is what a kvittera button posts besides the token: where to
// come back to.
type acknowledgeForm struct {
	CSRF string
	Back string // a local path, e.g. / or /cases/ASN-2026-1#bevakningar
}

// withDone adds ?done=... to a local path, before any #fragment.
func withDone(path, done string) string {
	path, fragment, hasFragment := strings.Cut(localPath(path), "#")
	u, err := url.Parse(path)
	if err != nil {
		return "/?done=" + url.QueryEscape(done)
	}
	q := u.Query()
	q.Set("done", done)
	u.RawQuery = q.Encode()
	if hasFragment {
		return u.String() + "#" + fragment
	}
	return u.String()
}

// upperFirst writes the first letter of s as a capital, for a message that
// starts a sentence.
func upperFirst(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
