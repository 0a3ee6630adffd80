package db

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/workflow"
)

func TestIntakeUploadSaveLoadDelete(t *testing.T) {
	s, clk := mustOpenClock(t)
	p := mustOrg(t, s)
	ctx := context.Background()
	data := []byte("Tjänsteskrivelse\n\nInternationell redovisning 2019\n")
	u, err := s.SaveIntakeUpload(ctx, p.officer, NewAttachment{Name: `C:\Dokument\ts.txt`, ContentType: "text/plain", Data: data})
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	if len(u.ID) != 32 || u.Name != "ts.txt" || u.SHA256 != hex.EncodeToString(sum[:]) || u.Size() != int64(len(data)) {
		t.Errorf("saved %+v", u)
	}
	got, err := s.IntakeUpload(ctx, u.ID, p.officer)
	if err != nil || string(got.Data) != string(data) || got.SHA256 != u.SHA256 || got.Name != "ts.txt" || got.ContentType != "text/plain" {
		t.Errorf("loaded %+v, %v", got, err)
	}
	// Another user's upload is not found, and cannot be deleted.
	if _, err := s.IntakeUpload(ctx, u.ID, p.officer2); workflow.ErrorCode(err) != workflow.ENOTFOUND {
		t.Errorf("another user loads the upload: %v", err)
	}
	if err := s.DeleteIntakeUpload(ctx, u.ID, p.officer2); workflow.ErrorCode(err) != workflow.ENOTFOUND {
		t.Errorf("another user deletes the upload: %v", err)
	}
	if err := s.DeleteIntakeUpload(ctx, u.ID, p.officer); err != nil {
		t.Fatal(err)
	}
	if _, err := s.IntakeUpload(ctx, u.ID, p.officer); workflow.ErrorCode(err) != workflow.ENOTFOUND {
		t.Errorf("deleted upload loads: %v", err)
	}

	// An upload older than a day is gone for its owner at once, and is
	// deleted by the next upload, anyone's.
	old, _ := s.SaveIntakeUpload(ctx, p.officer, NewAttachment{Name: "gammal.txt", Data: data})
	clk.Set(clk.Now().Add(IntakeUploadTTL + time.Minute))
	if _, err := s.IntakeUpload(ctx, old.ID, p.officer); workflow.ErrorCode(err) != workflow.ENOTFOUND {
		t.Errorf("an upload a day old loads: %v", err)
	}
	if _, err := s.SaveIntakeUpload(ctx, p.officer2, NewAttachment{Name: "ny.txt", Data: data}); err != nil {
		t.Fatal(err)
	}
	if n := count(t, rawDB(t, s.Path()), `SELECT COUNT(*) FROM intake_uploads`); n != 1 {
		t.Errorf("%d uploads kept, want only the new one", n)
	}

	// Refused: no name, too large; nothing is kept.
	old2 := MaxAttachmentSize
	MaxAttachmentSize = 8
	t.Cleanup(func() { MaxAttachmentSize = old2 })
	before := dump(t, s.Path())
	_, err = s.SaveIntakeUpload(ctx, p.officer, NewAttachment{Name: "stor.txt", Data: make([]byte, 9)})
	wantCode(t, err, workflow.ETOOLARGE)
	_, err = s.SaveIntakeUpload(ctx, p.officer, NewAttachment{Name: " / ", Data: []byte("x")})
	wantCode(t, err, workflow.EINVALID)
	wantUnchanged(t, s, before)
}

