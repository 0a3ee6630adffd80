package notify

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/mail"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	gomail "github.com/go-mail/mail"
	"github.com/kommun/beslutsgang/db"
)

// folderTransport writes each message as an .eml file: the delivery of an
// installation without an SMTP server, so a demo still shows its mail. The
// file name comes from the dedupe key, so a message written again after a
// crash replaces its file instead of adding one.
type folderTransport struct{ dir string }

func newFolderTransport(dir string) (*folderTransport, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("e-postmappen %s: %w", dir, err)
	}
	return &folderTransport{dir: dir}, nil
}

// FileName is the .eml file a message is written to.
func FileName(m *db.OutboxMail) string {
	sum := sha256.Sum256([]byte(m.Key))
	return m.CreatedAt.UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(sum[:8]) + ".eml"
}

func (t *folderTransport) send(m *db.OutboxMail, _ string, _ []string, msg *gomail.Message) error {
	tmp, err := os.CreateTemp(t.dir, ".writing-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := msg.WriteTo(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), filepath.Join(t.dir, FileName(m)))
}

func (t *folderTransport) Close() error { return nil }

// MailFile is one .eml file in the mail folder, as the admin page lists it.
type MailFile struct {
	Name    string    `json:"name"`
	Size    int64     `json:"size"`
	Written time.Time `json:"written"`
	To      string    `json:"to"`
	Subject string    `json:"subject"`
}

var mailFileName = regexp.MustCompile(`^[0-9TZ]{16}-[0-9a-f]{16}\.eml$`)

// MailFiles lists the .eml files in dir, newest first.
func MailFiles(dir string) ([]MailFile, error) {
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return []MailFile{}, nil
	}
	if err != nil {
		return nil, err
	}
	out := []MailFile{}
	for _, e := range entries {
		if !mailFileName.MatchString(e.Name()) {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue // removed meanwhile
		}
		f := MailFile{Name: e.Name(), Size: info.Size(), Written: info.ModTime()}
		f.To, f.Subject = headersOf(filepath.Join(dir, e.Name()))
		out = append(out, f)
	}
	slices.SortFunc(out, func(a, b MailFile) int { return strings.Compare(b.Name, a.Name) })
	return out, nil
}

// MailFilePath is the path of a listed .eml file, or an error for any name
// that is not one (so no path can escape the folder).
func MailFilePath(dir, name string) (string, error) {
	if !mailFileName.MatchString(name) {
		return "", fmt.Errorf("%q är inget e-postmeddelande i mappen", name)
	}
	return filepath.Join(dir, name), nil
}

func headersOf(path string) (to, subject string) {
	f, err := os.Open(path)
	if err != nil {
		return "", ""
	}
	defer f.Close()
	msg, err := mail.ReadMessage(bufio.NewReader(f))
	if err != nil {
		return "", ""
	}
	subject = decodeHeader(msg.Header.Get("Subject"))
	return decodeHeader(msg.Header.Get("To")), subject
}
