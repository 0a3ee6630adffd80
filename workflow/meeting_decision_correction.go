package workflow

import (
	"slices"
	"strings"
)

// A decision recorded at a held meeting may be corrected until the
// justering begins: the secretary writes the protokoll after the meeting, and
// the justerare attest it as written (KL 5 kap. 69 §). Once a justerare has
// signed, the text is what they signed; a later error is put right by the
// body, not by an edit.

// DecisionCorrection is a corrected decision: its new type and text, and the
// case version the secretary saw (0: not checked).
type DecisionCorrection struct {
	Type      DecisionType
	Text      string
	Version   int
	Confirmed bool // keep a text that still says "föreslås" (MeetingDecision.Confirmed)
}

// JusteringBegun reports whether any justerare has signed the protokoll.
func JusteringBegun(att []Attendee) bool {
	return slices.ContainsFunc(att, func(a Attendee) bool { return a.SignedAt != nil })
}

// CanWriteProtokollAt says why actor cannot record decisions at m, nor
// correct those recorded, now, or nil: only the body's secretary, at a held
// meeting, before the justering begins (att: its attendees), since the
// justerare attest the protokoll as it stood when they signed. Errors:
// EFORBIDDEN, ECONFLICT.
func CanWriteProtokollAt(m Meeting, att []Attendee, actor User) error {
	if err := CanDecideAt(m, actor); err != nil {
		return err
	}
	if JusteringBegun(att) {
		return Errorf(ECONFLICT, "Justeringen av protokollet för %s har börjat; inga beslut kan längre registreras eller rättas", m.Title())
	}
	return nil
}

// CorrectDecision checks a correction of p, the decision recorded on c at
// meeting m (att: its attendees), and returns p as corrected. The text may
// change on any decision. The type may change only where the case moves
// alike: among bifall, ändrat förslag and avslag (and, at a preparing body,
// behandlat), not to or from återremiss or bordläggning, which have already
// sent the case elsewhere. deciding says p was recorded at the case's
// deciding step, where behandlat is no decision.
//
// Errors: EFORBIDDEN and ECONFLICT as CanWriteProtokollAt; ECONFLICT for a
// stale c.Version; EINVALID for the fields (type, text).
func CorrectDecision(c Case, m Meeting, att []Attendee, p Paragraph, deciding bool, d DecisionCorrection, actor User) (Paragraph, error) {
	if err := CanWriteProtokollAt(m, att, actor); err != nil {
		return p, err
	}
	if d.Version != 0 && d.Version != c.Version {
		return p, staleVersion(c, d.Version)
	}
	d.Text = strings.TrimSpace(d.Text)
	problems := MeetingDecision{Type: d.Type, Text: d.Text, Confirmed: d.Confirmed}.Problems()
	moves := func(t DecisionType) bool { return t == DecisionReturned || t == DecisionTabled }
	switch {
	case !d.Type.Valid() || d.Type == p.Type:
	case moves(p.Type) || moves(d.Type):
		problems.Add("type", "%s kan inte ändras till %s: ärendet har redan flyttats efter beslutet. Rätta texten, eller låt organet fatta ett nytt beslut",
			p.Type.Label(), strings.ToLower(d.Type.Label()))
	case deciding && d.Type == DecisionHandled:
		problems.Add("type", "%s beslutar i ärendet: välj bifall, ändrat förslag eller avslag", m.Body.Name)
	}
	if err := problems.Err(); err != nil {
		return p, err
	}
	p.Type, p.Text = d.Type, d.Text
	return p, nil
}
