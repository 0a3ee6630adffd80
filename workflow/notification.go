package workflow

// NotificationKind says why a person is told about a case.
type NotificationKind string

const (
	NotifySubmitted  NotificationKind = "submitted"  // to the approver whose turn it is
	NotifyApproved   NotificationKind = "approved"   // to the board's secretaries: ready to schedule
	NotifyRejected   NotificationKind = "rejected"   // to the officer, with the reason
	NotifyReturned   NotificationKind = "returned"   // to the officer, with the reason
	NotifyAdvanced   NotificationKind = "advanced"   // to the officer
	NotifyPostponed  NotificationKind = "postponed"  // to the officer
	NotifyDispatched NotificationKind = "dispatched" // to each recipient, with the decision
	NotifyClosed     NotificationKind = "closed"     // to the officer
	NotifyWithdrawn  NotificationKind = "withdrawn"  // to the officer
)

// Notification is a message the workflow wants sent because of an action. The
// notify package turns it into mail; the store queues it in the action's transaction.
type Notification struct {
	Kind   NotificationKind
	To     Person
	Reason string
}

func notifyEach(kind NotificationKind, to []Person, reason string) []Notification {
	var out []Notification
	for _, p := range to {
		out = append(out, Notification{Kind: kind, To: p, Reason: reason})
	}
	return out
}
