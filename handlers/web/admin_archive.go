package web

import (
	"context"
	"errors"
	"fmt"
	"github.com/kommun/beslutsgang/metrics"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/earchive"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/workflow"
)

// archiveJob is the e-archive delivery (arkivleverans) started from the
// admin page: one at a time per instance, run in the background, its
// progress read by the page. The same export as `beslutsgang export`
// (package earchive); a stopped one (the process ended) is finished by
// starting it again with the same choices.
type archiveJob struct {
	mu      sync.Mutex
	running bool
	status  archiveStatus
}

// archiveStatus is what the page shows of the latest delivery.
type archiveStatus struct {
	Board, Format, Dir string
	ClosedBefore       workflow.Date
	By                 string // who started it
	Started            time.Time
	Done, Total        int
	Finished           bool
	Cases, Files       int
	Resumed            bool
	Error              string // why it stopped, in Swedish
}

// Percent is the share of cases written, 0–100.
func (s archiveStatus) Percent() int {
	if s.Total == 0 {
		return 0
	}
	return s.Done * 100 / s.Total
}

func (j *archiveJob) snapshot() (archiveStatus, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.status, j.running
}

// archivePage is the form and the latest delivery.
type archivePage struct {
	Boards  []workflow.Board // those the admin administers
	Form    archiveForm
	Status  *archiveStatus
	Running bool
	// OtherRunning: a delivery of a board the admin does not administer runs.
	OtherRunning bool
	Enabled      bool // the instance has an export folder (--export-dir)
	Formats      []archiveFormat
}

type archiveForm struct {
	Board, ClosedBefore, Format string
}

type archiveFormat struct {
	Value, Label string
}

var archiveFormats = []archiveFormat{
	{string(earchive.FormatERMS), "CITS ERMS 2.1 (FGS Ärendehantering 2.0)"},
	{string(earchive.FormatFGS1), "FGS Ärendehantering 1.0"},
}

// showArchivePage is GET /admin/arkivleverans.
func (w *web) showArchivePage(c *fiber.Ctx) error {
	f := archiveForm{Format: string(earchive.FormatERMS), ClosedBefore: fmt.Sprintf("%d-01-01", w.Today().Year)}
	v := &httpx.View{}
	if c.Query("started") == "1" {
		v.Notice = "Arkivleveransen har startat. Uppdatera sidan för att se hur långt den har kommit."
	}
	return w.renderArchive(c, fiber.StatusOK, f, v)
}

func (w *web) renderArchive(c *fiber.Ctx, status int, f archiveForm, v *httpx.View) error {
	boards, err := w.Store.Boards(c.UserContext())
	if err != nil {
		return err
	}
	u := httpx.CurrentUser(c)
	p := &archivePage{Form: f, Enabled: w.Config.ExportDir != "", Formats: archiveFormats}
	for _, b := range boards {
		if u.Has(b.Code, workflow.RoleAdmin) {
			p.Boards = append(p.Boards, b)
		}
	}
	// Who delivered what, and where on the server, is shown to the board's
	// own administrators; others learn only that one runs (one runs at a
	// time per instance).
	if st, running := w.archive.snapshot(); !st.Started.IsZero() && u.Has(st.Board, workflow.RoleAdmin) {
		p.Status, p.Running = &st, running
	} else {
		p.OtherRunning = running
	}
	v.Title, v.Section, v.Page = "Arkivleverans", "admin", p
	return w.Render(c, status, "admin_archive", v)
}

