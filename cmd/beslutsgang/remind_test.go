package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/notify"
	"github.com/kommun/beslutsgang/notify/notifytest"
	"github.com/kommun/beslutsgang/workflow"
)

func runCLI(args ...string) (stdout, stderr string, err error) {
	var out, errOut bytes.Buffer
	err = run(context.Background(), args, strings.NewReader(""), &out, &errOut)
	return out.String(), errOut.String(), err
}

func exitCode(err error) int {
	var ee exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	if err != nil {
		return 1
	}
	return 0
}

func TestRemindRefusesBadSettings(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "beslutsgang.db")
	bad := []struct {
		args []string
		says string
	}{
		{[]string{"remind"}, "--once"},
		{[]string{"remind", "--once", "--now", "i morgon"}, "--now"},
		{[]string{"remind", "--once", "--now", "2026-02-30T08:00"}, "--now"},
		{[]string{"remind", "--once", "--smtp-url", "ftp://mail.kommun.se"}, "smtp://"},
		{[]string{"remind", "--once", "--smtp-url", "smtp://mail.kommun.se?starttls=kanske"}, "starttls"},
		{[]string{"remind", "--once", "--smtp-url", "smtp://mail.kommun.se"}, "--mail-from"},
		{[]string{"remind", "--once", "--smtp-url", "smtp://mail.kommun.se", "--mail-from", "beslut"}, "avsändaradressen"},
		{[]string{"remind", "--once", "--base-url", "beslut.kommun.se"}, "basadressen"},
		{[]string{"remind", "--once", "--escalation-email", "chefen"}, "--escalation-email"},
		{[]string{"remind", "--once", "--mail-templates", filepath.Join(dir, "saknas")}, "--mail-templates"},
	}
	for _, tt := range bad {
		_, _, err := runCLI(append(tt.args, "--db", dbPath)...)
		if exitCode(err) != 2 || !strings.Contains(describe(err), tt.says) {
			t.Errorf("%q: exit %d, %v; want exit 2 saying %q", tt.args, exitCode(err), err, tt.says)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "mail")); err == nil {
		t.Errorf("a refused command wrote the mail folder")
	}
}

func TestRemindOnceQueuesAndDelivers(t *testing.T) {
	w := notifytest.NewWorld(t)
	c := w.Case("Internationell redovisning 2025", "2026-04-16", "2026-04-30", w.Approver)
	w.Store.Close()
	mailDir := filepath.Join(t.TempDir(), "mail")
	args := []string{"remind", "--once", "--now", "2026-03-24T08:00", "--db", w.Path, "--mail-dir", mailDir, "--deliver", "--base-url", "http://beslut.test"}
	out, _, err := runCLI(args...)
	if err != nil {
		t.Fatal(err)
	}
	want := "Påminnelse " + c.Number + " Inlämningsdag, förfaller 2026-03-31 (påminnelse för 2026-03-24): e-post till " + w.Officer.Email
	if !strings.Contains(out, want) || !strings.Contains(out, "1 skickade") {
		t.Errorf("output:\n%s\nwant %q", out, want)
	}
	files, err := notify.MailFiles(mailDir)
	if err != nil || len(files) != 1 || files[0].To != w.Officer.Email {
		t.Fatalf("mail files %+v, %v", files, err)
	}
	out, _, err = runCLI(args...)
	if err != nil || !strings.Contains(out, "Inga påminnelser") {
		t.Errorf("second run: %v\n%s", err, out)
	}
	if files, _ := notify.MailFiles(mailDir); len(files) != 1 {
		t.Errorf("second run wrote %d files, want still 1", len(files))
	}
}

func TestRemindOnceOverSMTP(t *testing.T) {
	mp := notifytest.StartMailpit(t)
	w := notifytest.NewWorld(t)
	c := w.Case("Internationell redovisning 2025", "2026-04-16", "2026-04-30", w.Approver)
	w.Store.Close()
	out, _, err := runCLI("remind", "--once", "--now", "2026-03-30T06:00:00Z", "--db", w.Path, "--deliver",
		"--smtp-url", mp.SMTPURL(), "--mail-from", "Beslutsgång <beslut@kommun.example>", "--base-url", "https://beslut.kommun.example")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	msgs := mp.Messages()
	// 08:00 on Monday 30 March: the five-day reminder (24 March) was missed and
	// the one-day reminder is due; each arrives once.
	if len(msgs) != 2 {
		t.Fatalf("Mailpit has %d messages, want 2:\n%s", len(msgs), out)
	}
	for _, m := range msgs {
		if m.To[0].Address != w.Officer.Email || !strings.Contains(m.Text, "https://beslut.kommun.example/cases/"+c.Number) {
			t.Errorf("message to %v:\n%s", m.To, m.Text)
		}
	}
	if !strings.HasPrefix(msgs[0].Subject, "Missad påminnelse tisdag 24 mars 2026") || !strings.HasPrefix(msgs[1].Subject, "Påminnelse: Inlämningsdag tisdag 31 mars 2026") {
		t.Errorf("subjects %q, %q", msgs[0].Subject, msgs[1].Subject)
	}
}

func TestServeRefusesBadMailSettingsBeforeOpeningTheDatabase(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "beslutsgang.db")
	for _, args := range [][]string{
		{"--smtp-url", "smtp://user:hemligt@mail.kommun.se?starttls=none", "--mail-from", "beslut@kommun.se"},
		{"--base-url", "ftp://beslut.kommun.se"},
		{"--mail-from", "inte en adress"},
	} {
		_, _, err := runCLI(append([]string{"serve", "--addr", "127.0.0.1:0", "--db", dbPath, "--demo"}, args...)...)
		if exitCode(err) != 2 || strings.Contains(describe(err), "hemligt") {
			t.Errorf("serve %q: exit %d, %v; want exit 2 without the password", args, exitCode(err), err)
		}
	}
	if _, err := os.Stat(dbPath); err == nil {
		t.Errorf("a refused serve created the database")
	}
}

// A meeting's deadline is named by its meeting, not by an empty case number.
func TestRemindNamesTheMeeting(t *testing.T) {
	w := notifytest.NewWorld(t)
	if _, err := w.Store.CreateMeeting(w.Ctx, db.NewMeetingInput{Body: "ASN", Date: workflow.MustDate("2026-05-20"), Start: "17:00"}, w.Secretary); err != nil {
		t.Fatal(err)
	}
	w.Store.Close()
	out, _, err := runCLI("remind", "--once", "--now", "2026-05-15T08:00", "--db", w.Path, "--base-url", "http://beslut.test")
	if err != nil {
		t.Fatal(err)
	}
	if want := "Påminnelse Arbetsmarknads- och socialnämnden 2026-05-20 Kallelse"; !strings.Contains(out, want) {
		t.Errorf("output:\n%s\nwant %q", out, want)
	}
}
