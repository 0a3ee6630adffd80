package handlers_test

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

// meetingSite is the service with the demo data, the real mail templates
// (so a kallelse is queued) and a clock the test moves, for the meeting pages.
type meetingSite struct {
	*site
	clock atomic.Value // time.Time
}

func newMeetingSite(t *testing.T) *meetingSite {
	t.Helper()
	db.BcryptCost = bcrypt.MinCost
	file := pgtest.DSN(t, "meetings.db")
	store, err := db.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	ms := &meetingSite{site: &site{t: t, store: store, file: file}}
	ms.clock.Store(time.Now())
	store.Now = func() time.Time { return ms.clock.Load().(time.Time) }
	if _, err := demo.Seed(context.Background(), store); err != nil {
		t.Fatal(err)
	}
	c, err := notify.NewComposer(notify.Templates(), "http://beslut.test", workflow.DefaultPolicy)
	if err != nil {
		t.Fatal(err)
	}
	store.Composer = c
	ms.base = ms.serve(store, "")
	return ms
}

// at moves the service's clock.
func (ms *meetingSite) at(t time.Time) { ms.clock.Store(t) }

// login logs a browser in as a demo user; after the clock has moved far, the
// old session has expired and this starts a new one.
func (ms *meetingSite) login(email string) *browser {
	ms.t.Helper()
	b := ms.browser()
	b.login(email)
	return b
}

// boardMeeting is the demo's nämnd meeting of "Delårsrapport augusti 2026",
// kallelse sent, with the case's number.
func (ms *meetingSite) boardMeeting() (workflow.Meeting, string) {
	ms.t.Helper()
	ctx := context.Background()
	page, err := ms.store.Cases(ctx, db.CaseFilter{Query: "Delårsrapport", PerPage: 10})
	if err != nil || len(page.Items) != 1 {
		ms.t.Fatalf("the demo case: %+v, %v", page, err)
	}
	c, err := ms.store.Case(ctx, page.Items[0].Number)
	if err != nil {
		ms.t.Fatal(err)
	}
	m, err := ms.store.Meeting(ctx, c.Route[c.Step].MeetingID)
	if err != nil {
		ms.t.Fatal(err)
	}
	return m, c.Number
}

// meetingFingerprint is the site's fingerprint and every meeting table.
func (ms *meetingSite) meetingFingerprint() string {
	ms.t.Helper()
	conn, err := db.OpenRaw(ms.file)
	if err != nil {
		ms.t.Fatal(err)
	}
	defer conn.Close()
	h := sha256.New()
	h.Write([]byte(ms.fingerprint()))
	hashTables(ms.t, conn, h, "meetings", "agenda_items", "body_members", "attendees", "decisions", "paragraph_series",
		"calendar_tokens", "reminders")
	return hex.EncodeToString(h.Sum(nil))
}

// hashTables writes every row of the tables to h, in a fixed order (the
// rows sorted as text, which either engine gives alike).
func hashTables(t *testing.T, conn *sql.DB, h io.Writer, tables ...string) {
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

// unchangedMeetings fails the test if anything changed since the fingerprint.
func (ms *meetingSite) unchangedMeetings(before string) {
	ms.t.Helper()
	if ms.meetingFingerprint() != before {
		ms.t.Error("the database changed, but the refused form should have changed nothing")
	}
}

// held moves the clock to the evening of m and marks it held as the
// secretary, logged in anew (the session may have expired on the way); it
// returns the secretary's browser.
func (ms *meetingSite) held(m workflow.Meeting) *browser {
	ms.t.Helper()
	ms.at(m.Date.At(19, 0))
	b := ms.login("sekreterare@kommun.example")
	b.get(meetingURL(m.ID))
	if p := b.post(meetingURL(m.ID)+"/held", nil); p.Status != 303 {
		ms.t.Fatalf("held: %d\n%s", p.Status, p.Body)
	}
	return b
}

// withAdjusters sets the chair and the ledamot of the demo as justerare, all present.
func (ms *meetingSite) withAdjusters(b *browser, m workflow.Meeting) {
	ms.t.Helper()
	members, err := ms.store.Members(context.Background(), m.Body.Code)
	if err != nil {
		ms.t.Fatal(err)
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
	b.get(meetingURL(m.ID) + "/attendance")
	if p := b.post(meetingURL(m.ID)+"/attendance", form); p.Status != 303 {
		ms.t.Fatalf("attendance: %d\n%s", p.Status, p.Body)
	}
}

func meetingURL(id int64) string { return "/meetings/" + strconv.FormatInt(id, 10) }

// dbOutboxAll is one page that holds the whole outbox of a test.
func dbOutboxAll() db.OutboxFilter { return db.OutboxFilter{PerPage: db.MaxPerPage} }
