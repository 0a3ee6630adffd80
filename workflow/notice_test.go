package workflow

import (
	"strings"
	"testing"
	"time"
)

func postedMeeting(posted string) Meeting {
	m := boardMeeting(MeetingPosted)
	j := MustDate("2020-02-03").At(20, 0)
	m.JustifiedAt, m.PostedOn = &j, MustDate(posted)
	return m
}

// A notice of justering stays up through the last day of the appeal period,
// which lag (1930:173) moves past a weekend or holiday, and comes down the
// day after it.
func TestJusteringNoticeUpUntilTheAppealPeriodHasRun(t *testing.T) {
	for _, tt := range []struct {
		name, posted, lastUp string
	}{
		{"three weeks end on a work day", "2020-02-04", "2020-02-25"},
		{"three weeks end on a Saturday", "2026-11-07", "2026-11-30"},
		{"three weeks end on juldagen", "2026-12-04", "2026-12-28"},
		{"three weeks end on midsommarafton", "2026-05-29", "2026-06-22"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			n, ok := JusteringNotice(postedMeeting(tt.posted), boardASN)
			if !ok {
				t.Fatal("no notice for a posted meeting")
			}
			lastUp := MustDate(tt.lastUp)
			if n.AppealEnds != lastUp || n.DownOn != lastUp.AddDays(1) {
				t.Fatalf("appeal ends %s, down %s; want %s and the day after", n.AppealEnds, n.DownOn, lastUp)
			}
			posted := MustDate(tt.posted)
			for day, want := range map[Date]bool{posted.AddDays(-1): false, posted: true, posted.AddDays(AppealDays): true,
				lastUp: true, lastUp.AddDays(1): false} {
				if n.Up(day) != want {
					t.Errorf("up on %s: %v, want %v", day, !want, want)
				}
			}
			if !n.Down(lastUp.AddDays(1)) || n.Down(lastUp) || n.Down(posted.AddDays(-1)) {
				t.Error("archived on the wrong days")
			}
			if n.ID != "justering-103" || n.KeptAt != "Kommunledningskontoret, Arbetsmarknads- och socialnämnden" ||
				!n.Appealable() || n.JustifiedOn != MustDate("2020-02-03") {
				t.Errorf("notice: %+v", n)
			}
		})
	}
}

func TestNoJusteringNoticeBeforeAnslag(t *testing.T) {
	for _, m := range []Meeting{boardMeeting(MeetingJustified), boardMeeting(MeetingHeld)} {
		if _, ok := JusteringNotice(m, boardASN); ok {
			t.Errorf("a notice for a meeting %s", m.Status)
		}
	}
	pr := postedMeeting("2020-02-04")
	pr.Body = bodyPresidium
	if _, ok := JusteringNotice(pr, boardASN); ok {
		t.Error("a notice for a body that keeps no protokoll")
	}
}

func TestKungorelseUntilTheMeetingDayHasPassed(t *testing.T) {
	sent := MustDate("2026-11-20").At(9, 0)
	m := Meeting{ID: 7, Body: bodyKF, Date: MustDate("2026-12-02"), Start: "17:00", Place: "Rådhuset", Status: MeetingNoticeSent,
		NoticeSentAt: &sent}
	n, ok := Kungorelse(m, boardKS)
	if !ok || n.ID != "kungorelse-7" || n.Title != "Kommunfullmäktige sammanträder 2026-12-02 kl. 17:00, Rådhuset" || n.Appealable() {
		t.Fatalf("kungörelse: %v %+v", ok, n)
	}
	if !n.Up(MustDate("2026-11-20")) || !n.Up(MustDate("2026-12-02")) || n.Up(MustDate("2026-12-03")) || n.Up(MustDate("2026-11-19")) {
		t.Error("up on the wrong days")
	}
	m.Status = MeetingHeld
	if _, ok := Kungorelse(m, boardKS); !ok {
		t.Error("a held meeting's kungörelse is gone; it belongs in the archive")
	}
	m.Status, m.NoticeSentAt = MeetingPlanned, nil
	if _, ok := Kungorelse(m, boardKS); ok {
		t.Error("a kungörelse before the kallelse")
	}
	m.Body, m.Status, m.NoticeSentAt = bodyKS, MeetingNoticeSent, &sent
	if _, ok := Kungorelse(m, boardKS); ok {
		t.Error("a kungörelse for kommunstyrelsen")
	}
}

