package public

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gorilla/feeds"
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/workflow"
)

// The digital anslagstavla (Kommunallagen 2017:725, 8 kap. 9–12 §): public
// pages apart from the rest of the service, an Atom feed of the notices up,
// and a page where a board's secretary posts other notices and takes them
// down. The public routes come before the logged-in group, so the staff
// routes among them ask for a login themselves.
func (s *Server) routesAnslag(ui fiber.Router) {
	ui.Get("/anslagstavla", s.PublicShare, s.showAnslagPage)
	ui.Get("/anslagstavla.atom", s.PublicShare, s.anslagFeed)
	ui.Get("/anslagstavla/arkiv", s.PublicShare, s.showAnslagArchivePage)
}

// routesAnslagNotice registers a notice's permanent page. It comes after the
// staff's /anslagstavla/new, which it would otherwise take for a notice.
func (s *Server) routesAnslagNotice(ui fiber.Router) {
	ui.Get("/anslagstavla/:id", s.PublicShare, s.showAnslagNoticePage)
}

// AnslagDone are the notices a notice's page shows after an action.
var AnslagDone = map[string]string{
	"posted":    "Meddelandet är anslaget på anslagstavlan.",
	"scheduled": "Meddelandet är sparat och anslås på anslagstavlan den dag du angav. Till dess ser bara nämndens sekreterare det, under Kommande anslag.",
	"removed":   "Meddelandet är nedtaget från anslagstavlan. Det finns kvar i arkivet.",
	"withdrawn": "Meddelandet är återkallat och kommer inte att anslås. Det visas inte för allmänheten, varken på anslagstavlan eller i arkivet.",
}

// anslagPerPage is the archive's page size.
const anslagPerPage = 25

// noticeItem is a notice as the pages show it.
type noticeItem struct {
	workflow.Notice
	Today     workflow.Date
	Single    bool   // on its own page, not in a list
	CanRemove bool   // the viewer may take it down
	CSRF      string // for the form that takes it down
	Published bool   // a justering notice's protokoll is published on the web
}

// Link is the notice's permanent address.
func (n noticeItem) Link() string { return NoticeLink(n.ID) }

// NoticeLink is the permanent address of the notice with the given id.
func NoticeLink(id string) string { return "/anslagstavla/" + url.PathEscape(id) }

// Protokoll is the address of the published protokoll of a justering notice.
func (n noticeItem) Protokoll() string {
	return "/protokoll/" + url.PathEscape(n.Body.Code) + "/" + n.MeetingDate.String()
}

// Up reports whether the notice is on the anslagstavla today.
func (n noticeItem) Up() bool { return n.Notice.Up(n.Today) }

// Scheduled reports whether the notice goes up after today (only its
// board's secretaries see it).
func (n noticeItem) Scheduled() bool { return n.Notice.Scheduled(n.Today) }

func (s *Server) items(ns []workflow.Notice, today workflow.Date, published map[int64]bool) []noticeItem {
	out := make([]noticeItem, len(ns))
	for i, n := range ns {
		out[i] = noticeItem{Notice: n, Today: today, Published: published[n.MeetingID]}
	}
	return out
}

// anslagPage is the anslagstavla: the notices up today, by kind.
type anslagPage struct {
	Today                         workflow.Date
	Justering, Kungorelser, Other []noticeItem
	CanPost                       bool         // the viewer is a secretary and may post notices
	Upcoming                      []noticeItem // notices to go up later, of the boards the viewer is secretary of
}

