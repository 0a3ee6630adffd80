package httpx

import "github.com/kommun/beslutsgang/workflow"

// StepJSON is a step of a case's route as the API and the public diary write it.
type StepJSON struct {
	Body      string              `json:"body"`
	BodyName  string              `json:"body_name"`
	Kind      workflow.BodyKind   `json:"kind"`
	Date      workflow.Date       `json:"date"`
	Status    workflow.StepStatus `json:"status"`
	Postponed []workflow.Date     `json:"postponed_from,omitempty"`
	MeetingID int64               `json:"meeting_id,omitempty"`
	// ExtraMeeting is set when the step's meeting is an extra sammanträde.
	ExtraMeeting bool `json:"extra_meeting,omitempty"`
}