func TestNewNoticeRefusals(t *testing.T) {
	now := MustDate("2026-11-30").At(10, 0)
	good := NoticeInput{Board: "ASN", Title: "Sammanträdet flyttas", Text: "Nämndens sammanträde hålls i sal B.",
		PostedOn: "2026-11-30", DownOn: "2026-12-15"}
	if n, err := NewNotice(good, boardASN, envAt(secretary, now)); err != nil || n.PostedOn != MustDate("2026-11-30") ||
		n.DownOn != MustDate("2026-12-15") || n.CreatedBy.ID != secretary.ID {
		t.Fatalf("a good notice: %+v %v", n, err)
	}
	for _, tt := range []struct {
		name   string
		change func(*NoticeInput)
		field  string
		word   string
	}{
		{"no title", func(in *NoticeInput) { in.Title = " " }, "title", "rubrik"},
		{"long title", func(in *NoticeInput) { in.Title = strings.Repeat("å", MaxNoticeTitle+1) }, "title", "högst"},
		{"no text", func(in *NoticeInput) { in.Text = "" }, "text", "tillkännages"},
		{"no posted day", func(in *NoticeInput) { in.PostedOn = "" }, "posted_on", "Ange"},
		{"posted day not a date", func(in *NoticeInput) { in.PostedOn = "30/11" }, "posted_on", "ÅÅÅÅ-MM-DD"},
		{"posted yesterday", func(in *NoticeInput) { in.PostedOn = "2026-11-29" }, "posted_on", "före i dag"},
		{"no down day", func(in *NoticeInput) { in.DownOn = "" }, "down_on", "Ange"},
		{"down on the posted day", func(in *NoticeInput) { in.DownOn = "2026-11-30" }, "down_on", "efter anslagsdagen"},
		{"down before posted", func(in *NoticeInput) { in.DownOn = "2026-11-01" }, "down_on", "efter anslagsdagen"},
		{"posted day that does not exist", func(in *NoticeInput) { in.PostedOn = "2027-02-30" }, "posted_on", "2027-02-30 finns inte; februari 2027 har 28 dagar"},
		{"down day that does not exist", func(in *NoticeInput) { in.DownOn = "2026-12-32" }, "down_on", "2026-12-32 finns inte"},
		{"month that does not exist", func(in *NoticeInput) { in.DownOn = "2026-13-01" }, "down_on", "månad 13 finns inte"},
		{"posted more than a year ahead", func(in *NoticeInput) { in.PostedOn, in.DownOn = "9999-12-01", "9999-12-31" }, "posted_on", "högst ett år fram, senast 2027-11-30"},
		{"posted a year and a day ahead", func(in *NoticeInput) { in.PostedOn, in.DownOn = "2027-12-01", "2027-12-15" }, "posted_on", "senast 2027-11-30"},
		{"up for more than a year", func(in *NoticeInput) { in.DownOn = "9999-12-01" }, "down_on", "högst ett år: ta ned det senast 2027-11-30"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in := good
			tt.change(&in)
			_, err := NewNotice(in, boardASN, envAt(secretary, now))
			we, ok := err.(*Error)
			if !ok || we.Code != EINVALID || len(we.Fields) != 1 || we.Fields[0].Field != tt.field ||
				!strings.Contains(we.Fields[0].Message, tt.word) {
				t.Errorf("got %v", err)
			}
		})
	}
	// Two problems at once are both named: a posted day in the past and a
	// take-down day before it.
	both := good
	both.PostedOn, both.DownOn = "2026-11-29", "2026-11-28"
	_, err := NewNotice(both, boardASN, envAt(secretary, now))
	if we, ok := err.(*Error); !ok || len(we.Fields) != 2 || we.Fields[0].Field != "posted_on" || we.Fields[1].Field != "down_on" ||
		!strings.Contains(we.Fields[1].Message, "efter anslagsdagen 2026-11-29") {
		t.Errorf("a past posted day and a take-down day before it: %v", err)
	}
	// The bounds themselves are allowed: up in a year, for a year.
	edge := good
	edge.PostedOn, edge.DownOn = "2027-11-30", "2028-11-30"
	if _, err := NewNotice(edge, boardASN, envAt(secretary, now)); err != nil {
		t.Errorf("up in a year for a year: %v", err)
	}
	for _, u := range []User{officer, ksSecretary, inactiveSecretary, admin} {
		if _, err := NewNotice(good, boardASN, envAt(u, now)); ErrorCode(err) != EFORBIDDEN {
			t.Errorf("%s posted a notice for ASN: %v", u.Name, err)
		}
	}
}