// showAnslagPage is GET /anslagstavla, open to everyone.
func (s *Server) showAnslagPage(c *fiber.Ctx) error {
	a, err := s.Store.Anslagstavla(c.UserContext(), false)
	if err != nil {
		return err
	}
	published, err := s.Store.PublishedMeetingIDs(c.UserContext(), a.Current()...)
	if err != nil {
		return err
	}
	p := &anslagPage{Today: a.Today, Justering: s.items(a.Justering, a.Today, published), Kungorelser: s.items(a.Kungorelser, a.Today, published),
		Other: s.items(a.Other, a.Today, published), CanPost: httpx.CurrentUser(c).HasAnywhere(workflow.RoleSecretary)}
	u := httpx.CurrentUser(c)
	for _, n := range a.Upcoming {
		if n.SeenBy(u, a.Today) {
			p.Upcoming = append(p.Upcoming, noticeItem{Notice: n, Today: a.Today})
		}
	}
	return s.Render(c, fiber.StatusOK, "anslagstavla", &httpx.View{Title: "Anslagstavla", Section: "anslag", Page: p})
}

// anslagArchivePage is one page of the archive.
type anslagArchivePage struct {
	Items []noticeItem
	Total int
	Pager httpx.Pager
}

// showAnslagArchivePage is GET /anslagstavla/arkiv: the notices taken down,
// the latest taken down first.
func (s *Server) showAnslagArchivePage(c *fiber.Ctx) error {
	page := 1
	if s := c.Query("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return workflow.Errorf(workflow.EINVALID, "Sidnumret ska vara ett heltal från 1")
		}
		page = n
	}
	today, archive, err := s.Store.AnslagArchive(c.UserContext())
	if err != nil {
		return err
	}
	p := &anslagArchivePage{Total: len(archive)}
	// A page past the end is empty (compared, not multiplied: a page number
	// near the integer's limit would overflow into a negative index).
	from, to := len(archive), len(archive)
	if page <= len(archive)/anslagPerPage+1 {
		from, to = min((page-1)*anslagPerPage, len(archive)), min(page*anslagPerPage, len(archive))
	}
	published, err := s.Store.PublishedMeetingIDs(c.UserContext(), archive[from:to]...)
	if err != nil {
		return err
	}
	p.Items = s.items(archive[from:to], today, published)
	p.Pager = httpx.NewPager(page, p.Total, false, anslagPerPage, nil, nil, nil, func(n int, _ *db.Cursor) string {
		return "/anslagstavla/arkiv?page=" + strconv.Itoa(n)
	})
	return s.Render(c, fiber.StatusOK, "anslag_archive", &httpx.View{Title: "Anslagstavlans arkiv", Section: "anslag", Page: p})
}

// showAnslagNoticePage is GET /anslagstavla/:id: one notice at its permanent
// address, up or taken down; before its day (or withdrawn before it) for
// its board's secretaries only, marked, and 404 for everyone else.
func (s *Server) showAnslagNoticePage(c *fiber.Ctx) error {
	u := httpx.CurrentUser(c)
	n, err := s.Store.AnslagNotice(c.UserContext(), c.Params("id"), u)
	if err != nil {
		return err
	}
	published, err := s.Store.PublishedMeetingIDs(c.UserContext(), n)
	if err != nil {
		return err
	}
	today := workflow.Today(s.Store.Now())
	item := noticeItem{Notice: n, Today: today, Single: true, CSRF: httpx.CSRFToken(c), Published: published[n.MeetingID]}
	item.CanRemove = n.Kind == workflow.NoticeOther && (item.Up() || item.Scheduled()) && u.Has(n.Board.Code, workflow.RoleSecretary)
	return s.Render(c, fiber.StatusOK, "anslag_notice", &httpx.View{Title: n.Title, Section: "anslag", Notice: httpx.NoticeOr(c, AnslagDone[c.Query("done")]), Page: &item})
}

