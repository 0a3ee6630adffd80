package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/notify"
	"github.com/kommun/beslutsgang/schedule"
	"github.com/kommun/beslutsgang/workflow"
)

// mailFlags are the mail settings serve and remind share.
type mailFlags struct {
	smtpURL   *string
	from      *string
	dir       *string
	templates *string
	escalate  *string
}

func addMailFlags(f flags) mailFlags {
	return mailFlags{
		smtpURL: f.String("smtp-url", env("SMTP_URL", ""), "SMTP-server, t.ex. smtp://user:pass@host:587?starttls=mandatory (BESLUTSGANG_SMTP_URL); utan: .eml-filer i --mail-dir"),
		from:    f.String("mail-from", env("MAIL_FROM", ""), "avsändare, t.ex. \"Beslutsgång <beslut@kommun.se>\" (BESLUTSGANG_MAIL_FROM); krävs med --smtp-url"),
		dir:     f.String("mail-dir", env("MAIL_DIR", ""), "mapp för .eml-filer utan SMTP (BESLUTSGANG_MAIL_DIR); utan: mail/ bredvid SQLite-databasen, annars i arbetskatalogen"),
		templates: f.String("mail-templates", env("MAIL_TEMPLATES", ""),
			"mapp med egna e-postmallar av samma form som templates/mail (BESLUTSGANG_MAIL_TEMPLATES)"),
		escalate: f.String("escalation-email", env("ESCALATION_EMAIL", ""),
			"kopia på försenade påminnelser när ärendet saknar annan chef (BESLUTSGANG_ESCALATION_EMAIL)"),
	}
}

// mailSetup is the mail side of the service.
type mailSetup struct {
	composer *notify.Composer
	delivery *notify.Delivery
	smtp     *notify.SMTP
	from     string
	dir      string // the .eml folder, when there is no SMTP server
	escalate string
}

// check reads every mail setting, before anything is opened or written, and
// says which one is wrong.
func (m mailFlags) check(baseURL string) (mailSetup, error) {
	var out mailSetup
	files := notify.Templates()
	if *m.templates != "" {
		if st, err := os.Stat(*m.templates); err != nil || !st.IsDir() {
			return out, exitError{2, fmt.Sprintf("--mail-templates %s: ingen mapp", *m.templates)}
		}
		files = os.DirFS(*m.templates)
	}
	c, err := notify.NewComposer(files, baseURL, workflow.DefaultPolicy)
	if err != nil {
		return out, exitError{2, err.Error()}
	}
	out.composer = c
	if e := strings.TrimSpace(*m.escalate); e != "" {
		a, err := notify.ParseFrom(e)
		if err != nil {
			return out, exitError{2, fmt.Sprintf("--escalation-email %q är ingen giltig e-postadress", e)}
		}
		out.escalate = a.Address
	}
	out.from, out.dir = strings.TrimSpace(*m.from), *m.dir
	if *m.smtpURL != "" {
		server, err := notify.ParseSMTPURL(*m.smtpURL)
		if err != nil {
			return out, exitError{2, err.Error()}
		}
		if out.from == "" {
			return out, exitError{2, "ange avsändaradressen med --mail-from eller BESLUTSGANG_MAIL_FROM när e-post skickas via SMTP"}
		}
		out.smtp = &server
	} else if out.from == "" {
		out.from = "Beslutsgång <beslutsgang@localhost>"
	}
	if _, err := notify.ParseFrom(out.from); err != nil {
		return out, exitError{2, err.Error()}
	}
	return out, nil
}

// deliver builds the outbox worker: SMTP, or .eml files in the mail folder
// (by default mail/ beside a SQLite database, or in the working directory).
func (ms *mailSetup) deliver(s *db.Store, log *slog.Logger) error {
	var err error
	if ms.smtp != nil {
		ms.delivery, err = notify.NewSMTPDelivery(s, *ms.smtp, ms.from)
	} else {
		if ms.dir == "" {
			ms.dir = "mail"
			if s.Engine() == db.SQLite {
				ms.dir = filepath.Join(filepath.Dir(s.Path()), "mail")
			}
		}
		ms.delivery, err = notify.NewFolderDelivery(s, ms.dir, ms.from)
	}
	if err != nil {
		return err
	}
	ms.delivery.Log = log
	return nil
}

