package workflow

import "testing"

func TestMeetingDeadlinesFollowTheMeeting(t *testing.T) {
	first := Person{ID: 7, Name: "Erik Nyström", Email: "erik@kommun.example"}
	keeper := Person{ID: 8, Name: "Eva Nilsson", Email: "eva@kommun.example"}
	planned := boardMeeting(MeetingPlanned)
	planned.CreatedAt = MustDate("2020-01-02").At(9, 0)
	got := MeetingDeadlines(planned, []Person{first, keeper})
	if len(got) != 1 || got[0].Kind != DeadlineNotice || got[0].Due != MustDate("2020-01-24") ||
		got[0].Responsible != first || got[0].MeetingID != planned.ID || got[0].CaseNumber != "" {
		t.Errorf("planned meeting: %+v, want the kallelse on 2020-01-24 for the first secretary", got)
	}

	// Planned for a day already past (an imported route): no kallelse to remind of.
	imported := planned
	imported.CreatedAt = MustDate("2020-02-03").At(9, 0)
	if got := MeetingDeadlines(imported, []Person{first}); got != nil {
		t.Errorf("a meeting planned after its day has deadlines %+v", got)
	}
	// Planned on the day itself: the kallelse is late but still asked for.
	sameDay := planned
	sameDay.CreatedAt = planned.Date.At(7, 0)
	if got := MeetingDeadlines(sameDay, []Person{first}); len(got) != 1 {
		t.Errorf("a meeting planned on its day: %+v", got)
	}

	held := boardMeeting(MeetingHeld)
	held.Secretary = keeper
	got = MeetingDeadlines(held, []Person{first})
	if len(got) != 1 || got[0].Kind != DeadlineJustering || got[0].Responsible != keeper || got[0].Due != MustDate("2020-02-13") {
		t.Errorf("held meeting: %+v, want the justering on 2020-02-13 for the keeper of the protokoll", got)
	}
	if got := MeetingDeadlines(boardMeeting(MeetingPlanned), nil); got != nil {
		t.Errorf("without a secretary: %+v", got)
	}
	if got := MeetingDeadlines(boardMeeting(MeetingPosted), []Person{first}); got != nil {
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
