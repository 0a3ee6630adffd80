package httpx

import "github.com/gofiber/fiber/v2"

// CSRFKey is where the CSRF middleware leaves the token for the page's forms.
const CSRFKey = "csrf"

// CSRFToken is the token to put in the page's forms.
func CSRFToken(c *fiber.Ctx) string {
	t, _ := c.Locals(CSRFKey).(string)
	return t
}