func cmdRemind(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	f := newFlags("remind", stderr)
	once := f.Bool("once", false, "kör en skanning och avsluta (tjänsten skannar själv varje minut)")
	nowFlag := f.String("now", "", "skanna som om klockan vore TID, t.ex. 2026-03-30T08:00 (svensk tid) eller RFC 3339")
	digest := f.Bool("digest", false, "köa också dagens sammanfattningar (görs annars kl. 07.00 arbetsdagar)")
	deliver := f.Bool("deliver", false, "skicka också det som ligger i utkorgen")
	baseURL := f.String("base-url", env("BASE_URL", "http://127.0.0.1:8080"), "tjänstens publika adress för länkar (BESLUTSGANG_BASE_URL)")
	mf := addMailFlags(f)
	logFormat := f.logFlag()
	if err := f.parse(args, 0); err != nil {
		return err
	}
	log, err := logger(stderr, *logFormat, slog.LevelWarn)
	if err != nil {
		return err
	}
	if !*once {
		return exitError{2, "ange --once: remind kör en skanning (serve skannar själv varje minut)"}
	}
	now := time.Now()
	if *nowFlag != "" {
		t, err := parseNow(*nowFlag)
		if err != nil {
			return exitError{2, err.Error()}
		}
		now = t
	}
	ms, err := mf.check(*baseURL)
	if err != nil {
		return err
	}
	if _, err := os.Stat(*f.db); err != nil {
		return exitError{2, fmt.Sprintf("databasen %s finns inte; ange --db eller BESLUTSGANG_DB", *f.db)}
	}
	s, err := f.open()
	if err != nil {
		return err
	}
	defer s.Close()
	if err := ms.deliver(s, log); err != nil {
		return err
	}
	s.Composer = ms.composer
	s.Now = func() time.Time { return now }
	ms.delivery.Now = s.Now
	sched, err := schedule.New(schedule.Config{Store: s, Composer: ms.composer, Delivery: ms.delivery,
		ManagerAddress: ms.escalate, Log: log, Now: s.Now})
	if err != nil {
		return err
	}
	report, err := sched.Scan(ctx, now)
	printReport(stdout, report)
	if err != nil {
		return err
	}
	if *digest {
		n, err := sched.Digest(ctx, now)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Sammanfattningar köade: %d\n", n)
	}
	if *deliver {
		res, err := sched.Deliver(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Utkorgen: %d skickade, %d försöks igen, %d misslyckade\n", res.Sent, res.Retried, res.Failed)
		if ms.dir != "" {
			fmt.Fprintf(stdout, "E-post sparad som .eml-filer i %s\n", ms.dir)
		}
	}
	return nil
}

// parseNow reads --now: RFC 3339, or a Stockholm date and time.
func parseNow(v string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02T15:04:05"} {
		if t, err := time.ParseInLocation(layout, v, workflow.Stockholm); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("--now %q: skriv en tid som 2026-03-30T08:00 (svensk tid) eller 2026-03-30T06:00:00Z", v)
}

func printReport(w io.Writer, r schedule.Report) {
	if len(r.Reminders) == 0 && len(r.Recurring) == 0 {
		fmt.Fprintln(w, "Inga påminnelser eller återkommande uppdrag att köa.")
	}
	for _, rm := range r.Reminders {
		to := "visas i tjänsten (ingen e-postadress)"
		if rm.Channel == "mail" {
			to = "e-post till " + rm.To
			if len(rm.Cc) > 0 {
				to += ", kopia " + strings.Join(rm.Cc, ", ")
			}
		}
		subject := rm.Deadline.CaseNumber
		if subject == "" { // a meeting's deadline: name the meeting
			subject = rm.MeetingTitle
		}
		fmt.Fprintf(w, "Påminnelse %s %s, förfaller %s (påminnelse för %s): %s\n",
			subject, rm.Deadline.Kind.Label(), rm.Deadline.Due, rm.On, to)
	}
	for _, run := range r.Recurring {
		if run.Error != "" {
			fmt.Fprintf(w, "Återkommande uppdrag %d (%s): inget ärende skapat: %s\n", run.Recurring, run.Period, run.Error)
			continue
		}
		fmt.Fprintf(w, "Återkommande uppdrag %d (%s): skapade %s %s\n", run.Recurring, run.Period, run.Case, run.Title)
	}
}
