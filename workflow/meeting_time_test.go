package workflow

import (
	"strings"
	"testing"
)

// In 2020 summer time started on Sunday 29 March (02:00 became 03:00) and
// ended on Sunday 25 October (03:00 became 02:00 again), in Stockholm.
var (
	springForward = MustDate("2020-03-29")
	fallBack      = MustDate("2020-10-25")
)

// A meeting time that does not exist in Stockholm, or that occurs twice, is
// refused on its own field with a Swedish reason.
func TestMeetingTimeAtDSTChange(t *testing.T) {
	tests := []struct {
		name       string
		date       Date
		start, end string
		field      string // the field refused; empty when the times are fine
		words      []string
	}{
		{"02:30 does not exist when summer time starts", springForward, "02:30", "", "time",
			[]string{"02:30", "finns inte", "2020-03-29", "sommartid", "annan tid"}},
		{"02:00 does not exist either", springForward, "02:00", "", "time", []string{"finns inte"}},
		{"02:59 is the last minute that does not exist", springForward, "02:59", "04:00", "time", []string{"finns inte"}},
		{"an end time in the gap", springForward, "01:00", "02:15", "end_time", []string{"02:15", "finns inte"}},
		{"01:59 exists", springForward, "01:59", "", "", nil},
		{"03:00 exists", springForward, "03:00", "05:00", "", nil},
		{"across the gap", springForward, "01:30", "03:30", "", nil},

		{"02:30 occurs twice when summer time ends", fallBack, "02:30", "", "time",
			[]string{"02:30", "två gånger", "2020-10-25", "annan tid"}},
		{"02:00 occurs twice", fallBack, "02:00", "04:00", "time", []string{"två gånger"}},
		{"02:59 occurs twice", fallBack, "02:59", "", "time", []string{"två gånger"}},
		{"an end time that occurs twice", fallBack, "01:00", "02:45", "end_time", []string{"02:45", "två gånger"}},
		{"01:59 occurs once", fallBack, "01:59", "03:00", "", nil},
		{"03:00 occurs once", fallBack, "03:00", "", "", nil},

		{"02:30 on an ordinary Sunday", MustDate("2020-03-22"), "02:30", "02:45", "", nil},
		{"02:30 on the Sunday after", MustDate("2020-11-01"), "02:30", "", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := NewMeeting(bodyBoard, MeetingInput{Date: tt.date, Start: tt.start, End: tt.end}, envFor(secretary))
			if tt.field == "" {
				if err != nil {
					t.Fatalf("%s %s–%s refused: %v", tt.date, tt.start, tt.end, err)
				}
				start, _ := m.StartTime()
				if start.Format("15:04") != tt.start {
					t.Errorf("starts at %v, want %s", start, tt.start)
				}
				return
			}
			wantFields(t, err, tt.field)
			for _, w := range tt.words {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("the reason %q does not say %q", err, w)
				}
			}
		})
	}
}

// Changing a planned meeting's times checks them on the meeting's own date.
func TestChangeMeetingTimeAtDSTChange(t *testing.T) {
	for _, day := range []Date{springForward, fallBack} {
		m := boardMeeting(MeetingNoticeSent)
		m.Date, m.Start = day, "01:00"
		_, err := ChangeMeeting(m, ptr("02:30"), nil, nil, envFor(secretary))
		wantFields(t, err, "time")
		_, err = ChangeMeeting(m, nil, ptr("02:30"), nil, envFor(secretary))
		wantFields(t, err, "end_time")
		if moved, err := ChangeMeeting(m, ptr("03:00"), ptr("04:00"), nil, envFor(secretary)); err != nil || moved.Sequence != 1 {
			t.Errorf("%s 03:00–04:00: %+v, %v", day, moved, err)
		}
	}
}
