package handlers

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/workflow"
)

// readUpload reads the multipart field "file", refusing files over the limit.
func readUpload(c *fiber.Ctx) (db.NewAttachment, error) {
	fh, err := c.FormFile("file")
	if err != nil {
		return db.NewAttachment{}, &workflow.Error{Code: workflow.EINVALID, Message: "Välj en fil att ladda upp",
			Fields: []workflow.FieldError{{Field: "file", Message: "Skicka filen som multipart/form-data i fältet \"file\""}}}
	}
	return readFile(fh)
}

// readFile reads one uploaded file, refusing it if it is over the limit.
func readFile(fh *multipart.FileHeader) (db.NewAttachment, error) {
	if fh.Size > db.MaxAttachmentSize {
		return db.NewAttachment{}, workflow.Errorf(workflow.ETOOLARGE, "Filen %s är %s; största tillåtna är %s",
			db.CleanFileName(fh.Filename), sizeText(fh.Size), sizeText(db.MaxAttachmentSize))
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

// sizeText writes a file size for a person, rounded up, so a file just over
// the limit never reads as the same size as the limit.
func sizeText(n int64) string {
	if n < 1<<20 {
		return fmt.Sprintf("%d kB", (n+1<<10-1)>>10)
	}
	return fmt.Sprintf("%d MB", (n+1<<20-1)>>20)
}

func (s *Server) apiUpload(c *fiber.Ctx) error {
	a, err := readUpload(c)
	if err != nil {
		return err
	}
	att, err := s.Store.AddAttachment(c.UserContext(), c.Params("number"), httpx.CurrentUser(c), a)
	if err != nil {
		return err
	}
	c.Location("/api/v1/cases/" + url.PathEscape(c.Params("number")) + "/attachments/" + strconv.FormatInt(att.ID, 10))
	return c.Status(fiber.StatusCreated).JSON(att)
}

func (s *Server) apiDownload(c *fiber.Ctx) error {
	return s.sendAttachment(c)
}

// sendAttachment always sends the file as a download, never inline, so an
// uploaded HTML file cannot run in the service's origin.
func (s *Server) sendAttachment(c *fiber.Ctx) error {
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
