package workflow

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// planDays are meeting days of one body: origin "plan" unless said, status planned.
func planDays(origin MeetingOrigin, status MeetingStatus, dates ...string) []MeetingDay {
	var out []MeetingDay
	for _, d := range dates {
		out = append(out, MeetingDay{Date: MustDate(d), Origin: origin, Status: status})
	}
	return out
}

func sortedDays(parts ...[]MeetingDay) []MeetingDay {
	out := slices.Concat(parts...)
	slices.SortFunc(out, func(a, b MeetingDay) int { return a.Date.Compare(b.Date) })
	return out
}

// A route date must be one of the body's meetings, or an explicit nytt extra
// sammanträde, which may fall on a day off (named, for the warning). In a
// year without a plan the rule from before plans holds: a work day makes its
// meeting, a day off is refused.
func TestChooseMeeting(t *testing.T) {
	au := sortedDays(
		planDays(OriginPlan, MeetingPlanned, "2026-12-17", "2027-01-14", "2027-01-28", "2027-02-11"),
		planDays(OriginPlan, MeetingNoticeSent, "2027-02-25"),
		planDays(OriginUnplanned, MeetingPlanned, "2028-05-10"),
		planDays(OriginExtra, MeetingPlanned, "2029-03-07"),
	)
	today := MustDate("2027-01-02")
	tests := []struct {
		name    string
		date    string
		extra   bool
		today   string // default: today
		want    MeetingChoice
		refusal []string // what the refusal says; nil: not refused
	}{
		{"a planned meeting", "2027-01-14", false, "", MeetingChoice{Existing: true}, nil},
		{"an extra meeting in 9999 is a slip", "9999-12-01", true, "", MeetingChoice{},
			[]string{"ASN arbetsutskott 9999-12-01: Ett sammanträde kan planeras högst 10 år framåt, senast 2037-01-09"}},
		{"a year without a plan in 9999 is a slip", "9999-12-01", false, "", MeetingChoice{},
			[]string{"högst 10 år framåt"}},
		{"a planned meeting, extra asked for all the same", "2027-01-28", true, "", MeetingChoice{Existing: true}, nil},
		{"a meeting whose kallelse is out is still that day's meeting", "2027-02-25", false, "", MeetingChoice{Existing: true}, nil},
		{"a meeting made without a plan is that day's meeting", "2028-05-10", false, "", MeetingChoice{Existing: true}, nil},
		{"a work day without a meeting", "2027-01-21", false, "", MeetingChoice{},
			[]string{"ASN arbetsutskott har inget sammanträde 2027-01-21.", "Närmaste planerade: 2027-01-14, 2027-01-28 och 2027-02-11.", "nytt extra sammanträde"}},
		{"a Saturday without a meeting", "2027-01-23", false, "", MeetingChoice{},
			[]string{"inget sammanträde 2027-01-23 (en lördag)", "Närmaste planerade: 2027-01-14, 2027-01-28 och 2027-02-11"}},
		{"the nearest leave out a meeting whose kallelse is out", "2027-02-24", false, "", MeetingChoice{},
			[]string{"Närmaste planerade: 2027-01-14, 2027-01-28 och 2027-02-11."}},
		{"past meetings are not suggested", "2027-01-21", false, "2027-01-20", MeetingChoice{},
			[]string{"Närmaste planerade: 2027-01-28 och 2027-02-11."}},
		{"no meeting left to suggest", "2027-03-10", false, "2027-03-01", MeetingChoice{},
			[]string{"inget sammanträde 2027-03-10 och inget annat planerat inom tre månader", "planera fler i sammanträdesplanen"}},
		{"a past date (an imported case) is matched with past meetings", "2026-12-10", false, "2027-03-01", MeetingChoice{},
			[]string{"Närmaste planerade: 2026-12-17, 2027-01-14 och 2027-01-28."}},
		{"extra on a work day", "2027-01-21", true, "", MeetingChoice{New: OriginExtra}, nil},
		{"extra on a Saturday", "2027-01-16", true, "", MeetingChoice{New: OriginExtra, DayOff: "en lördag"}, nil},
		{"extra on a Sunday", "2027-01-17", true, "", MeetingChoice{New: OriginExtra, DayOff: "en söndag"}, nil},
		{"extra on Kristi himmelsfärdsdag", "2027-05-06", true, "", MeetingChoice{New: OriginExtra, DayOff: "Kristi himmelsfärdsdag"}, nil},
		{"extra on midsommarafton", "2027-06-25", true, "", MeetingChoice{New: OriginExtra, DayOff: "midsommarafton"}, nil},
		{"extra on julafton", "2027-12-24", true, "", MeetingChoice{New: OriginExtra, DayOff: "julafton"}, nil},
		{"extra on nyårsafton", "2027-12-31", true, "", MeetingChoice{New: OriginExtra, DayOff: "nyårsafton"}, nil},
		{"extra on juldagen, a Saturday", "2027-12-25", true, "", MeetingChoice{New: OriginExtra, DayOff: "juldagen (lördag)"}, nil},
		{"no plan that year: a work day makes its meeting", "2028-03-01", false, "", MeetingChoice{New: OriginUnplanned}, nil},
		{"no plan that year: meetings made without one are no plan", "2028-05-17", false, "", MeetingChoice{New: OriginUnplanned}, nil},
		{"no plan that year: an extra meeting is no plan either", "2029-03-14", false, "", MeetingChoice{New: OriginUnplanned}, nil},
		{"no plan that year: a day off is refused", "2028-03-04", false, "", MeetingChoice{},
			[]string{"ASN arbetsutskott 2028-03-04 är en lördag och har inget planerat sammanträde", "nytt extra sammanträde"}},
		{"no plan that year: julafton is refused", "2028-12-24", false, "", MeetingChoice{}, []string{"2028-12-24 är julafton (söndag)"}},
		{"no plan that year: extra on a day off", "2028-03-04", true, "", MeetingChoice{New: OriginExtra, DayOff: "en lördag"}, nil},
		{"no plan that year: extra on a work day", "2028-03-01", true, "", MeetingChoice{New: OriginExtra}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now := today
			if tt.today != "" {
				now = MustDate(tt.today)
			}
			got, refusal := ChooseMeeting(bodyAU, MustDate(tt.date), tt.extra, au, now)
			if got != tt.want {
				t.Errorf("choice = %+v, want %+v", got, tt.want)
			}
			if (refusal != "") != (tt.refusal != nil) {
				t.Fatalf("refusal = %q, want one saying %q", refusal, tt.refusal)
			}
			for _, s := range tt.refusal {
				if !strings.Contains(refusal, s) {
					t.Errorf("refusal %q does not say %q", refusal, s)
				}
			}
		})
	}
}

