package workflow

// The public diary (diariet) shows every registered case to anyone, as the
// registration rules of OSL 5 kap require: number, date, board and a short
// description. What a case marked secret (sekretess) is about is withheld,
// and the report itself is public only once it is finished.

// WithheldText stands where a secret case's details would be.
const WithheldText = "Uppgiften omfattas av sekretess"

// ReportPublic reports whether the tjänsteskrivelse may be shown in the
// diary: not secret, and finished, that is signed off and sent on to the
// route. A draft, or a report withdrawn before sign-off, is a working paper.
func (c *Case) ReportPublic() bool {
	return !c.Secret && c.Step >= 0
}

// DecisionPublic reports whether a decision may be shown in the diary: not
// secret, and either its protokoll is justerat or it has been dispatched.
func (c *Case) DecisionPublic(justified bool) bool {
	return !c.Secret && (justified || (c.Decision != nil && c.Decision.DispatchedAt != nil))
}

// Involves reports whether u works with c: its officer, one of its approvers,
// or anyone with a role on its board. Only they see a secret case's content.
func (c *Case) Involves(u User) bool {
	if !u.Active {
		return false
	}
	return u.ID == c.Officer.ID || c.IsApprover(u.ID) || u.WorksFor(c.Board.Code)
}

// Withhold returns c with what a secret case is about removed, for people it
// does not involve: its number, board, stage, route and dates stay.
func (c Case) Withhold() Case {
	if !c.Secret {
		return c
	}
	c = c.Clone()
	c.Title = WithheldText
	c.Summary, c.Background, c.Proposals, c.ClosedNote = "", "", nil, ""
	for i := range c.Attachments {
		c.Attachments[i].Name = "Handling (sekretess)"
	}
	if c.Decision != nil {
		c.Decision.Text = ""
	}
	return c
}
