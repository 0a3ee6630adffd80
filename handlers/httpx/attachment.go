package httpx

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/workflow"
)

// ReadUpload reads the multipart field "file", refusing files over the limit.
func ReadUpload(c *fiber.Ctx) (db.NewAttachment, error) {
	fh, err := c.FormFile("file")
	if err != nil {
		return db.NewAttachment{}, &workflow.Error{Code: workflow.EINVALID, Message: "Välj en fil att ladda upp",
			Fields: []workflow.FieldError{{Field: "file", Message: "Skicka filen som multipart/form-data i fältet \"file\""}}}
	}
	return ReadFile(fh)
}

// ReadFile reads one uploaded file, refusing it if it is over the limit.
func ReadFile(fh *multipart.FileHeader) (db.NewAttachment, error) {
	if fh.Size > db.MaxAttachmentSize {
		return db.NewAttachment{}, workflow.Errorf(workflow.ETOOLARGE, "Filen %s är %s; största tillåtna är %s",
			db.CleanFileName(fh.Filename), SizeText(fh.Size), SizeText(db.MaxAttachmentSize))
	}
	f, err := fh.Open()
	if err != nil {
		return db.NewAttachment{}, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, db.MaxAttachmentSize+1))
	if err != nil {
		return db.NewAttachment{}, err
	}
	if data == nil {
		data = []byte{}
	}
	// The client's content type is not trusted: it is sniffed from the content.
	return db.NewAttachment{Name: fh.Filename, ContentType: http.DetectContentType(data), Data: data}, nil
}

// SizeText writes a file size for a person, rounded up, so a file just over
// the limit never reads as the same size as the limit.
func SizeText(n int64) string {
	if n < 1<<20 {
		return fmt.Sprintf("%d kB", (n+1<<10-1)>>10)
	}
	return fmt.Sprintf("%d MB", (n+1<<20-1)>>20)
}

// SendAttachment always sends the file as a download, never inline, so an
// uploaded HTML file cannot run in the service's origin.
func (s *Server) SendAttachment(c *fiber.Ctx) error {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return workflow.Errorf(workflow.ENOTFOUND, "Bilagan finns inte")
	}
	a, data, err := s.Read(c).AttachmentData(c.UserContext(), c.Params("number"), id)
	if err != nil {
		return err
	}
	ct := a.ContentType
	if ct == "" {
		ct = "application/octet-stream"
	}
	c.Set(fiber.HeaderContentType, ct)
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderContentDisposition, mime.FormatMediaType("attachment", map[string]string{"filename": a.Name}))
	// RFC 3230 digests are base64 of the raw sum, not the hex the store keeps.
	if sum, err := hex.DecodeString(a.SHA256); err == nil {
		c.Set("Digest", "sha-256="+base64.StdEncoding.EncodeToString(sum))
	}
	return c.Send(data)
}
