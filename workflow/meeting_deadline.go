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

// OpenDeadlines are the secretary's deadlines for m on the day today that
// are not yet met: the kallelse while it is planned, the justering (at most
// 14 days after the meeting) from the kallelse until the last justerare signs,
// and the anslag until it is posted. Once the day of a meeting still planned
// has passed (an imported case's route, or a meeting run outside Beslutsgång)
// there is no kallelse left to send: the cases on it have their own deadlines
// for being moved on.
func (m *Meeting) OpenDeadlines(today Date) []MeetingDeadline {
	d := m.Dates()
	var kind DeadlineKind
	var due Date
	switch m.Status {
	case MeetingPlanned:
		if m.Date.Before(today) {
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

// MeetingDeadlines are the deadlines m should have open on the day today, as
// bevakningar: the store opens, moves and closes the meeting's rows to match.
// They are the secretary's who keeps the protokoll once the meeting is held,
// until then the board's first secretary's.
func MeetingDeadlines(m Meeting, secretaries []Person, today Date) []Deadline {
	responsible := m.Secretary
	if responsible.ID == 0 {
		if len(secretaries) == 0 {
			return nil
		}
		responsible = secretaries[0]
	}
	var out []Deadline
	for _, md := range m.OpenDeadlines(today) {
		out = append(out, Deadline{MeetingID: m.ID, Kind: md.Kind, Ref: string(md.Kind), Due: md.Due,
			Responsible: responsible, State: DeadlineOpen})
	}
	return out
}

// MeetingKinds are the kinds MeetingDeadlines manages.
var MeetingKinds = []DeadlineKind{DeadlineNotice, DeadlineJustering, DeadlineAnslag}
