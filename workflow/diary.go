package workflow

// The public diary (diariet) shows every registered case to anyone, as the
// registration rules of OSL 5 kap require: number, date, board and a short
// description. What a case marked secret (sekretess) is about is withheld,
// and the report itself is public only once it is finished.

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
