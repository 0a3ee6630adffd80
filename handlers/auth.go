package handlers

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/workflow"
)

const userKey = "user"

// currentUser is the logged-in user set by the auth middleware.
func currentUser(c *fiber.Ctx) workflow.User {
	u, _ := c.Locals(userKey).(workflow.User)
	return u
}

// requireToken lets a request through only with a valid bearer token.
func (s *Server) requireToken(c *fiber.Ctx) error {
	if err := s.authenticate(c); err != nil {
		return err
	}
	return c.Next()
}

// authenticate finds the user of the request's bearer token.
func (s *Server) authenticate(c *fiber.Ctx) error {
	h := c.Get(fiber.HeaderAuthorization)
	token, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || strings.TrimSpace(token) == "" {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="beslutsgang"`)
		return workflow.Errorf(workflow.EUNAUTHORIZED, "Logga in med POST /api/v1/sessions och skicka token i Authorization: Bearer …")
	}
	u, err := s.store.UserByToken(c.UserContext(), strings.TrimSpace(token))
	if err != nil {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="beslutsgang", error="invalid_token"`)
		return err
	}
	c.Locals(userKey, u)
	return nil
}

type loginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

// login checks a password, within the attempt limits per account and per address.
func (s *Server) login(c *fiber.Ctx, email, password string) (workflow.User, error) {
	acct, addr := "acct:"+strings.ToLower(strings.TrimSpace(email)), "addr:"+c.IP()
	if blocked, wait := s.logins.blocked(acct, addr); blocked {
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(math.Ceil(wait.Seconds()))))
		return workflow.User{}, fiber.NewError(fiber.StatusTooManyRequests,
			fmt.Sprintf("För många misslyckade inloggningar. Försök igen om %d minuter.", int(math.Ceil(wait.Minutes()))))
	}
	u, err := s.store.CheckPassword(c.UserContext(), email, password)
	if err != nil {
		if workflow.ErrorCode(err) == workflow.EUNAUTHORIZED {
			s.logins.fail(acct, addr)
		}
		return u, err
	}
	s.logins.reset(acct)
	return u, nil
}

// createSession is POST /api/v1/sessions: e-mail and password for a bearer token.
func (s *Server) createSession(c *fiber.Ctx) error {
	var req loginRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	u, err := s.login(c, req.Email, req.Password)
	if err != nil {
		return err
	}
	token, err := s.store.CreateToken(c.UserContext(), u.ID)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"token": token, "user": u})
}

// deleteSession is DELETE /api/v1/sessions: revokes the token used.
func (s *Server) deleteSession(c *fiber.Ctx) error {
	token := strings.TrimSpace(strings.TrimPrefix(c.Get(fiber.HeaderAuthorization), "Bearer "))
	if err := s.store.RevokeToken(c.UserContext(), token); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
