package httpx

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// KeptText is one text a refused form carried, shown back on the error page
// so that nothing typed is lost: a form posted after its security code
// expired (a page left open while the session was renewed elsewhere) is
// refused before any handler reads it, and the page it came from is gone.
type KeptText struct {
	Label string
	Text  string
}

// keptTextKey is where the CSRF guard leaves the texts for the error page.
type keptTextKey struct{}

// keptFields are the form fields whose text is shown back, in the order the
// forms have them, with their labels: the texts people write. Choices,
// versions, addresses, hidden notes and passwords are never among them.
var keptFields = []struct{ name, label string }{
	{"title", "Rubrik"}, {"summary", "Sammanfattning"}, {"proposals", "Förslag"}, {"background", "Ärendet"},
	{"decision", "Beslutets text"}, {"reason", "Skäl"}, {"text", "Text"}, {"names", "Namn att ta bort"},
}

// keepFormText is the text of a refused form to type again, for a post
// from one of this service's own pages only (most often one whose session
// ended meanwhile, so its poster is no longer logged in): a browser says so
// in Sec-Fetch-Site, or else in an Origin of this host. A post from another
// site gets nothing shown back, so no other site can put its words on this
// one's pages.
func keepFormText(c *fiber.Ctx) []KeptText {
	if !sameOrigin(c) {
		return nil
	}
	values := func(name string) []string {
		if form, err := c.MultipartForm(); err == nil {
			return form.Value[name]
		}
		var out []string
		for _, v := range c.Request().PostArgs().PeekMulti(name) {
			out = append(out, string(v))
		}
		return out
	}
	var out []KeptText
	for _, f := range keptFields {
		for _, v := range values(f.name) {
			if v = strings.TrimSpace(v); v != "" {
				out = append(out, KeptText{Label: f.label, Text: v})
			}
		}
	}
	return out
}

// keptText is what the CSRF guard kept of the refused form, or nil.
func keptText(c *fiber.Ctx) []KeptText {
	k, _ := c.Locals(keptTextKey{}).([]KeptText)
	return k
}

// sameOrigin reports whether a browser sent the request from a page of this
// host (Fetch Metadata, https://www.w3.org/TR/fetch-metadata/; RFC 6454's
// Origin where a browser sends no Sec-Fetch-Site).
func sameOrigin(c *fiber.Ctx) bool {
	if site := c.Get("Sec-Fetch-Site"); site != "" {
		return site == "same-origin"
	}
	o, err := url.Parse(c.Get(fiber.HeaderOrigin))
	return err == nil && o.Host != "" && o.Host == string(c.Request().Host())
}
