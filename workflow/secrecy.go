package workflow

// Secrecy (sekretess, offentlighets- och sekretesslagen 2009:400). A case
// marked secret shows what it is about only to the people it involves; anyone
// else, logged in or not, sees its registration as OSL 5 kap. 1-2 § requires
// it be kept: number, board, dates, stage and route. Everything else, the
// people named in it included, is withheld. This file is the one rule; the
// store applies it wherever a reader gets data (db.Reader), and the SQL of its
// lists mirrors Involves (db.visibleTo).

// WithheldText stands where a secret case's details would be.
const WithheldText = "Uppgiften omfattas av sekretess"

// withheldPerson stands where a person named in a secret case would be.
var withheldPerson = Person{Name: WithheldText}

// Involves reports whether u works with c and so may see its content: its
// officer, one of its approvers, or anyone with a role on its board. Staff of
// another board whose body the case passes (kommunstyrelsen) see its
// registration only, as the public does. A deactivated user is involved in
// nothing.
func (c *Case) Involves(u User) bool {
	if !u.Active {
		return false
	}
	return u.ID == c.Officer.ID || c.IsApprover(u.ID) || u.WorksFor(c.Board.Code)
}

// Sees reports whether u (nil: the public) may see the content of c: it is
// not secret, or it involves u.
func (c *Case) Sees(u *User) bool { return !c.Secret || (u != nil && c.Involves(*u)) }

// Withhold returns c with what a secret case is about removed, for people it
// does not involve: its number, board, stage, route and dates stay; its texts,
// files' names, and the people it names (officer, approvers, recipients) go.
func (c Case) Withhold() Case {
	if !c.Secret {
		return c
	}
	c = c.Clone()
	c.Title = WithheldText
	c.Summary, c.Background, c.Proposals, c.ClosedNote = "", "", nil, ""
	c.Officer = withheldPerson
	c.Approvers, c.Recipients = nil, nil
	for i := range c.Attachments {
		c.Attachments[i].Name = "Handling (sekretess)"
		c.Attachments[i].UploadedBy = withheldPerson
	}
	if c.Decision != nil {
		c.Decision.Text, c.Decision.Type = "", ""
	}
	return c
}

// WithholdEvent returns ev of a secret case as an outsider may see it: what
// happened and when, not why, the details, or who.
func WithholdEvent(ev Event) Event {
	ev.Reason, ev.Payload, ev.Actor = "", nil, withheldPerson
	return ev
}

// WithholdParagraph returns a protokoll paragraph on a secret case as an
// outsider may see it: its number and date, not what was decided.
func WithholdParagraph(p Paragraph) Paragraph {
	p.CaseTitle, p.Text, p.Proposals, p.Recipients, p.Type = WithheldText, "", nil, nil, ""
	return p
}

// WithholdDeadline returns a bevakning on a secret case as an outsider may see
// it: its kind, due date and state, not its note or the people on it.
func WithholdDeadline(d Deadline) Deadline {
	if d.Note != "" {
		d.Note = WithheldText
	}
	d.Ref = string(d.Kind) // a ref names the approver ("approver:2") or the step
	d.Responsible = withheldPerson
	if d.CreatedBy != nil {
		p := withheldPerson
		d.CreatedBy = &p
	}
	if d.ClosedBy != nil {
		p := withheldPerson
		d.ClosedBy = &p
	}
	return d
}