func TestTakeDownNotice(t *testing.T) {
	now := MustDate("2026-11-30").At(10, 0)
	n, err := NewNotice(NoticeInput{Title: "Rubrik", Text: "Text", PostedOn: "2026-11-30", DownOn: "2026-12-15"}, boardASN, envAt(secretary, now))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := TakeDownNotice(n, envAt(ksSecretary, now)); ErrorCode(err) != EFORBIDDEN {
		t.Errorf("another board's secretary: %v", err)
	}
	later := now.Add(26 * time.Hour)
	down, err := TakeDownNotice(n, envAt(secretary, later))
	if err != nil || down.TakenDownOn() != MustDate("2026-12-01") || !down.Removed() {
		t.Fatalf("taken down: %+v %v", down, err)
	}
	if down.Up(MustDate("2026-12-01")) || !down.Up(MustDate("2026-11-30")) || !down.Down(MustDate("2026-12-01")) {
		t.Error("up on the wrong days")
	}
	if _, err := TakeDownNotice(down, envAt(secretary, later)); ErrorCode(err) != ECONFLICT {
		t.Errorf("taken down twice: %v", err)
	}
	// Taken down the day it went up: it was up, so it is kept in the archive.
	same, _ := TakeDownNotice(n, envAt(secretary, now.Add(time.Hour)))
	if !same.Posted(MustDate("2026-11-30")) || same.Up(MustDate("2026-11-30")) || !same.Down(MustDate("2026-11-30")) {
		t.Error("a notice taken down on its first day is not archived")
	}
	j, _ := JusteringNotice(postedMeeting("2020-02-04"), boardASN)
	if _, err := TakeDownNotice(j, envAt(secretary, now)); ErrorCode(err) != ECONFLICT {
		t.Errorf("a justering notice taken down: %v", err)
	}
}

func TestParseNoticeID(t *testing.T) {
	for id, want := range map[string]bool{"justering-12": true, "kungorelse-1": true, "notice-3": true,
		"notice-0": false, "notice-03": false, "notice-": false, "other-3": false, "notice-3x": false, "justering": false} {
		if _, _, ok := ParseNoticeID(id); ok != want {
			t.Errorf("%s: %v", id, ok)
		}
	}
}

// A board not chosen is a problem of its field, reported with the others.
func TestNewNoticeWithoutBoard(t *testing.T) {
	_, err := NewNotice(NoticeInput{Title: "", Text: "x", PostedOn: "2026-11-30", DownOn: "2026-12-01"}, Board{},
		envAt(secretary, MustDate("2026-11-30").At(9, 0)))
	we, ok := err.(*Error)
	if !ok || we.Code != EINVALID || len(we.Fields) != 2 || we.Fields[0].Field != "board" || we.Fields[1].Field != "title" {
		t.Errorf("got %v", err)
	}
}
