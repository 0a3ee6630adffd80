package handlers

import (
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/session"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/workflow"
)

// sessionIdle is how long a browser session lives without a request; each
// page view extends it. Sessions are rows in the database, so a restart of
// the service logs nobody out.
const sessionIdle = 12 * time.Hour

// sessionUserKey is the session value holding the logged-in user's id.
const sessionUserKey = "uid"

// web is the browser UI: server-rendered pages over the same store as the API.
type web struct {
	*Server
	sessions *session.Store
	secure   bool // cookies only over HTTPS: the service is reached through TLS
}

func newWeb(s *Server) *web {
	secure := strings.HasPrefix(strings.ToLower(s.Config.BaseURL), "https://")
	return &web{Server: s, secure: secure, sessions: session.New(session.Config{
		Expiration:     sessionIdle,
		Storage:        s.Store.Sessions(),
		KeyLookup:      "cookie:beslutsgang_session",
		CookieHTTPOnly: true,
		CookieSameSite: "Lax",
		CookieSecure:   secure,
		CookiePath:     "/",
	})}
}

// loadSession finds who is logged in. A session whose user has been
// deactivated or removed counts as logged out.
func (w *web) loadSession(c *fiber.Ctx) error {
	// Pages show personal work lists: keep them out of shared caches and the
	// back button after logout.
	c.Set(fiber.HeaderCacheControl, "no-store")
	sess, err := w.sessions.Get(c)
	if err != nil {
		return err
	}
	c.Locals(httpx.SessionKey, sess) // for the notice an action left (httpx.TakeFlash)
	if id, ok := sess.Get(sessionUserKey).(int64); ok {
		u, err := w.Store.User(c.UserContext(), id)
		switch {
		case err == nil && u.Active:
			c.Locals(httpx.UserKey, u)
		case err != nil && workflow.ErrorCode(err) != workflow.ENOTFOUND:
			return err
		}
	}
	return c.Next()
}

// requireLogin sends a visitor who is not logged in to the login page, and
// back here afterwards.
func (w *web) requireLogin(c *fiber.Ctx) error {
	if httpx.CurrentUser(c).ID != 0 {
		return c.Next()
	}
	return c.Redirect("/login?next="+url.QueryEscape(c.OriginalURL()), fiber.StatusSeeOther)
}

// requireAdmin lets only administrators through.
func (w *web) requireAdmin(c *fiber.Ctx) error {
	if !httpx.CurrentUser(c).HasAnywhere(workflow.RoleAdmin) {
		return workflow.Errorf(workflow.EFORBIDDEN, "Administrationen är till för administratörer")
	}
	return c.Next()
}

// startSession logs u in under a new session id, so an id planted before the
// login is worth nothing after it.
func (w *web) startSession(c *fiber.Ctx, u workflow.User) error {
	sess, err := w.sessions.Get(c)
	if err != nil {
		return err
	}
	if err := sess.Regenerate(); err != nil {
		return err
	}
	sess.Set(sessionUserKey, u.ID)
	if err := sess.Save(); err != nil {
		return err
	}
	// Now and then is often enough to clear out sessions nobody came back to.
	if _, err := w.Store.Sessions().DeleteExpired(c.UserContext()); err != nil {
		w.Config.Log.Warn("removing expired sessions", "err", err)
	}
	return nil
}

// endSession logs out: the session row goes, and the cookie with it.
func (w *web) endSession(c *fiber.Ctx) error {
	sess, err := w.sessions.Get(c)
	if err != nil {
		return err
	}
	return sess.Destroy()
}

// localPath keeps a return address on this site: a plain local path such as
// /cases?stage=board, optionally with a query and a #fragment; anything else
// becomes "/". The rule is strict because browsers are lenient: they drop
// tabs and newlines anywhere in a URL and read a backslash as a slash, so
// "/<TAB>/evil.example" and "/<BACKSLASH>evil.example" both take them to
// //evil.example. A kept path is exactly "/", or starts with "/" followed by
// neither a slash nor a backslash; is valid UTF-8; holds no backslash,
// whitespace, control, format or unassigned character anywhere; and parses
// as a URL without scheme or host.
func localPath(next string) string {
	if next == "/" {
		return next
	}
	if len(next) < 2 || next[0] != '/' || next[1] == '/' || next[1] == '\\' || !utf8.ValidString(next) {
		return "/"
	}
	for _, r := range next {
		// unicode.IsPrint is false for every control, format, separator and
		// unassigned character, and true for the ASCII space alone of the spaces.
		if r == ' ' || r == '\\' || !unicode.IsPrint(r) {
			return "/"
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return "/"
	}
	return next
}