// anslagFeed is GET /anslagstavla.atom: the notices up, as an Atom feed
// (RFC 4287) with a rel="self" link. Each entry's id is a tag URI (RFC 4151)
// of the configured authority (FeedAuthority), the day the notice went up
// and its stable id; its updated time is that day at midnight in Stockholm.
// Nothing of the request (its Host header) goes into the feed.
func (s *Server) anslagFeed(c *fiber.Ctx) error {
	a, err := s.Store.Anslagstavla(c.UserContext(), false)
	if err != nil {
		return err
	}
	base := strings.TrimSuffix(s.Config.BaseURL, "/")
	authority := FeedAuthority(s.Config.FeedAuthority, base)
	f := &feeds.Feed{Title: "Anslagstavla", Link: &feeds.Link{Href: base + "/anslagstavla"},
		Description: "Kommunens digitala anslagstavla: justerade protokoll, kungörelser och andra tillkännagivanden",
		Author:      &feeds.Author{Name: "Beslutsgång"}}
	for _, n := range a.Current() {
		posted := n.PostedOn.Time(workflow.Stockholm)
		if posted.After(f.Updated) {
			f.Updated = posted
		}
		f.Items = append(f.Items, &feeds.Item{Title: n.Title, Link: &feeds.Link{Href: base + NoticeLink(n.ID)},
			Id:      fmt.Sprintf("tag:%s,%s:anslagstavla/%s", authority, n.PostedOn, n.ID),
			Updated: posted, Created: posted, Content: noticeContent(n, base)})
	}
	if f.Updated.IsZero() {
		f.Updated = a.Today.Time(workflow.Stockholm)
	}
	atom, err := feeds.ToXML(withSelf(f, fmt.Sprintf("tag:%s,%s:anslagstavla", authority, FeedTagDate), base+"/anslagstavla.atom"))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/atom+xml; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, "public, max-age=300")
	return c.SendString(atom)
}

// noticeContent is an entry's content: the notice's fields as HTML.
func noticeContent(n workflow.Notice, base string) string {
	var b strings.Builder
	row := func(label, value string) {
		if value != "" {
			fmt.Fprintf(&b, "<dt>%s</dt><dd>%s</dd>", htmlEscape(label), htmlEscape(value))
		}
	}
	b.WriteString("<dl>")
	row("Typ", n.Kind.Label())
	switch n.Kind {
	case workflow.NoticeJustering:
		row("Organ", n.Body.Name)
		row("Sammanträdesdatum", n.MeetingDate.String())
		row("Protokollet justerat", n.JustifiedOn.String())
		row("Anslaget", n.PostedOn.String())
		row("Sista dag att överklaga", n.AppealEnds.String())
		row("Anslaget tas ned tidigast", n.DownOn.String())
		row("Förvaringsplats för protokollet", n.KeptAt)
	case workflow.NoticeKungorelse:
		row("Organ", n.Body.Name)
		row("Sammanträdesdatum", n.MeetingDate.String())
		row("Tid", n.MeetingStart)
		row("Plats", n.MeetingPlace)
		row("Anslaget", n.PostedOn.String())
		row("Anslaget tas ned", n.DownOn.String())
	default:
		row("Nämnd", n.Board.Name)
		row("Anslaget", n.PostedOn.String())
		row("Anslaget tas ned", n.DownOn.String())
	}
	b.WriteString("</dl>")
	if n.Text != "" {
		fmt.Fprintf(&b, "<p>%s</p>", strings.ReplaceAll(htmlEscape(n.Text), "\n", "<br>"))
	}
	switch {
	case n.Kind == workflow.NoticeJustering && n.Body.Kind == workflow.KindWorkingCommittee:
		// KL 13 kap. 2 §: preparatory decisions cannot be appealed; what the
		// arbetsutskott decided on delegation (6 kap. 37 §) can.
		fmt.Fprintf(&b, `<p>Beslut som bara förbereder nämndens beslut kan inte överklagas. Hur man överklagar beslut som arbetsutskottet har fattat på delegation: se <a href="%s">anslaget</a>.</p>`,
			htmlEscape(base+NoticeLink(n.ID)))
	case n.Kind == workflow.NoticeJustering:
		fmt.Fprintf(&b, `<p>Hur man överklagar beslut i protokollet genom laglighetsprövning: se <a href="%s">anslaget</a>.</p>`,
			htmlEscape(base+NoticeLink(n.ID)))
	}
	return b.String()
}

var htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;")

func htmlEscape(s string) string { return htmlEscaper.Replace(s) }
