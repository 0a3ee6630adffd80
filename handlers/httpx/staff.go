package httpx

import (
	"os"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/notify"
	"github.com/kommun/beslutsgang/workflow"
)

// MeetingID reads the :id parameter; anything but a number is no such meeting.
func MeetingID(c *fiber.Ctx) (int64, error) {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil || id < 1 {
		return 0, workflow.Errorf(workflow.ENOTFOUND, "Sammanträdet %q finns inte", c.Params("id"))
	}
	return id, nil
}

func PathID(c *fiber.Ctx, what string) (int64, error) {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil || id < 1 {
		return 0, workflow.Errorf(workflow.ENOTFOUND, "%s %q finns inte", what, c.Params("id"))
	}
	return id, nil
}

func FieldError(field, msg string) error {
	return &workflow.Error{Code: workflow.EINVALID, Message: "Uppgifterna behöver rättas",
		Fields: []workflow.FieldError{{Field: field, Message: msg}}}
}

// MinutesOf loads the protokoll of the meeting in the path.
func (s *Server) MinutesOf(c *fiber.Ctx) (workflow.Minutes, error) {
	id, err := MeetingID(c)
	if err != nil {
		return workflow.Minutes{}, err
	}
	return s.Read(c).Minutes(c.UserContext(), id)
}

// SendMailFile sends a message the service wrote as a file (Config.MailDir),
// named by the :name parameter, as message/rfc822.
func (s *Server) SendMailFile(c *fiber.Ctx) error {
	if s.Config.MailDir == "" {
		return workflow.Errorf(workflow.ENOTFOUND, "Meddelanden sparas inte som filer: tjänsten skickar via SMTP")
	}
	path, err := notify.MailFilePath(s.Config.MailDir, c.Params("name"))
	if err != nil {
		return workflow.Errorf(workflow.ENOTFOUND, "%v", err)
	}
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return workflow.Errorf(workflow.ENOTFOUND, "Meddelandet %s finns inte", c.Params("name"))
	}
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "message/rfc822")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+c.Params("name")+`"`)
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	return c.Send(data)
}
