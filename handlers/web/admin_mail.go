package web

import (
	"errors"
	"net/mail"
	"os"
	"path/filepath"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/notify"
	"github.com/kommun/beslutsgang/workflow"
)

// mailView is one message as the admin pages show it: from the outbox or
// from the mail folder. Its HTML part is shown as source text, never rendered.
type mailView struct {
	Nav       string // the admin sub-menu's current item
	Back      string
	BackLabel string
	Headers   []detail
	Text      string
	HTML      string
	Resend    int64  // the outbox id of a failed message, for its re-send button
	Download  string // the address of the .eml file
}

// mailFilesShown bounds the list of .eml files; the newest come first.
const mailFilesShown = 200

// mailFilesPage lists the .eml files written without an SMTP server.
type mailFilesPage struct {
	Folder string // empty: mail goes over SMTP, no files are written
	Files  []notify.MailFile
	Total  int
}

// showMailFilesPage is GET /admin/mail-files.
func (w *web) showMailFilesPage(c *fiber.Ctx) error {
	p := &mailFilesPage{Folder: w.Config.MailDir}
	if p.Folder != "" {
		if abs, err := filepath.Abs(p.Folder); err == nil {
			p.Folder = abs // where to find the files, whatever folder the service was started in
		}
		files, err := notify.MailFiles(p.Folder)
		if err != nil {
			return err
		}
		p.Total = len(files)
		p.Files = files[:min(len(files), mailFilesShown)]
	}
	return w.Render(c, fiber.StatusOK, "admin_mail_files", &httpx.View{Title: "E-postfiler", Section: "admin", Page: p})
}

// showMailFilePage is GET /admin/mail-files/:name: one .eml file read back.
func (w *web) showMailFilePage(c *fiber.Ctx) error {
	name := c.Params("name")
	if w.Config.MailDir == "" {
		return workflow.Errorf(workflow.ENOTFOUND, "Meddelanden sparas inte som filer: tjänsten skickar via SMTP")
	}
	m, err := notify.ReadMailFile(w.Config.MailDir, name)
	if errors.Is(err, os.ErrNotExist) {
		return workflow.Errorf(workflow.ENOTFOUND, "Meddelandet %s finns inte i e-postmappen", name)
	}
	if err != nil {
		return err
	}
	mv := &mailView{Nav: "mail-files", Back: "/admin/mail-files", BackLabel: "Till e-postfilerna", Text: m.Text, HTML: m.HTML,
		Download: "/admin/mail-files/" + m.Name + "/raw"}
	title := m.Name
	for _, h := range m.Headers {
		switch h.Name {
		case "Subject":
			title = h.Value
		case "Date": // shown in Stockholm time, as every time is
			if t, err := mail.ParseDate(h.Value); err == nil {
				h.Value = httpx.FormatTime(t)
			}
		}
		mv.Headers = append(mv.Headers, detail{mailHeaderLabels[h.Name], h.Value})
	}
	return w.Render(c, fiber.StatusOK, "admin_mail", &httpx.View{Title: title, Section: "admin", Page: mv})
}

// mailHeaderLabels name the headers notify.MailMessage keeps.
var mailHeaderLabels = map[string]string{"From": "Från", "To": "Till", "Cc": "Kopia", "Subject": "Ämne",
	"Date": "Datum", "Message-ID": "Message-ID"}
