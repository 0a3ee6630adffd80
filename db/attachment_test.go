package db

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/workflow"
)

func TestAttachmentRoundTrip(t *testing.T) {
	s := mustOpen(t)
	p := mustOrg(t, s)
	ctx := context.Background()
	c := mustCreate(t, s, p, "Internationell redovisning 2019")
	data := []byte("%PDF-1.4\nRedovisning av internationellt arbete 2019\n\x00\x01\x02")
	att, err := s.AddAttachment(ctx, c.Number, p.officer, NewAttachment{Name: "Redovisning 2019.pdf", ContentType: "application/pdf", Data: data})
	if err != nil {
		t.Fatalf("AddAttachment: %v", err)
	}
	sum := sha256.Sum256(data)
	if att.SHA256 != hex.EncodeToString(sum[:]) || att.Size != int64(len(data)) || !att.HasContent || att.ID == 0 {
		t.Errorf("attachment = %+v; want sha256 %x, size %d, with content", att, sum, len(data))
	}
	got, content, err := s.AttachmentData(ctx, c.Number, att.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(content, data) || got.SHA256 != att.SHA256 || got.Name != "Redovisning 2019.pdf" || got.ContentType != "application/pdf" {
		t.Errorf("read back %+v with %d bytes, want the same file", got, len(content))
	}
	// The case lists it, its version moved, and its history says so.
	cs, _ := s.Case(ctx, c.Number)
	if len(cs.Attachments) != 1 || cs.Attachments[0].SHA256 != att.SHA256 || cs.Version != 2 {
		t.Errorf("case has %+v at version %d", cs.Attachments, cs.Version)
	}
	evs, _ := s.Events(ctx, c.Number)
	var payload map[string]any
	json.Unmarshal(evs[len(evs)-1].Payload, &payload)
	if evs[len(evs)-1].Action != "attach" || payload["sha256"] != att.SHA256 {
		t.Errorf("last event %s with payload %s", evs[len(evs)-1].Action, evs[len(evs)-1].Payload)
	}
	// The same content again is stored once.
	if _, err := s.AddAttachment(ctx, c.Number, p.officer, NewAttachment{Name: "kopia.pdf", Data: data}); err != nil {
		t.Fatal(err)
	}
	if n := count(t, rawDB(t, s.Path()), `SELECT COUNT(*) FROM blobs`); n != 1 {
		t.Errorf("%d blobs for one content", n)
	}
	// An attachment is found only under its own case.
	other := mustCreate(t, s, p, "Ett annat ärende")
	if _, _, err := s.AttachmentData(ctx, other.Number, att.ID); workflow.ErrorCode(err) != workflow.ENOTFOUND {
		t.Errorf("attachment of %s read through %s: %v", c.Number, other.Number, err)
	}
}

func TestAttachmentTooLarge(t *testing.T) {
	s := mustOpen(t)
	p := mustOrg(t, s)
	ctx := context.Background()
	old := MaxAttachmentSize
	MaxAttachmentSize = 16
	t.Cleanup(func() { MaxAttachmentSize = old })
	c := mustCreate(t, s, p, "Internationell redovisning 2019")
	before := dump(t, s.Path())
	_, err := s.AddAttachment(ctx, c.Number, p.officer, NewAttachment{Name: "stor.pdf", Data: make([]byte, 17)})
	wantCode(t, err, workflow.ETOOLARGE)
	wantUnchanged(t, s, before)
	if _, err := s.AddAttachment(ctx, c.Number, p.officer, NewAttachment{Name: "lagom.pdf", Data: make([]byte, 16)}); err != nil {
		t.Errorf("a file of exactly the limit: %v", err)
	}
}

func TestAttachmentNames(t *testing.T) {
	s := mustOpen(t)
	p := mustOrg(t, s)
	ctx := context.Background()
	c := mustCreate(t, s, p, "Internationell redovisning 2019")
	for in, want := range map[string]string{
		"../../etc/passwd":                   "passwd",
		`C:\Users\sara\Desktop\Bilaga 1.pdf`: "Bilaga 1.pdf",
		"/var/tmp/  bilaga.docx  ":           "bilaga.docx",
		"rapport\x00\r\n.pdf":                "rapport.pdf",
		strings.Repeat("å", 250) + ".pdf":    strings.Repeat("å", 200),
	} {
		att, err := s.AddAttachment(ctx, c.Number, p.officer, NewAttachment{Name: in, Data: []byte("x")})
		if err != nil || att.Name != want {
			t.Errorf("name %q stored as %q (%v), want %q", in, att.Name, err, want)
		}
	}
	before := dump(t, s.Path())
	for _, in := range []string{"", "  ", "..", "../", "/"} {
		_, err := s.AddAttachment(ctx, c.Number, p.officer, NewAttachment{Name: in, Data: []byte("x")})
		wantCode(t, err, workflow.EINVALID)
	}
	wantUnchanged(t, s, before)
}

func TestAttachmentWithoutContent(t *testing.T) {
	s := mustOpen(t)
	p := mustOrg(t, s)
	ctx := context.Background()
	c := mustCreate(t, s, p, "Internationell redovisning 2019")
	// Listed by name only, as an imported report lists its beslutsunderlag.
	listed, err := s.AddAttachment(ctx, c.Number, p.officer, NewAttachment{Name: "G-Tjänsteskrivelse - ASN 200130"})
	if err != nil {
		t.Fatal(err)
	}
	if listed.HasContent || listed.SHA256 != "" || listed.Size != 0 {
		t.Errorf("listed attachment = %+v", listed)
	}
	_, _, err = s.AttachmentData(ctx, c.Number, listed.ID)
	wantCode(t, err, workflow.ENOTFOUND)
	// An empty file is a file: it has content, of zero bytes.
	empty, err := s.AddAttachment(ctx, c.Number, p.officer, NewAttachment{Name: "tom.txt", Data: []byte{}})
	if err != nil {
		t.Fatal(err)
	}
	const emptySum = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	if !empty.HasContent || empty.SHA256 != emptySum {
		t.Errorf("empty file = %+v", empty)
	}
	_, data, err := s.AttachmentData(ctx, c.Number, empty.ID)
	if err != nil || len(data) != 0 {
		t.Errorf("empty file read back as %q, %v", data, err)
	}
	cs, _ := s.Case(ctx, c.Number)
	if len(cs.Attachments) != 2 || cs.Attachments[0].HasContent || !cs.Attachments[1].HasContent {
		t.Errorf("case attachments = %+v", cs.Attachments)
	}
}

func TestWhoMayAttach(t *testing.T) {
	s := mustOpen(t)
	p := mustOrg(t, s)
	ctx := context.Background()
	c := mustCreate(t, s, p, "Internationell redovisning 2019")
	file := NewAttachment{Name: "bilaga.pdf", Data: []byte("x")}
	before := dump(t, s.Path())
	for _, u := range []workflow.User{p.outsider, p.approver1, p.officer2, p.ksSecretary} {
		_, err := s.AddAttachment(ctx, c.Number, u, file)
		wantCode(t, err, workflow.EFORBIDDEN)
	}
	_, err := s.AddAttachment(ctx, "ASN-2026-999", p.officer, file)
	wantCode(t, err, workflow.ENOTFOUND)
	wantUnchanged(t, s, before)
	// Once submitted the officer may not, the secretary may until the decision.
	mustReach(t, s, p, c.Number, workflow.StageBoard)
	before = dump(t, s.Path())
	_, err = s.AddAttachment(ctx, c.Number, p.officer, file)
	wantCode(t, err, workflow.EFORBIDDEN)
	wantUnchanged(t, s, before)
	if _, err := s.AddAttachment(ctx, c.Number, p.secretary, file); err != nil {
		t.Errorf("secretary before the decision: %v", err)
	}
	mustHandle(t, s, p, c.Number)
	_, err = s.AddAttachment(ctx, c.Number, p.secretary, file)
	wantCode(t, err, workflow.EFORBIDDEN)
}
