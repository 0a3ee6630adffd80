package web

import (
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/workflow"
)

// redirectNotice sends the browser to path and leaves notice for that page.
// When the notice cannot be kept, the action is done all the same: the
// browser goes to fallback, whose ?done= asks for the page's fixed text.
func (w *web) redirectNotice(c *fiber.Ctx, path, fallback, notice string) error {
	if err := w.setFlash(c, path, notice); err != nil {
		httpx.Log(c).Warn("keeping the notice after an action", "path", path, "err", err)
		return c.Redirect(fallback, fiber.StatusSeeOther)
	}
	return c.Redirect(path, fiber.StatusSeeOther)
}

func (w *web) setFlash(c *fiber.Ctx, path, notice string) error {
	sess, err := w.sessions.Get(c)
	if err != nil {
		return err
	}
	path, _, _ = strings.Cut(path, "#")
	path, _, _ = strings.Cut(path, "?")
	sess.Set(httpx.FlashKey, notice)
	sess.Set(httpx.FlashPathKey, path)
	return sess.Save()
}

// actionDone shows the case after an action, saying what happened to it. cs
// is the case after the action, as the actor, who is involved in it, sees it.
func (w *web) actionDone(c *fiber.Ctx, cs workflow.Case, a workflow.Action) error {
	path := "/cases/" + cs.Number
	return w.redirectNotice(c, path, path+"?done="+string(a), actionNotice(cs, a, httpx.CurrentUser(c))+extraMeetingNote(cs))
}

// extraMeetingNote says, after a change to cs, which extra meetings it
// made, with a warning for each on a day that is not a work day; empty when
// it made none. It starts with a space, to follow a sentence.
func extraMeetingNote(cs workflow.Case) string {
	made := cs.NewExtraMeetings()
	if len(made) == 0 {
		return ""
	}
	var titles, warnings []string
	for _, n := range made {
		titles = append(titles, n.Title())
		if w := n.Warning(); w != "" {
			warnings = append(warnings, w)
		}
	}
	s := " Ett nytt extra sammanträde är planerat: " + joinAnd(titles) + "."
	if len(made) > 1 {
		s = " Nya extra sammanträden är planerade: " + joinAnd(titles) + "."
	}
	for _, w := range warnings {
		s += " Obs! " + w
	}
	return s
}

// actionNotice says in a sentence what action a did to cs and to whom it went.
func actionNotice(cs workflow.Case, a workflow.Action, actor workflow.User) string {
	n := cs.Number
	officer := "handläggaren " + cs.Officer.Name
	switch a {
	case workflow.ActSubmit:
		if i := cs.NextApprover(); i >= 0 {
			return n + " är inlämnad till " + cs.Approvers[i].Name + " för godkännande."
		}
	case workflow.ActApprove:
		if i := cs.NextApprover(); i >= 0 && cs.Stage == workflow.StageApproval {
			return n + " är godkänd av dig och skickad till " + cs.Approvers[i].Name + " för godkännande."
		}
		return n + " är godkänd och skickad till nämndsekreteraren" + atStep(cs) + "."
	case workflow.ActReject:
		return n + " är återsänd till " + officer + "."
	case workflow.ActReturn:
		return n + " är återremitterad och återsänd till " + officer + "."
	case workflow.ActAdvance:
		return n + " är flyttad till " + stepName(cs) + "; " + officer + " får besked."
	case workflow.ActPostpone:
		return n + " är flyttad till " + stepName(cs) + "; " + officer + " får besked."
	case workflow.ActDecide:
		return "Beslutet i " + n + " är registrerat och kan expedieras till mottagarna."
	case workflow.ActDispatch:
		s := "Beslutet i " + n + " är expedierat"
		if names := recipientNames(cs.Recipients); names != "" {
			s += " till " + names
		}
		if cs.Open() {
			s += "; ärendet går vidare till " + stepName(cs)
		}
		return s + "."
	case workflow.ActClose:
		return n + " är avslutad; " + officer + " får besked."
	case workflow.ActWithdraw:
		if actor.ID == cs.Officer.ID {
			return n + " är återkallad och avslutad."
		}
		return n + " är återkallad och avslutad; " + officer + " får besked."
	}
	return "Klart: ”" + a.Label() + "” är utfört för " + n + "."
}

