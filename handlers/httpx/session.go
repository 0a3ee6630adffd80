package httpx

import (
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/csrf"
	"github.com/gofiber/fiber/v2/middleware/session"
	"github.com/kommun/beslutsgang/workflow"
)

// sessionIdle is how long a browser session lives without a request; each
// page view extends it. Sessions are rows in the database, so a restart of
// the service logs nobody out.
const sessionIdle = 12 * time.Hour

// sessionUserKey is the session value holding the logged-in user's id.
const sessionUserKey = "uid"

// sessionCookie names the session cookie.
const sessionCookie = "beslutsgang_session"

// Sessions are the browser sessions of the pages: a cookie naming a row in
// the database (db.Store.Sessions), which holds the logged-in user, the CSRF
// token and the notice an action left.
type Sessions struct {
	srv    *Server
	store  *session.Store
	secure bool // cookies only over HTTPS: the service is reached through TLS
}

// NewSessions are the sessions over s's store; their cookies are Secure when
// the service's BaseURL is https.
func NewSessions(s *Server) *Sessions {
	secure := strings.HasPrefix(strings.ToLower(s.Config.BaseURL), "https://")
	store := session.New(session.Config{
		Expiration:     sessionIdle,
		Storage:        s.Store.Sessions(),
		KeyLookup:      "cookie:" + sessionCookie,
		CookieHTTPOnly: true,
		CookieSameSite: "Lax",
		CookieSecure:   secure,
		CookiePath:     "/",
	})
	// Sessions written before release 12 hold Fiber's csrf.Token (under
	// oldCSRFKey), which gob must know to read them: unknown, every page of
	// such a session was a 500 until it expired.
	store.RegisterType(csrf.Token{})
	return &Sessions{srv: s, secure: secure, store: store}
}

// oldCSRFKey is where Fiber's csrf middleware kept its token in a session;
// a login drops it.
const oldCSRFKey = "fiber.csrf.token"

// Get is the request's session, a new one if it has none.
func (ss *Sessions) Get(c *fiber.Ctx) (*session.Session, error) { return ss.store.Get(c) }

// Load is the middleware that finds who is logged in and sets CurrentUser.
// A session whose user has been deactivated or removed counts as logged out.
func (ss *Sessions) Load(c *fiber.Ctx) error {
	// Pages show personal work lists: keep them out of shared caches and the
	// back button after logout.
	c.Set(fiber.HeaderCacheControl, "no-store")
	sess, err := ss.store.Get(c)
	if err != nil {
		return err
	}
	c.Locals(SessionKey, sess) // for the notice an action left (TakeFlash)
	if id, ok := sess.Get(sessionUserKey).(int64); ok {
		u, err := ss.srv.Store.User(c.UserContext(), id)
		switch {
		case err == nil && u.Active:
			c.Locals(UserKey, u)
		case err != nil && workflow.ErrorCode(err) != workflow.ENOTFOUND:
			return err
		}
	}
	return c.Next()
}

// RequireLogin sends a visitor who is not logged in to the login page, and
// back here afterwards.
func RequireLogin(c *fiber.Ctx) error {
	if CurrentUser(c).ID != 0 {
		return c.Next()
	}
	return c.Redirect("/login?next="+url.QueryEscape(c.OriginalURL()), fiber.StatusSeeOther)
}

// RequireAdmin lets only administrators through to the pages of the
// administration.
func RequireAdmin(c *fiber.Ctx) error {
	if !CurrentUser(c).HasAnywhere(workflow.RoleAdmin) {
		return workflow.Errorf(workflow.EFORBIDDEN, "Administrationen är till för administratörer")
	}
	return c.Next()
}

// Start logs u in under a new session id, so an id planted before the
// login is worth nothing after it.
func (ss *Sessions) Start(c *fiber.Ctx, u workflow.User) error {
	sess, err := ss.store.Get(c)
	if err != nil {
		return err
	}
	if err := sess.Regenerate(); err != nil {
		return err
	}
	// A new token for the new session (CSRFGuard), made here so that pages
	// opened at once after the login share it: made by each of them, only
	// the last one saved would be kept.
	newCSRFToken(sess)
	sess.Delete(oldCSRFKey)
	sess.Set(sessionUserKey, u.ID)
	if err := sess.Save(); err != nil {
		return err
	}
	// Now and then is often enough to clear out sessions nobody came back to.
	if _, err := ss.srv.Store.Sessions().DeleteExpired(c.UserContext()); err != nil {
		ss.srv.Config.Log.Warn("removing expired sessions", "err", err)
	}
	return nil
}

// End logs out: the session row goes, and the cookie with it.
func (ss *Sessions) End(c *fiber.Ctx) error {
	sess, err := ss.store.Get(c)
	if err != nil {
		return err
	}
	return sess.Destroy()
}
