package notifytest

import (
	"io"
	"net/http"
)

// Attachment is a file a received message carries, as Mailpit lists it.
type Attachment struct {
	PartID      string `json:"PartID"`
	FileName    string `json:"FileName"`
	ContentType string `json:"ContentType"`
	Size        int    `json:"Size"`
}

// Attachments lists the files the message with Mailpit's id carries.
func (m *Mailpit) Attachments(id string) []Attachment {
	m.t.Helper()
	var msg struct {
		Attachments []Attachment `json:"Attachments"`
	}
	m.get("/api/v1/message/"+id, &msg)
	return msg.Attachments
}

// Part is the content of one part of a message, such as an attachment,
// decoded from its transfer encoding.
func (m *Mailpit) Part(id, partID string) []byte {
	m.t.Helper()
	resp, err := http.Get(m.api("/api/v1/message/" + id + "/part/" + partID))
	if err != nil {
		m.t.Fatalf("mailpit API: %v", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		m.t.Fatalf("mailpit API part %s of %s: %s %v", partID, id, resp.Status, err)
	}
	return b
}