func TestCreateCaseFromUpload(t *testing.T) {
	s := mustOpen(t)
	p := mustOrg(t, s)
	ctx := context.Background()
	data := []byte("Tjänsteskrivelse\n\nInternationell redovisning 2019\n\nFörslag till beslut\n1. Godkänn\n")
	u, err := s.SaveIntakeUpload(ctx, p.officer, NewAttachment{Name: "Internationell redovisning.txt", ContentType: "text/plain; charset=utf-8", Data: data})
	if err != nil {
		t.Fatal(err)
	}

	// A refused case consumes nothing and attaches nothing.
	bad := caseInput(p, "")
	bad.Documents = []NewAttachment{{Name: "Bilaga 1"}}
	before := dump(t, s.Path())
	_, err = s.CreateCaseFromUpload(ctx, u.ID, bad, p.officer, false)
	wantCode(t, err, workflow.EINVALID)
	wantUnchanged(t, s, before)
	if _, err := s.IntakeUpload(ctx, u.ID, p.officer); err != nil {
		t.Fatalf("the upload is gone after a refused case: %v", err)
	}
	// Nor can another user register from it.
	_, err = s.CreateCaseFromUpload(ctx, u.ID, caseInput(p, "Internationell redovisning 2019"), p.officer2, false)
	wantCode(t, err, workflow.ENOTFOUND)
	wantUnchanged(t, s, before)

	in := caseInput(p, "Internationell redovisning 2019")
	in.Documents = []NewAttachment{{Name: "G-Tjänsteskrivelse - ASN 200130"}, {Name: "Redovisning 2019"}}
	c, err := s.CreateCaseFromUpload(ctx, u.ID, in, p.officer, false)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	c, _ = s.Case(ctx, c.Number)
	if len(c.Attachments) != 3 || c.Attachments[0].Name != "Internationell redovisning.txt" ||
		c.Attachments[0].SHA256 != hex.EncodeToString(sum[:]) || !c.Attachments[0].HasContent ||
		c.Attachments[1].Name != "G-Tjänsteskrivelse - ASN 200130" || c.Attachments[1].HasContent {
		t.Errorf("attachments %+v; want the upload first, then the listed names", c.Attachments)
	}
	evs, _ := s.Events(ctx, c.Number)
	if len(evs) != 4 || evs[0].Action != "create" || evs[1].Action != "attach" || c.Version != 4 {
		t.Errorf("history %d events (first %s), version %d; want create and three attach", len(evs), evs[0].Action, c.Version)
	}
	if _, broken, err := s.Verify(ctx); err != nil || len(broken) > 0 {
		t.Errorf("Verify: %v %v", broken, err)
	}
	// The upload is consumed: its file dropped, its row remembering the
	// case, and a second confirmation registers nothing.
	if n := count(t, rawDB(t, s.Path()), `SELECT COUNT(*) FROM intake_uploads WHERE length(data) > 0 OR case_number = ''`); n != 0 {
		t.Errorf("%d uploads left with their file", n)
	}
	if got, err := s.RegisteredUpload(ctx, u.ID, p.officer); err != nil || got != c.Number {
		t.Errorf("RegisteredUpload = %q, %v; want %s", got, err, c.Number)
	}
	if got, err := s.RegisteredUpload(ctx, u.ID, p.secretary); err != nil || got != "" {
		t.Errorf("RegisteredUpload by another user = %q, %v", got, err)
	}
	before = dump(t, s.Path())
	_, err = s.CreateCaseFromUpload(ctx, u.ID, caseInput(p, "Internationell redovisning 2019"), p.officer, false)
	wantCode(t, err, workflow.ENOTFOUND)
	wantUnchanged(t, s, before)
}

func TestCreateCaseWithDocuments(t *testing.T) {
	s := mustOpen(t)
	p := mustOrg(t, s)
	ctx := context.Background()
	in := caseInput(p, "Delårsrapport")
	in.Documents = []NewAttachment{{Name: "ts.pdf", ContentType: "application/pdf", Data: []byte("%PDF-1.4 x")}}
	c, err := s.CreateCase(ctx, in, p.officer)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Attachments) != 1 || c.Attachments[0].Name != "ts.pdf" || c.Version != 2 {
		t.Errorf("returned case has %+v at version %d", c.Attachments, c.Version)
	}
	// A document too large refuses the case.
	old := MaxAttachmentSize
	MaxAttachmentSize = 4
	t.Cleanup(func() { MaxAttachmentSize = old })
	before := dump(t, s.Path())
	_, err = s.CreateCase(ctx, in, p.officer)
	wantCode(t, err, workflow.ETOOLARGE)
	wantUnchanged(t, s, before)
}

func TestKnownRecipients(t *testing.T) {
	s := mustOpen(t)
	p := mustOrg(t, s)
	ctx := context.Background()
	in := caseInput(p, "Första")
	in.Recipients = []workflow.Recipient{{Name: "Kommunstyrelsen", Email: "ks@kommun.example"}, {Name: "Revisorerna"}}
	if _, err := s.CreateCase(ctx, in, p.officer); err != nil {
		t.Fatal(err)
	}
	in = caseInput(p, "Andra")
	in.Recipients = []workflow.Recipient{{Name: "Kommunstyrelsen", Email: "kommunstyrelsen@kommun.example"}}
	if _, err := s.CreateCase(ctx, in, p.officer); err != nil {
		t.Fatal(err)
	}
	in = caseInput(p, "Hemligt")
	in.Secret = true
	in.Recipients = []workflow.Recipient{{Name: "Socialjouren", Email: "jour@kommun.example"}}
	if _, err := s.CreateCase(ctx, in, p.officer); err != nil {
		t.Fatal(err)
	}
	got, err := s.KnownRecipients(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got["Kommunstyrelsen"] != "kommunstyrelsen@kommun.example" {
		t.Errorf("KnownRecipients = %v; want the latest address of Kommunstyrelsen only", got)
	}
}
