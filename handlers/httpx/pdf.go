package httpx

import (
	"mime"

	"github.com/gofiber/fiber/v2"
)

// SendPDF answers with pdf, shown inline under the file name name.
func SendPDF(c *fiber.Ctx, name string, pdf []byte) error {
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, mime.FormatMediaType("inline", map[string]string{"filename": name}))
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	return c.Send(pdf)
}