// meetingEnv is the secretary's env at the fixture's clock with the bodies'
// meeting days: the AU every week from the 16th, the nämnd and KS every
// other week, all in 2020's plan.
func meetingEnv(days MeetingDays) Env {
	env := envFor(secretary)
	env.Meetings = days
	return env
}

func fixtureDays() MeetingDays {
	return MeetingDays{
		bodyPresidium.ID: planDays(OriginPlan, MeetingPlanned, "2020-01-08", "2020-01-22"),
		bodyAU.ID:        planDays(OriginPlan, MeetingPlanned, "2020-01-16", "2020-01-23", "2020-02-06"),
		bodyBoard.ID:     planDays(OriginPlan, MeetingPlanned, "2020-01-30", "2020-02-13", "2020-02-27"),
		bodyKS.ID:        planDays(OriginPlan, MeetingPlanned, "2020-02-05", "2020-02-19", "2020-03-04"),
	}
}

// A bordläggning chooses among the body's meetings, or asks for an extra
// one; later steps that must move land on their own body's meetings.
func TestPostponeChoosesAMeeting(t *testing.T) {
	noKSPlan := fixtureDays()
	delete(noKSPlan, bodyKS.ID)
	shortBoardPlan := fixtureDays()
	shortBoardPlan[bodyBoard.ID] = planDays(OriginPlan, MeetingPlanned, "2020-01-30", "2020-02-13")
	boardBreak := fixtureDays() // the nämnd does not meet from February to late March
	boardBreak[bodyBoard.ID] = planDays(OriginPlan, MeetingPlanned, "2020-01-30", "2020-03-26")
	boardBreak[bodyKS.ID] = planDays(OriginPlan, MeetingPlanned, "2020-02-05", "2020-02-19", "2020-03-04", "2020-04-01")
	noticedBoard := fixtureDays()
	noticedBoard[bodyBoard.ID] = sortedDays(planDays(OriginPlan, MeetingPlanned, "2020-01-30", "2020-02-27"),
		planDays(OriginPlan, MeetingNoticeSent, "2020-02-20"))
	tests := []struct {
		name    string
		days    MeetingDays
		to      string
		extra   bool
		dates   []string // the route's dates afterwards
		refusal string   // in the date's message; empty: accepted
	}{
		{"to the AU's next meeting, the nämnd stays", fixtureDays(), "2020-01-23", false,
			[]string{"2020-01-08", "2020-01-23", "2020-01-30", "2020-02-05"}, ""},
		{"three weeks on: the nämnd and KS go to their first meetings from three weeks on", fixtureDays(), "2020-02-06", false,
			[]string{"2020-01-08", "2020-02-06", "2020-02-27", "2020-03-04"}, ""},
		{"a later step skips a meeting whose kallelse is out", noticedBoard, "2020-02-06", false,
			[]string{"2020-01-08", "2020-02-06", "2020-02-27", "2020-03-04"}, ""},
		{"a body without a plan that year moves by the days, onto a work day after the step before", noKSPlan, "2020-02-06", false,
			[]string{"2020-01-08", "2020-02-06", "2020-02-27", "2020-02-28"}, ""},
		{"a step after one that lands beyond a break follows it", boardBreak, "2020-02-06", false,
			[]string{"2020-01-08", "2020-02-06", "2020-03-26", "2020-04-01"}, ""},
		{"a day without a meeting is refused, naming the nearest", fixtureDays(), "2020-01-21", false, nil,
			"ASN arbetsutskott har inget sammanträde 2020-01-21. Närmaste planerade: 2020-01-16, 2020-01-23 och 2020-02-06."},
		{"a Saturday without a meeting is refused", fixtureDays(), "2020-01-25", false, nil, "inget sammanträde 2020-01-25 (en lördag)"},
		{"an extra meeting on a work day", fixtureDays(), "2020-01-21", true,
			[]string{"2020-01-08", "2020-01-21", "2020-01-30", "2020-02-05"}, ""},
		{"an extra meeting on a Saturday", fixtureDays(), "2020-01-25", true,
			[]string{"2020-01-08", "2020-01-25", "2020-01-30", "2020-02-05"}, ""},
		{"a later step with no meeting left is refused", shortBoardPlan, "2020-02-06", false, nil,
			"Steget Arbetsmarknads- och socialnämnden 2020-01-30 behöver flyttas till 2020-02-20 eller senare"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := workingCommitteeCase(t)
			res, err := Apply(c, Command{Action: ActPostpone, Version: c.Version, Date: MustDate(tt.to), ExtraMeeting: tt.extra},
				meetingEnv(tt.days))
			if tt.refusal != "" {
				wantFields(t, err, "date")
				if msg := err.(*Error).Fields[0].Message; !strings.Contains(msg, tt.refusal) {
					t.Errorf("refusal %q does not say %q", msg, tt.refusal)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, s := range res.Case.Route {
				got = append(got, s.Date.String())
			}
			if !slices.Equal(got, tt.dates) {
				t.Errorf("route = %v, want %v", got, tt.dates)
			}
			if st := res.Case.Route[1]; st.ExtraMeeting != tt.extra || st.MeetingID != 0 {
				t.Errorf("the AU step asks for an extra meeting: %v, meeting %d", st.ExtraMeeting, st.MeetingID)
			}
		})
	}
}

// Bordläggning at a held meeting is the same choice: the extra meeting asked
// for goes on to the postponed step.
func TestTabledAtAMeetingChoosesAMeeting(t *testing.T) {
	c := workingCommitteeCase(t)
	st := c.Route[1]
	env := meetingEnv(fixtureDays())
	env.Now = st.Date.At(19, 0)
	_, err := DecideAtMeeting(c, heldMeeting(st), MeetingDecision{Type: DecisionTabled, Text: "Bordläggs.", NextDate: MustDate("2020-01-21"), Paragraph: 4}, env)
	wantFields(t, err, "date")
	res, err := DecideAtMeeting(c, heldMeeting(st), MeetingDecision{Type: DecisionTabled, Text: "Bordläggs.", NextDate: MustDate("2020-01-21"),
		ExtraMeeting: true, Paragraph: 4}, env)
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Case.Route[1]; got.Date != MustDate("2020-01-21") || !got.ExtraMeeting {
		t.Errorf("tabled to %s, extra %v", got.Date, got.ExtraMeeting)
	}
}

// The warnings after a change name each extra meeting it made on a day off,
// and only those.
func TestExtraMeetingWarnings(t *testing.T) {
	c := Case{Route: []RouteStep{
		{Body: bodyPresidium, Date: MustDate("2027-01-16"), NewMeeting: true, MeetingOrigin: OriginExtra}, // a Saturday
		{Body: bodyAU, Date: MustDate("2027-01-21"), NewMeeting: true, MeetingOrigin: OriginExtra},        // a Thursday
		{Body: bodyBoard, Date: MustDate("2027-12-24"), NewMeeting: false, MeetingOrigin: OriginExtra},    // made before
		{Body: bodyKS, Date: MustDate("2028-03-04"), NewMeeting: true, MeetingOrigin: OriginUnplanned},    // not extra
		{Body: bodyKF, Date: MustDate("2027-12-31"), NewMeeting: true, MeetingOrigin: OriginExtra},        // nyårsafton
	}}
	var titles []string
	for _, n := range c.NewExtraMeetings() {
		titles = append(titles, n.Title())
	}
	if want := []string{"ASN presidieberedning 2027-01-16", "ASN arbetsutskott 2027-01-21", "Kommunfullmäktige 2027-12-31"}; !slices.Equal(titles, want) {
		t.Errorf("new extra meetings = %q, want %q", titles, want)
	}
	want := []string{
		"Det extra sammanträdet ASN presidieberedning 2027-01-16 hålls en lördag, som inte är en arbetsdag; kontrollera att det ska vara så.",
		"Det extra sammanträdet Kommunfullmäktige 2027-12-31 hålls nyårsafton, som inte är en arbetsdag; kontrollera att det ska vara så.",
	}
	if got := c.ExtraMeetingWarnings(); !slices.Equal(got, want) {
		t.Errorf("warnings = %q, want %q", got, want)
	}
}

// The origins a meeting can have, and the one the pages name.
func TestMeetingOrigin(t *testing.T) {
	for _, o := range MeetingOrigins {
		if !o.Valid() {
			t.Errorf("%s is not valid", o)
		}
	}
	if MeetingOrigin("maybe").Valid() {
		t.Error("an unknown origin is valid")
	}
	m := PlanMeeting(bodyAU, MustDate("2027-01-21"), OriginExtra, time.Now())
	if !m.Extra() || m.Origin.Label() != "extra sammanträde" || OriginPlan.Label() != "" || OriginUnplanned.Label() != "" {
		t.Errorf("labels: %q %q %q", m.Origin.Label(), OriginPlan.Label(), OriginUnplanned.Label())
	}
	planned, err := NewMeeting(bodyAU, MeetingInput{Date: MustDate("2020-01-23")}, envFor(secretary))
	if err != nil || planned.Origin != OriginPlan || planned.Extra() {
		t.Errorf("a meeting planned ahead: %+v, %v", planned, err)
	}
}
