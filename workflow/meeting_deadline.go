package workflow

// MeetingDeadline is a date the secretary must act by for a meeting, as the
// meeting's page and the API show it.
type MeetingDeadline struct {
	Kind  DeadlineKind `json:"kind"` // notice, justering, anslag
	Label string       `json:"label"`
	Due   Date         `json:"due"`
}

var meetingDeadlineLabels = map[DeadlineKind]string{
	DeadlineNotice:    "Skicka kallelse",
	DeadlineJustering: "Justera protokollet",
	DeadlineAnslag:    "Anslå justeringen",
}

// OpenDeadlines are the secretary's deadlines for m that are not yet met: the
// kallelse while it is planned, the justering (at most 14 days after the
// meeting) from the kallelse until the last justerare signs, and the anslag
// until it is posted. A meeting planned for a day already past (an imported
// case's route) asks for no kallelse: it can no longer be sent in time, and
// nobody is to be reminded of it.
func (m *Meeting) OpenDeadlines() []MeetingDeadline {
	d := m.Dates()
	var kind DeadlineKind
	var due Date
	switch m.Status {
	case MeetingPlanned:
		if !m.CreatedAt.IsZero() && Today(m.CreatedAt).After(m.Date) {
			return nil
		}
		kind, due = DeadlineNotice, d.NoticeDue
	case MeetingNoticeSent, MeetingHeld:
		kind, due = DeadlineJustering, d.JusteringDue
	case MeetingJustified:
		kind, due = DeadlineAnslag, d.AnslagDue
	default:
		return nil
	}
	return []MeetingDeadline{{Kind: kind, Label: meetingDeadlineLabels[kind], Due: due}}
}

// MeetingDeadlines are the deadlines m should have open, as bevakningar: the
// store opens, moves and closes the meeting's rows to match. They are the
// secretary's who keeps the protokoll once the meeting is held, until then
// the board's first secretary's.
func MeetingDeadlines(m Meeting, secretaries []Person) []Deadline {
	responsible := m.Secretary
	if responsible.ID == 0 {
		if len(secretaries) == 0 {
			return nil
		}
		responsible = secretaries[0]
	}
	var out []Deadline
	for _, md := range m.OpenDeadlines() {
		out = append(out, Deadline{MeetingID: m.ID, Kind: md.Kind, Ref: string(md.Kind), Due: md.Due,
			Responsible: responsible, State: DeadlineOpen})
	}
	return out
}

// MeetingKinds are the kinds MeetingDeadlines manages.
var MeetingKinds = []DeadlineKind{DeadlineNotice, DeadlineJustering, DeadlineAnslag}
