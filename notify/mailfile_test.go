package notify_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/notify"
	"github.com/kommun/beslutsgang/workflow"
)

// A message the folder delivery wrote reads back with its headers decoded and
// its text and HTML parts apart.
func TestReadMailFileReadsWhatTheFolderWrote(t *testing.T) {
	w := mailWorld(t)
	dir := t.TempDir()
	d, err := notify.NewFolderDelivery(w.Store, dir, "Beslutsgång <beslut@kommun.example>")
	if err != nil {
		t.Fatal(err)
	}
	d.Now = w.Clock.Now
	c := w.Case("Yttrande över motion om feriearbete för fler unga", "2026-04-16", "2026-04-30", w.Approver)
	w.Act(c, w.Officer, workflow.Command{Action: workflow.ActSubmit})
	drain(t, w, d)
	files, err := notify.MailFiles(dir)
	if err != nil || len(files) != 1 {
		t.Fatalf("MailFiles = %+v, %v", files, err)
	}
	m, err := notify.ReadMailFile(dir, files[0].Name)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"From":    "Beslutsgång <beslut@kommun.example>",
		"To":      w.Approver.Email,
		"Subject": "Att godkänna: " + c.Number + " Yttrande över motion om feriearbete för fler unga",
	}
	got := map[string]string{}
	for _, h := range m.Headers {
		got[h.Name] = h.Value
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	if !strings.HasPrefix(got["Message-ID"], "<") || got["Date"] == "" {
		t.Errorf("headers %+v", m.Headers)
	}
	if !strings.Contains(m.Text, "Jonas Magnusson") || !strings.Contains(m.Text, baseURL+"/cases/"+c.Number) ||
		strings.Contains(m.Text, "=C3") || strings.Contains(m.Text, "<p") {
		t.Errorf("text part, decoded:\n%s", m.Text)
	}
	if !strings.Contains(m.HTML, "<html") || !strings.Contains(m.HTML, "för fler unga") {
		t.Errorf("HTML part:\n%s", m.HTML)
	}
}

// A message written elsewhere, base64 and all, reads too; names outside the
// folder's pattern are not found, whatever is on disk.
func TestReadMailFile(t *testing.T) {
	dir := t.TempDir()
	const name = "20261126T080000Z-0123456789abcdef.eml"
	eml := "From: a@kommun.example\r\nTo: =?UTF-8?q?=C3=85sa?= <asa@kommun.example>\r\nSubject: =?UTF-8?b?UMOlbWlubmVsc2U=?=\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=yttre\r\n\r\n" +
		"--yttre\r\nContent-Type: multipart/alternative; boundary=inre\r\n\r\n" +
		"--inre\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
		"SGVqIMOFc2Es\r\nCnDDpW1pbm5lbHNlLg==\r\n" +
		"--inre\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n<p>Hej</p><script>alert(1)</script>\r\n" +
		"--inre--\r\n" +
		"--yttre\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0=\r\n--yttre--\r\n"
	if err := os.WriteFile(filepath.Join(dir, name), []byte(eml), 0o600); err != nil {
		t.Fatal(err)
	}
	m, err := notify.ReadMailFile(dir, name)
	if err != nil {
		t.Fatal(err)
	}
	if m.Text != "Hej Åsa,\npåminnelse." {
		t.Errorf("text = %q", m.Text)
	}
	if m.HTML != "<p>Hej</p><script>alert(1)</script>" {
		t.Errorf("HTML = %q", m.HTML)
	}
	if len(m.Headers) != 3 || m.Headers[1].Value != "Åsa <asa@kommun.example>" || m.Headers[2].Value != "Påminnelse" {
		t.Errorf("headers = %+v", m.Headers)
	}

	if err := os.WriteFile(filepath.Join(dir, "notes.eml"), []byte(eml), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"notes.eml", "../" + name, "20261126T080000Z-0123456789abcdee.eml"} {
		if _, err := notify.ReadMailFile(dir, bad); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("ReadMailFile(%q) = %v, want not found", bad, err)
		}
	}
}
