package httpx

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/session"
	"github.com/kommun/beslutsgang/workflow"
)

// csrfField is the hidden form field that carries the token.
const csrfField = "_csrf"

// Session values of the guard: the session's token, and when the session
// was last written (Unix seconds).
const (
	csrfTokenKey   = "csrf"
	sessionSeenKey = "seen"
)

// sessionRefresh is how often a page view writes its session: each write
// moves the session's end sessionIdle ahead, so a session read without
// being written ends at most this much before sessionIdle of idleness.
const sessionRefresh = 10 * time.Minute

// CSRFGuard refuses any form post without the token of the poster's session
// (403), and gives the pages that token for their forms (CSRFToken). The
// token is made once per session and kept in it (the synchronizer token
// pattern, OWASP CSRF Prevention Cheat Sheet), so it survives a restart as
// the login does; over HTTPS the Referer must also be this host, which is
// why the Referrer-Policy is same-origin. It runs after Load, whose session
// it reads.
//
// A page view writes nothing: Fiber's csrf middleware, used before, saved
// the session on every request to move the token's expiry, a write to the
// database for each page a logged-in person read (which also emptied the
// search cache). The session is now written when its token is made, and
// at most every sessionRefresh to keep it alive.
func (ss *Sessions) CSRFGuard() fiber.Handler {
	return func(c *fiber.Ctx) error {
		// The safe methods of RFC 9110, 9.2.1 change nothing, so need no token.
		safe := c.Method() == fiber.MethodGet || c.Method() == fiber.MethodHead ||
			c.Method() == fiber.MethodOptions || c.Method() == fiber.MethodTrace
		// An anonymous visitor reading a public page (the diary, the
		// anslagstavla and its feed, a protokoll, a 404) has no form to post
		// and gets no session: a token would write a session row for every
		// such request, a write per crawler hit and feed poll. The login page
		// is the one page with a form for visitors.
		if safe && c.Cookies(sessionCookie) == "" && c.Path() != "/login" {
			return c.Next()
		}
		sess, ok := c.Locals(SessionKey).(*session.Session)
		if !ok || sess == nil {
			var err error
			if sess, err = ss.store.Get(c); err != nil {
				return err
			}
		}
		token, _ := sess.Get(csrfTokenKey).(string)
		if !safe {
			if err := refererOfThisHost(c); err != nil || token == "" ||
				subtle.ConstantTimeCompare([]byte(c.FormValue(csrfField)), []byte(token)) != 1 {
				c.Locals(keptTextKey{}, keepFormText(c))
				return workflow.Errorf(workflow.EFORBIDDEN,
					"Formuläret kunde inte skickas eftersom säkerhetskoden saknas eller har gått ut. Ladda om sidan och försök igen.")
			}
		}
		seen, _ := sess.Get(sessionSeenKey).(int64)
		if now := time.Now(); token == "" || now.Sub(time.Unix(seen, 0)) > sessionRefresh {
			if token == "" {
				token = newCSRFToken(sess)
			}
			sess.Set(sessionSeenKey, now.Unix())
			if err := sess.Save(); err != nil {
				return err
			}
			// Save releases the session: read it again for the page.
			again, err := ss.store.Get(c)
			if err != nil {
				return err
			}
			c.Locals(SessionKey, again)
		}
		c.Locals(CSRFKey, token)
		return c.Next()
	}
}

// newCSRFToken gives sess a new token, 32 random bytes in URL-safe base64,
// and returns it; the caller saves the session.
func newCSRFToken(sess *session.Session) string {
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand)
	token := base64.RawURLEncoding.EncodeToString(b)
	sess.Set(csrfTokenKey, token)
	sess.Set(sessionSeenKey, time.Now().Unix())
	return token
}

// refererOfThisHost checks, over HTTPS, that the Referer names this scheme and host
// (OWASP: verifying origin with standard headers); over plain HTTP (a
// service on loopback or behind a proxy that ends TLS) it says nothing.
func refererOfThisHost(c *fiber.Ctx) error {
	if c.Protocol() != "https" {
		return nil
	}
	referer := strings.ToLower(c.Get(fiber.HeaderReferer))
	if referer == "" {
		return errors.New("no referer")
	}
	u, err := url.Parse(referer)
	if err != nil || u.Scheme+"://"+u.Host != c.Protocol()+"://"+c.Hostname() {
		return errors.New("referer of another origin")
	}
	return nil
}