// submitArchive is POST /admin/arkivleverans: it starts the delivery of the
// chosen board's cases closed before the day, in the background, and sends
// the admin to the page that shows its progress. Bad input, a board the
// admin does not administer, a delivery already running, or an export the
// store refuses (nothing to deliver, the folder in use) come back on the
// form, and nothing is written.
func (w *web) submitArchive(c *fiber.Ctx) error {
	f := archiveForm{Board: strings.TrimSpace(value(c, "board")), ClosedBefore: strings.TrimSpace(value(c, "closed_before")),
		Format: value(c, "format")}
	u := httpx.CurrentUser(c)
	var errs httpx.FormErrors
	if !u.Has(f.Board, workflow.RoleAdmin) {
		errs = append(errs, workflow.FieldError{Field: "board", Message: "Välj en nämnd som du administrerar"})
	}
	day, err := workflow.ParseDate(f.ClosedBefore)
	if f.ClosedBefore == "" {
		errs = append(errs, workflow.FieldError{Field: "closed_before", Message: "Ange ett datum, t.ex. 2026-01-01: ärenden avslutade före det levereras"})
	} else if err != nil {
		errs = append(errs, workflow.FieldError{Field: "closed_before", Message: upperFirst(err.Error())})
	}
	if !earchive.Format(f.Format).Valid() {
		errs = append(errs, workflow.FieldError{Field: "format", Message: "Välj ett av formaten"})
	}
	if len(errs) > 0 {
		return w.renderArchive(c, fiber.StatusUnprocessableEntity, f, &httpx.View{Errors: errs})
	}
	if w.Config.ExportDir == "" {
		return w.renderArchive(c, fiber.StatusConflict, f, &httpx.View{
			Alert: "Den här installationen har ingen mapp för arkivleveranser. Starta tjänsten med --export-dir, eller kör beslutsgang export."})
	}
	dir := filepath.Join(w.Config.ExportDir, fmt.Sprintf("%s-%s-%s", f.Board, day, f.Format))
	if err := w.startArchive(u, f.Board, day, earchive.Format(f.Format), dir); err != nil {
		var p *earchive.Problem
		if errors.As(err, &p) || errors.Is(err, errArchiveRunning) {
			return w.renderArchive(c, fiber.StatusConflict, f, &httpx.View{Alert: upperFirst(err.Error())})
		}
		return err
	}
	return c.Redirect("/admin/arkivleverans?started=1", fiber.StatusSeeOther)
}

var errArchiveRunning = errors.New("en arkivleverans pågår redan; vänta tills den är klar innan du startar nästa")

// startArchive runs the export in the background and returns once it has
// begun writing (its first progress report) or has stopped: a refusal of
// the store comes back to the form, not only to the status.
func (w *web) startArchive(u workflow.User, board string, day workflow.Date, format earchive.Format, dir string) error {
	j := w.archive
	j.mu.Lock()
	if j.running {
		j.mu.Unlock()
		return errArchiveRunning
	}
	j.running = true
	last := j.status // shown again if the store refuses this one
	j.status = archiveStatus{Board: board, Format: string(format), Dir: dir, ClosedBefore: day, By: u.Name, Started: w.Store.Now()}
	j.mu.Unlock()

	begun := make(chan error, 1)
	var once sync.Once
	signal := func(err error) { once.Do(func() { begun <- err }) }
	go func() {
		// The export outlives the request that started it.
		res, err := earchive.Export(context.Background(), w.Store, earchive.Options{Board: board, ClosedBefore: day,
			Format: format, Dir: dir, SecrecyGround: w.Config.SecrecyGround, Progress: func(done, total int) {
				j.mu.Lock()
				j.status.Done, j.status.Total = done, total
				j.mu.Unlock()
				metrics.ExportProgress(done, total)
				signal(nil)
			}})
		j.mu.Lock()
		j.running = false
		j.status.Finished = true
		if err != nil {
			var p *earchive.Problem
			if errors.As(err, &p) {
				j.status.Error = p.Msg
			} else {
				j.status.Error = "Arkivleveransen avbröts: " + err.Error() + ". Starta den igen med samma val för att fortsätta."
				if w.Config.Log != nil {
					w.Config.Log.Error("arkivleverans", "err", err, "dir", dir)
				}
			}
		} else {
			j.status.Cases, j.status.Files, j.status.Resumed = len(res.Cases), res.Files, res.Resumed
		}
		j.mu.Unlock()
		signal(err)
	}()
	err := <-begun
	var p *earchive.Problem
	if errors.As(err, &p) {
		// Refused before anything was written: the form says why, and
		// the page goes on showing the latest delivery that ran.
		j.mu.Lock()
		j.status = last
		j.mu.Unlock()
		return err
	}
	return nil
}
