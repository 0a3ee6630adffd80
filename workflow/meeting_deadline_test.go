package workflow

import "testing"

func TestMeetingDeadlinesFollowTheMeeting(t *testing.T) {
	first := Person{ID: 7, Name: "Erik Nyström", Email: "erik@kommun.example"}
	keeper := Person{ID: 8, Name: "Eva Nilsson", Email: "eva@kommun.example"}
	planned := boardMeeting(MeetingPlanned)
	got := MeetingDeadlines(planned, []Person{first, keeper}, MustDate("2020-01-02"))
	if len(got) != 1 || got[0].Kind != DeadlineNotice || got[0].Due != MustDate("2020-01-24") ||
		got[0].Responsible != first || got[0].MeetingID != planned.ID || got[0].CaseNumber != "" {
		t.Errorf("planned meeting: %+v, want the kallelse on 2020-01-24 for the first secretary", got)
	}
	// Late, but the meeting is still ahead (or today): the kallelse is asked for.
	for _, day := range []string{"2020-01-27", "2020-01-30"} {
		if got := MeetingDeadlines(planned, []Person{first}, MustDate(day)); len(got) != 1 {
			t.Errorf("on %s: %+v, want the kallelse", day, got)
		}
	}
	// Its day has passed: no kallelse to remind of.
	if got := MeetingDeadlines(planned, []Person{first}, MustDate("2020-01-31")); got != nil {
		t.Errorf("a planned meeting after its day has deadlines %+v", got)
	}

	held := boardMeeting(MeetingHeld)
	held.Secretary = keeper
	got = MeetingDeadlines(held, []Person{first}, MustDate("2020-02-20"))
	if len(got) != 1 || got[0].Kind != DeadlineJustering || got[0].Responsible != keeper || got[0].Due != MustDate("2020-02-13") {
		t.Errorf("held meeting: %+v, want the justering on 2020-02-13 for the keeper of the protokoll", got)
	}
	if got := MeetingDeadlines(boardMeeting(MeetingPlanned), nil, MustDate("2020-01-02")); got != nil {
		t.Errorf("without a secretary: %+v", got)
	}
	if got := MeetingDeadlines(boardMeeting(MeetingPosted), []Person{first}, MustDate("2020-01-02")); got != nil {
		t.Errorf("posted meeting: %+v", got)
	}
}

func TestMeetingDeadlineKindsHaveLabelsAndPolicies(t *testing.T) {
	for _, k := range MeetingKinds {
		if k.Label() == string(k) {
			t.Errorf("kind %s has no Swedish label", k)
		}
		if p, ok := ReminderPolicies[k]; !ok || !p.OnDue || !p.Overdue {
			t.Errorf("kind %s has no reminder policy with a reminder on the day and after it: %+v", k, p)
		}
	}
}
