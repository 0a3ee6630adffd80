package handlers

import (
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/workflow"
)

// web is the browser UI: server-rendered pages over the same store as the API.
type web struct {
	*Server
	sessions *httpx.Sessions
}

func newWeb(s *Server) *web {
	return &web{Server: s, sessions: httpx.NewSessions(s.Server)}
}

// pageInputText refuses, inside the pages' group and so as a page in
// Swedish, the form httpx.CheckInputText found text in that nobody types.
// Nothing of such a request reaches a handler.
func pageInputText(c *fiber.Ctx) error {
	p := httpx.InputTextProblems(c)
	if len(p) == 0 {
		return c.Next()
	}
	// The page's text is the messages themselves, in the words of the labels.
	var msgs []string
	for _, f := range p {
		msgs = append(msgs, strings.Replace(f.Message, fmt.Sprintf("Fältet %q", f.Field), fmt.Sprintf("Fältet ”%s”", fieldLabel(f.Field)), 1))
	}
	return workflow.Errorf(workflow.EINVALID,
		"Formuläret sparades inte: %s. Gå tillbaka, ta bort tecknet och skicka formuläret igen.", strings.Join(msgs, "; "))
}