// stepName names the case's current step, e.g. "ASN arbetsutskott 2026-02-12".
func stepName(cs workflow.Case) string {
	st := cs.CurrentStep()
	if st == nil {
		return "nästa steg"
	}
	if st.Date.IsZero() {
		return st.Body.Name
	}
	return st.Body.Name + " " + httpx.FormatDate(st.Date)
}

// atStep is ", inför ASN presidieberedning 2026-02-05" for a case on its route.
func atStep(cs workflow.Case) string {
	if cs.CurrentStep() == nil {
		return ""
	}
	return ", inför " + stepName(cs)
}

// recipientNames joins names as Swedish does: "A, B och C".
func recipientNames(rs []workflow.Recipient) string {
	var names []string
	for _, r := range rs {
		names = append(names, r.Name)
	}
	return joinAnd(names)
}

func joinAnd(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " och " + names[len(names)-1]
}

// meetingDone shows meeting id after one of its steps (done: notice, held,
// anslag), saying what happened.
func (w *web) meetingDone(c *fiber.Ctx, id int64, done string) error {
	return w.meetingStepDone(c, id, done, meetingPath(id, ""))
}

// justeringDone shows the justering page of meeting id after the viewer signed.
func (w *web) justeringDone(c *fiber.Ctx, id int64) error {
	return w.meetingStepDone(c, id, "signed", meetingPath(id, "")+"/justering")
}

func (w *web) meetingStepDone(c *fiber.Ctx, id int64, done, path string) error {
	fallback := path + "?done=" + done
	m, err := w.Store.Meeting(c.UserContext(), id)
	var notice string
	if err == nil {
		notice, err = w.meetingNotice(c, m, done)
	}
	if err != nil {
		httpx.Log(c).Warn("the notice after a meeting step", "meeting", id, "err", err)
		return c.Redirect(fallback, fiber.StatusSeeOther)
	}
	return w.redirectNotice(c, path, fallback, notice)
}

// meetingNotice says what a meeting step did; m is the meeting after it.
func (w *web) meetingNotice(c *fiber.Ctx, m workflow.Meeting, done string) (string, error) {
	ctx := c.UserContext()
	switch done {
	case "notice":
		members, err := w.Store.Members(ctx, m.Body.Code)
		if err != nil {
			return "", err
		}
		with := 0
		for _, mb := range members {
			if mb.Email != "" {
				with++
			}
		}
		without := len(members) - with
		s := "Kallelsen är registrerad som skickad"
		if with > 0 {
			s += fmt.Sprintf(" till %d %s i %s och ligger i kö för e-post.", with, memberWord(with), m.Title())
		} else {
			s += " för " + m.Title() + ", men ingen ledamot har e-postadress."
		}
		if without > 0 {
			s += fmt.Sprintf(" %d %s saknar e-postadress och behöver få kallelsen på annat sätt.", without, memberWord(without))
		}
		return s, nil
	case "held":
		return "Sammanträdet är registrerat som hållet: " + m.Title() + ". Kontrollera närvaron och vilka som justerar.", nil
	case "signed":
		s := "Din justering är registrerad: protokollet från " + m.Title() + "."
		if m.Status.AtLeast(workflow.MeetingJustified) {
			return s + " Protokollet är justerat; anslaget ska registreras senast " + httpx.FormatDate(m.Dates().AnslagDue) + ".", nil
		}
		min, err := w.Store.Minutes(ctx, m.ID)
		if err != nil {
			return "", err
		}
		var left []string
		for _, a := range workflow.Adjusters(min.Attendees) {
			if a.SignedAt == nil {
				left = append(left, a.Member.Name)
			}
		}
		if len(left) > 0 {
			s += " Protokollet väntar på justering av " + joinAnd(left) + "."
		}
		return s, nil
	case "anslag":
		d := m.Dates()
		return "Anslaget är registrerat " + httpx.FormatDate(m.PostedOn) + " för protokollet från " + m.Title() +
			". Överklagandetiden går ut " + httpx.FormatDate(d.AppealEnds) + "; besluten vinner laga kraft " +
			httpx.FormatDate(d.LegalForce) + " om ingen har överklagat.", nil
	}
	return meetingNotices[done], nil
}

func memberWord(n int) string {
	if n == 1 {
		return "ledamot"
	}
	return "ledamöter"
}
