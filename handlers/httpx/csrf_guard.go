package httpx

import (
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/csrf"
	"github.com/kommun/beslutsgang/workflow"
)

// csrfField is the hidden form field that carries the token.
const csrfField = "_csrf"

// CSRFGuard refuses any form post without the token of the poster's session
// (403). The token lives in the session, so it survives a restart as the
// login does; over HTTPS the middleware also checks the Referer, which is why
// the Referrer-Policy is same-origin.
func (ss *Sessions) CSRFGuard() fiber.Handler {
	return csrf.New(csrf.Config{
		KeyLookup:      "form:" + csrfField,
		CookieName:     "beslutsgang_csrf",
		CookieHTTPOnly: true,
		CookieSameSite: "Lax",
		CookieSecure:   ss.secure,
		CookiePath:     "/",
		Expiration:     sessionIdle,
		Session:        ss.store,
		ContextKey:     CSRFKey,
		// An anonymous visitor reading a public page (the diary, the
		// anslagstavla and its feed, a protokoll, a 404) has no form to post
		// and gets no session: a token would write a session row for every
		// such request, a write per crawler hit and feed poll. The login page
		// is the one page with a form for visitors.
		Next: func(c *fiber.Ctx) bool {
			safe := c.Method() == fiber.MethodGet || c.Method() == fiber.MethodHead
			return safe && c.Cookies(sessionCookie) == "" && c.Path() != "/login"
		},
		ErrorHandler: func(c *fiber.Ctx, err error) error {
			c.Locals(keptTextKey{}, keepFormText(c))
			return workflow.Errorf(workflow.EFORBIDDEN,
				"Formuläret kunde inte skickas eftersom säkerhetskoden saknas eller har gått ut. Ladda om sidan och försök igen.")
		},
	})
}
