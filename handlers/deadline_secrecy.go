package handlers

import (
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/workflow"
)

// withholdDeadlines hides what bevakningar on a case marked sekretess are
// about (the case's title and the note) from people not on them: on a
// bevakning are its responsible person, the one who set it, and anyone with a
// role on the case's board. The dates, kinds and people stay, as the case's
// registration does.
func withholdDeadlines(items []db.DeadlineItem, u workflow.User) []db.DeadlineItem {
	for i := range items {
		items[i] = withholdDeadline(items[i], u)
	}
	return items
}

func withholdDeadline(it db.DeadlineItem, u workflow.User) db.DeadlineItem {
	if !it.Secret || onDeadline(it, u) {
		return it
	}
	it.CaseTitle = workflow.WithheldText
	if it.Note != "" {
		it.Note = workflow.WithheldText
	}
	return it
}

func onDeadline(it db.DeadlineItem, u workflow.User) bool {
	if !u.Active {
		return false
	}
	return u.ID == it.Responsible.ID || (it.CreatedBy != nil && u.ID == it.CreatedBy.ID) || u.WorksFor(it.Board)
}
