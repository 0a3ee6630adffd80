package httpx

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/workflow"
)

// RequireToken lets a request through only with a valid bearer token.
func (s *Server) RequireToken(c *fiber.Ctx) error {
	if err := s.Authenticate(c); err != nil {
		return err
	}
	return c.Next()
}

// BearerToken is the token of the request's Authorization: Bearer header
// (RFC 6750 2.1), or "" without one. The scheme's name is case-insensitive
// (RFC 9110 11.1): "bearer" and "BEARER" too. Every reader of the header
// goes through here, so the token a logout revokes is the one that
// authenticated it.
func BearerToken(c *fiber.Ctx) string {
	scheme, token, _ := strings.Cut(strings.TrimSpace(c.Get(fiber.HeaderAuthorization)), " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(token)
}

// Authenticate finds the user of the request's bearer token and sets it as
// the CurrentUser; without a valid token it is 401 with WWW-Authenticate.
func (s *Server) Authenticate(c *fiber.Ctx) error {
	token := BearerToken(c)
	if token == "" {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="beslutsgang"`)
		return workflow.Errorf(workflow.EUNAUTHORIZED, "Logga in med POST /api/v1/sessions och skicka token i Authorization: Bearer …")
	}
	u, err := s.Store.UserByToken(c.UserContext(), token)
	if err != nil {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="beslutsgang", error="invalid_token"`)
		return err
	}
	c.Locals(UserKey, u)
	return nil
}

// Login checks a password within the login limits (see limiter): while one
// is reached, the answer is 429 with Retry-After, whatever the password.
func (s *Server) Login(c *fiber.Ctx, email, password string) (workflow.User, error) {
	ctx := c.UserContext()
	acct, addr := strings.ToLower(strings.TrimSpace(email)), c.IP()
	attempt, wait, err := s.logins.begin(ctx, acct, addr)
	if err != nil {
		return workflow.User{}, err
	}
	if wait > 0 {
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(math.Ceil(wait.Seconds()))))
		return workflow.User{}, fiber.NewError(fiber.StatusTooManyRequests,
			"För många misslyckade inloggningar. Försök igen om "+minutes(wait)+".")
	}
	u, err := s.Store.CheckPassword(ctx, email, password)
	judged := err == nil || workflow.ErrorCode(err) == workflow.EUNAUTHORIZED
	if endErr := s.logins.end(ctx, attempt, acct, addr, judged, err == nil); endErr != nil {
		// A pending row left behind counts as a failure until it leaves the
		// window: on the safe side, and no reason to refuse a right password.
		Log(c).Error("recording the end of a login attempt", "err", endErr)
	}
	return u, err
}

// minutes says a wait in whole minutes, rounded up, in Swedish.
func minutes(d time.Duration) string {
	if n := int(math.Ceil(d.Minutes())); n != 1 {
		return strconv.Itoa(n) + " minuter"
	}
	return "1 minut"
}
