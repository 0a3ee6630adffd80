package httpx

import (
	"maps"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
)

// KeptText is one text a refused form carried, shown back on the error page
// so that nothing typed is lost: a form posted after its security code
// expired (the session's 12 hours idle) is refused before any handler reads
// it, and the page it came from is gone.
type KeptText struct {
	Label string
	Text  string
}

// keptTextKey is where the CSRF guard leaves the texts for the error page.
type keptTextKey struct{}

// keptLabels name the form fields whose text is shown back, as the forms
// label them; another field is "Text".
var keptLabels = map[string]string{
	"title": "Rubrik", "summary": "Sammanfattning", "background": "Ärendet", "proposals": "Förslag",
	"decision": "Beslutets text", "reason": "Skäl", "text": "Text", "names": "Namn att ta bort",
	"note": "Vad ska bevakas?", "place": "Plats", "recipient_name": "Mottagare",
	"recipient_email": "Mottagarens e-post", "approver_position": "Befattning",
}

// keepFormText is the text of a refused form worth typing again: values of
// some length or of more than one word, in the order posted (a file form's
// by field name). Never a
// password, a token or the CSRF field; not a choice (a short word) or a
// number.
func keepFormText(c *fiber.Ctx) []KeptText {
	var out []KeptText
	add := func(name, value string) {
		lower := strings.ToLower(name)
		if name == csrfField || strings.Contains(lower, "password") || strings.Contains(lower, "token") {
			return
		}
		v := strings.TrimSpace(value)
		if utf8.RuneCountInString(v) < 12 && strings.IndexFunc(v, unicode.IsSpace) < 0 {
			return
		}
		label := keptLabels[name]
		if label == "" {
			label = "Text"
		}
		out = append(out, KeptText{Label: label, Text: v})
	}
	if form, err := c.MultipartForm(); err == nil {
		for _, name := range slices.Sorted(maps.Keys(form.Value)) { // a map: in a fixed order
			for _, v := range form.Value[name] {
				add(name, v)
			}
		}
		return out
	}
	c.Request().PostArgs().VisitAll(func(k, v []byte) { add(string(k), string(v)) })
	return out
}

// keptText is what the CSRF guard kept of the refused form, or nil.
func keptText(c *fiber.Ctx) []KeptText {
	k, _ := c.Locals(keptTextKey{}).([]KeptText)
	return k
}
