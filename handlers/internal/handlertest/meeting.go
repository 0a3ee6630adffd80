package handlertest

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/demo"
	"github.com/kommun/beslutsgang/internal/pgtest"
	"github.com/kommun/beslutsgang/notify"
	"github.com/kommun/beslutsgang/workflow"
	"golang.org/x/crypto/bcrypt"
)

// MeetingSite is the service with the demo data, the real mail templates
// (so a kallelse is queued) and a clock the test moves, for the meeting pages.
type MeetingSite struct {
	*Site
	Clock atomic.Value // time.Time
}

func NewMeetingSite(t *testing.T) *MeetingSite {
	t.Helper()
	db.BcryptCost = bcrypt.MinCost
	file := pgtest.DSN(t, "meetings.db")
	store, err := db.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	ms := &MeetingSite{Site: &Site{T: t, Store: store, File: file}}
	ms.Clock.Store(time.Now())
	store.Now = func() time.Time { return ms.Clock.Load().(time.Time) }
	if _, err := demo.Seed(context.Background(), store); err != nil {
		t.Fatal(err)
	}
	c, err := notify.NewComposer(notify.Templates(), "http://beslut.test", workflow.DefaultPolicy)
	if err != nil {
		t.Fatal(err)
	}
	store.Composer = c
	ms.Base = ms.Serve(store, "")
	return ms
}

// at moves the service's clock.
func (ms *MeetingSite) At(t time.Time) { ms.Clock.Store(t) }

// Login logs a browser in as a demo user; after the clock has moved far, the
// old session has expired and this starts a new one.
func (ms *MeetingSite) Login(email string) *Browser {
	ms.T.Helper()
	b := ms.Browser()
	b.Login(email)
	return b
}

// BoardMeeting is the demo's nämnd meeting of "Delårsrapport augusti 2026",
// kallelse sent, with the case's number.
func (ms *MeetingSite) BoardMeeting() (workflow.Meeting, string) {
	ms.T.Helper()
	ctx := context.Background()
	page, err := ms.Store.Cases(ctx, db.CaseFilter{Query: "Delårsrapport", PerPage: 10})
	if err != nil || len(page.Items) != 1 {
		ms.T.Fatalf("the demo case: %+v, %v", page, err)
	}
	c, err := ms.Store.Case(ctx, page.Items[0].Number)
	if err != nil {
		ms.T.Fatal(err)
	}
	m, err := ms.Store.Meeting(ctx, c.Route[c.Step].MeetingID)
	if err != nil {
		ms.T.Fatal(err)
	}
	return m, c.Number
}

// MeetingFingerprint is the site's fingerprint and every meeting table.
func (ms *MeetingSite) MeetingFingerprint() string {
	ms.T.Helper()
	conn, err := db.OpenRaw(ms.File)
	if err != nil {
		ms.T.Fatal(err)
	}
	defer conn.Close()
	h := sha256.New()
	h.Write([]byte(ms.Fingerprint()))
	HashTables(ms.T, conn, h, "meetings", "agenda_items", "body_members", "attendees", "decisions", "paragraph_series",
		"calendar_tokens", "reminders")
	return hex.EncodeToString(h.Sum(nil))
}

// HashTables writes every row of the tables to h, in a fixed order (the
// rows sorted as text, which either engine gives alike).
func HashTables(t *testing.T, conn *sql.DB, h io.Writer, tables ...string) {
	t.Helper()
	for _, table := range tables {
		rows, err := conn.Query(`SELECT * FROM ` + table)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		var lines []string
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			lines = append(lines, fmt.Sprintf("%s%v", table, vals))
		}
		rows.Close()
		slices.Sort(lines)
		for _, l := range lines {
			fmt.Fprintln(h, l)
		}
	}
}

// UnchangedMeetings fails the test if anything changed since the fingerprint.
func (ms *MeetingSite) UnchangedMeetings(before string) {
	ms.T.Helper()
	if ms.MeetingFingerprint() != before {
		ms.T.Error("the database changed, but the refused form should have changed nothing")
	}
}

// Held moves the clock to the evening of m and marks it held as the
// secretary, logged in anew (the session may have expired on the way); it
// returns the secretary's browser.
func (ms *MeetingSite) Held(m workflow.Meeting) *Browser {
	ms.T.Helper()
	ms.At(m.Date.At(19, 0))
	b := ms.Login("sekreterare@kommun.example")
	b.Get(MeetingURL(m.ID))
	if p := b.Post(MeetingURL(m.ID)+"/held", nil); p.Status != 303 {
		ms.T.Fatalf("held: %d\n%s", p.Status, p.Body)
	}
	return b
}

// WithAdjusters sets the chair and the ledamot of the demo as justerare, all present.
func (ms *MeetingSite) WithAdjusters(b *Browser, m workflow.Meeting) {
	ms.T.Helper()
	members, err := ms.Store.Members(context.Background(), m.Body.Code)
	if err != nil {
		ms.T.Fatal(err)
	}
	form := map[string][]string{}
	for _, mb := range members {
		id := strconv.FormatInt(mb.ID, 10)
		form["member"] = append(form["member"], id)
		form["present"] = append(form["present"], id)
		if mb.Role == workflow.MemberChair || mb.Name == "Bo Ström" {
			form["adjuster"] = append(form["adjuster"], id)
		}
	}
	b.Get(MeetingURL(m.ID) + "/attendance")
	if p := b.Post(MeetingURL(m.ID)+"/attendance", form); p.Status != 303 {
		ms.T.Fatalf("attendance: %d\n%s", p.Status, p.Body)
	}
}

func MeetingURL(id int64) string { return "/meetings/" + strconv.FormatInt(id, 10) }

// DBOutboxAll is one page that holds the whole outbox of a test.
func DBOutboxAll() db.OutboxFilter { return db.OutboxFilter{PerPage: db.MaxPerPage} }
