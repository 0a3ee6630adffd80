package notify

import (
	"bufio"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"os"
	"strings"
)

// MailMessage is an .eml file of the mail folder read back for the admin
// page: the headers a person checks, decoded, and the text. The HTML part is
// kept as its source, for pages to show as text: it is never to be rendered.
type MailMessage struct {
	Name    string
	Headers []MailHeader
	Text    string
	HTML    string
}

// MailHeader is one header line, decoded.
type MailHeader struct {
	Name  string
	Value string
}

// shownHeaders are the headers MailMessage keeps, in the order shown.
var shownHeaders = []string{"From", "To", "Cc", "Subject", "Date", "Message-ID"}

// maxMailFile bounds what is read of one file; the service's own messages are
// far smaller.
const maxMailFile = 20 << 20

// ReadMailFile reads one message of the mail folder. A name that is not one
// of the folder's messages is an error wrapping os.ErrNotExist.
func ReadMailFile(dir, name string) (MailMessage, error) {
	path, err := MailFilePath(dir, name)
	if err != nil {
		return MailMessage{}, fmt.Errorf("%w: %v", os.ErrNotExist, err)
	}
	f, err := os.Open(path)
	if err != nil {
		return MailMessage{}, err
	}
	defer f.Close()
	msg, err := mail.ReadMessage(bufio.NewReader(io.LimitReader(f, maxMailFile)))
	if err != nil {
		return MailMessage{}, fmt.Errorf("%s är inget läsbart e-postmeddelande: %w", name, err)
	}
	m := MailMessage{Name: name}
	for _, h := range shownHeaders {
		if v := msg.Header.Get(h); v != "" {
			m.Headers = append(m.Headers, MailHeader{Name: h, Value: decodeHeader(v)})
		}
	}
	if err := m.readPart(msg.Header, msg.Body); err != nil {
		return m, fmt.Errorf("%s: %w", name, err)
	}
	return m, nil
}

// header is what readPart needs of a message's or a part's header.
type header interface{ Get(string) string }

// readPart keeps the first text/plain and text/html parts, walking into
// multipart containers.
func (m *MailMessage) readPart(h header, body io.Reader) error {
	ct := h.Get("Content-Type")
	if ct == "" {
		ct = "text/plain"
	}
	media, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return fmt.Errorf("Content-Type %q: %w", ct, err)
	}
	if strings.HasPrefix(media, "multipart/") {
		r := multipart.NewReader(body, params["boundary"])
		for {
			p, err := r.NextPart() // decodes quoted-printable by itself
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return err
			}
			if err := m.readPart(p.Header, p); err != nil {
				return err
			}
		}
	}
	if media != "text/plain" && media != "text/html" {
		return nil // an attachment: the page names only the text
	}
	switch strings.ToLower(h.Get("Content-Transfer-Encoding")) {
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body) // it skips line breaks
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		return err
	}
	text := strings.ToValidUTF8(strings.ReplaceAll(string(b), "\r\n", "\n"), "\uFFFD")
	switch {
	case media == "text/plain" && m.Text == "":
		m.Text = text
	case media == "text/html" && m.HTML == "":
		m.HTML = text
	}
	return nil
}

// decodeHeader decodes RFC 2047 words ("=?UTF-8?q?...?="), or returns the
// value as it is when it has none or they are broken.
func decodeHeader(v string) string {
	dec := new(mime.WordDecoder)
	if s, err := dec.DecodeHeader(v); err == nil {
		return s
	}
	return v
}
