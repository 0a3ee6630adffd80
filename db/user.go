package db

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/kommun/beslutsgang/workflow"
	"golang.org/x/crypto/bcrypt"
)

// BcryptCost is the work factor for new password hashes; tests lower it.
var BcryptCost = bcrypt.DefaultCost

// MinPasswordLength is the shortest password accepted (the demo's "demo" is set
// directly, not through this check).
const MinPasswordLength = 10

// NewUser is what creating a user takes.
type NewUser struct {
	Email    string
	Name     string
	Title    string
	Password string
	Grants   []workflow.Grant
}

// CreateUser adds a user with a password and roles.
func (s *Store) CreateUser(ctx context.Context, nu NewUser) (workflow.User, error) {
	return s.createUser(ctx, nu, true)
}

// SeedUser creates a user without the password policy, for demo data whose
// password is published anyway.
func (s *Store) SeedUser(ctx context.Context, nu NewUser) (workflow.User, error) {
	return s.createUser(ctx, nu, false)
}

func (s *Store) createUser(ctx context.Context, nu NewUser, checkPassword bool) (workflow.User, error) {
	nu.Email, nu.Name, nu.Title = strings.TrimSpace(nu.Email), strings.TrimSpace(nu.Name), strings.TrimSpace(nu.Title)
	var p workflow.Problems
	if e, err := workflow.CheckEmail(nu.Email); err != nil {
		p.Add("email", "%s", err)
	} else {
		nu.Email = e
	}
	if workflow.Blank(nu.Name) {
		p.Add("name", "Ange namn")
	}
	if checkPassword && len([]rune(nu.Password)) < MinPasswordLength {
		p.Add("password", "Lösenordet ska ha minst %d tecken", MinPasswordLength)
	}
	for _, g := range nu.Grants {
		if !g.Role.Valid() {
			p.Add("roles", "Okänd roll %q", g.Role)
		}
	}
	if err := p.Err(); err != nil {
		return workflow.User{}, err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(nu.Password), BcryptCost)
	if err != nil {
		return workflow.User{}, workflow.Errorf(workflow.EINVALID, "Lösenordet kan inte användas: %v", err)
	}
	var id int64
	err = s.usersTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO users(email, name, title, password_hash, created_at) VALUES (?,?,?,?,?) RETURNING id`,
			nu.Email, nu.Name, nu.Title, string(hash), fmtTime(s.now())).Scan(&id)
		if isUnique(err) {
			return workflow.Errorf(workflow.ECONFLICT, "Det finns redan en användare med e-postadressen %s", nu.Email)
		}
		if err != nil {
			return err
		}
		roles, err := setGrants(ctx, tx, id, nu.Grants)
		if err != nil {
			return err
		}
		return auditUser(ctx, tx, id, s.now(), AuditCreate, auditDetails{Roles: roles})
	})
	if err != nil {
		return workflow.User{}, err
	}
	return s.User(ctx, id)
}

// setGrants replaces a user's roles in tx and returns them as stored (in
// grantsOf's order, without repeats), for the audit record.
func setGrants(ctx context.Context, tx *sql.Tx, userID int64, grants []workflow.Grant) ([]workflow.Grant, error) {
	if _, err := tx.ExecContext(ctx, `DELETE FROM user_roles WHERE user_id = ?`, userID); err != nil {
		return nil, err
	}
	for _, g := range grants {
		board, err := boardByCode(ctx, tx, g.Board)
		if err != nil {
			return nil, workflow.Errorf(workflow.EINVALID, "Nämnden %q finns inte", g.Board)
		}
		if !g.Role.Valid() {
			return nil, workflow.Errorf(workflow.EINVALID, "Okänd roll %q", g.Role)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO user_roles(user_id, board_id, role) VALUES (?,?,?) ON CONFLICT DO NOTHING`, userID, board.ID, g.Role); err != nil {
			return nil, err
		}
	}
	return grantsOf(ctx, tx, userID)
}

// SetGrants replaces a user's roles, and records the change (UserAudit)
// when there is one, by the actor ctx carries (ByActor). Errors: ENOTFOUND
// for no such user, EINVALID for an unknown board or role.
func (s *Store) SetGrants(ctx context.Context, userID int64, grants []workflow.Grant) error {
	return s.usersTx(ctx, func(tx *sql.Tx) error {
		u, err := userByID(ctx, tx, userID)
		if err != nil {
			return err
		}
		roles, err := setGrants(ctx, tx, userID, grants)
		if err != nil || slices.Equal(roles, u.Grants) {
			return err
		}
		return auditUser(ctx, tx, userID, s.now(), AuditGrants, auditDetails{Roles: roles, PreviousRoles: u.Grants})
	})
}

// SetActive activates or deactivates a user; a deactivated user cannot log in
// and their tokens and sessions stop working. A change is recorded
// (UserAudit). Errors: ENOTFOUND for no such user.
func (s *Store) SetActive(ctx context.Context, userID int64, active bool) error {
	return s.usersTx(ctx, func(tx *sql.Tx) error {
		u, err := userByID(ctx, tx, userID)
		if err != nil || u.Active == active {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET active = ? WHERE id = ?`, active, userID); err != nil {
			return err
		}
		action := AuditDeactivate
		if active {
			action = AuditActivate
		}
		return auditUser(ctx, tx, userID, s.now(), action, auditDetails{})
	})
}

// SetPassword replaces a user's password, and records that it was set
// (UserAudit; never the password). Errors: EINVALID for a password shorter
// than MinPasswordLength, ENOTFOUND for no such user.
func (s *Store) SetPassword(ctx context.Context, userID int64, password string) error {
	if len([]rune(password)) < MinPasswordLength {
		return &workflow.Error{Code: workflow.EINVALID, Message: "Uppgifterna behöver rättas",
			Fields: []workflow.FieldError{{Field: "password", Message: "Lösenordet ska ha minst 10 tecken"}}}
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), BcryptCost)
	if err != nil {
		return err
	}
	return s.usersTx(ctx, func(tx *sql.Tx) error {
		if _, err := userByID(ctx, tx, userID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ? WHERE id = ?`, string(hash), userID); err != nil {
			return err
		}
		return auditUser(ctx, tx, userID, s.now(), AuditPassword, auditDetails{})
	})
}

// ErrBadLogin is returned for a wrong e-mail or password, without saying which.
var ErrBadLogin = workflow.Errorf(workflow.EUNAUTHORIZED, "Fel e-postadress eller lösenord")

// dummyHash makes a login for an unknown e-mail cost as much as a real one, so
// response time does not tell which addresses exist.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("not a password"), bcrypt.DefaultCost)

// CheckPassword returns the active user with this e-mail and password.
func (s *Store) CheckPassword(ctx context.Context, email, password string) (workflow.User, error) {
	var id int64
	var hash string
	var active bool
	typed, stored := loginForms(email)
	err := s.r.QueryRowContext(ctx, `SELECT id, password_hash, active FROM users WHERE email IN (?, ?)`, stored, typed).Scan(&id, &hash, &active)
	if errors.Is(err, sql.ErrNoRows) {
		bcrypt.CompareHashAndPassword(dummyHash, []byte(password))
		return workflow.User{}, ErrBadLogin
	}
	if err != nil {
		return workflow.User{}, err
	}
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) != nil || !active {
		return workflow.User{}, ErrBadLogin
	}
	return s.User(ctx, id)
}

// User finds a user by id. A user read in the last userCacheTTL is reused.
func (s *Store) User(ctx context.Context, id int64) (workflow.User, error) {
	if u, ok := s.authCache.user(id); ok {
		return u, nil
	}
	gen := s.authCache.generation()
	u, err := userByID(ctx, s.r, id)
	if err == nil {
		s.authCache.putUser(u, gen)
	}
	return u, err
}

// UserByEmail finds a user by e-mail, ignoring case.
func (s *Store) UserByEmail(ctx context.Context, email string) (workflow.User, error) {
	return userByEmail(ctx, s.r, email)
}

func userByEmail(ctx context.Context, q queryer, email string) (workflow.User, error) {
	var id int64
	email, stored := loginForms(email)
	err := q.QueryRowContext(ctx, `SELECT id FROM users WHERE email IN (?, ?)`, stored, email).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return workflow.User{}, notFound("Det finns ingen användare med e-postadressen %s", email)
	}
	if err != nil {
		return workflow.User{}, err
	}
	return userByID(ctx, q, id)
}

func userByID(ctx context.Context, q queryer, id int64) (workflow.User, error) {
	var u workflow.User
	err := q.QueryRowContext(ctx, `SELECT id, email, name, title, active FROM users WHERE id = ?`, id).
		Scan(&u.ID, &u.Email, &u.Name, &u.Title, &u.Active)
	if errors.Is(err, sql.ErrNoRows) {
		return u, notFound("Användaren finns inte")
	}
	if err != nil {
		return u, err
	}
	u.Grants, err = grantsOf(ctx, q, id)
	return u, err
}

func grantsOf(ctx context.Context, q queryer, userID int64) ([]workflow.Grant, error) {
	rows, err := q.QueryContext(ctx, `SELECT boards.code, user_roles.role FROM user_roles
		JOIN boards ON boards.id = user_roles.board_id WHERE user_id = ? ORDER BY boards.code, role`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []workflow.Grant
	for rows.Next() {
		var g workflow.Grant
		if err := rows.Scan(&g.Board, &g.Role); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// Users lists every user by name.
func (s *Store) Users(ctx context.Context) ([]workflow.User, error) {
	all, err := ids(ctx, s.r, `SELECT id FROM users ORDER BY name, id`)
	if err != nil {
		return nil, err
	}
	out := make([]workflow.User, 0, len(all))
	for _, id := range all {
		u, err := s.User(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, nil
}

// staff lists the active users holding role on a board, by id; read from
// the board's end of user_roles (index user_roles_board), in its order.
func staff(ctx context.Context, q queryer, boardCode string, role workflow.Role) ([]workflow.Person, error) {
	rows, err := q.QueryContext(ctx, `SELECT users.id, users.name, users.email, users.title FROM users
		JOIN user_roles ON user_roles.user_id = users.id JOIN boards ON boards.id = user_roles.board_id
		WHERE boards.code = ? AND user_roles.role = ? AND users.active ORDER BY user_roles.user_id`, boardCode, role)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []workflow.Person
	for rows.Next() {
		var p workflow.Person
		if err := rows.Scan(&p.ID, &p.Name, &p.Email, &p.Title); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Staff lists the active users holding role on a board.
func (s *Store) Staff(ctx context.Context, boardCode string, role workflow.Role) ([]workflow.Person, error) {
	return staff(ctx, s.r, boardCode, role)
}

// TokenTTL is how long an API token lives.
const TokenTTL = 30 * 24 * time.Hour

// CreateToken issues a bearer token for a user; only its hash is stored.
func (s *Store) CreateToken(ctx context.Context, userID int64) (string, error) {
	raw := make([]byte, 32)
	rand.Read(raw)
	token := "bg_" + hex.EncodeToString(raw)
	now := s.now()
	err := s.tokensTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO api_tokens(user_id, token_hash, created_at, expires_at) VALUES (?,?,?,?)`,
			userID, hashToken(token), fmtTime(now), fmtTime(now.Add(TokenTTL)))
		return err
	})
	return token, err
}

// UserByToken returns the active user a bearer token belongs to.
func (s *Store) UserByToken(ctx context.Context, token string) (workflow.User, error) {
	hash, now := hashToken(token), fmtTime(s.now())
	bad := workflow.Errorf(workflow.EUNAUTHORIZED, "Ogiltig eller utgången token; logga in igen")
	if t, ok := s.authCache.token(hash); ok {
		if t.expires <= now {
			return workflow.User{}, bad
		}
		if u, err := s.User(ctx, t.userID); err != nil || !u.Active {
			return workflow.User{}, bad
		} else {
			return u, nil
		}
	}
	var id int64
	var expires string
	gen := s.authCache.generation()
	err := s.r.QueryRowContext(ctx, `SELECT user_id, expires_at FROM api_tokens JOIN users ON users.id = api_tokens.user_id
		WHERE token_hash = ? AND expires_at > ? AND users.active`, hash, now).Scan(&id, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return workflow.User{}, bad
	}
	if err != nil {
		return workflow.User{}, err
	}
	s.authCache.putToken(hash, id, expires, gen)
	return s.User(ctx, id)
}

// RevokeToken deletes a token (logout).
func (s *Store) RevokeToken(ctx context.Context, token string) error {
	return s.tokensTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM api_tokens WHERE token_hash = ?`, hashToken(token))
		return err
	})
}

func hashToken(t string) string {
	sum := sha256.Sum256([]byte(t))
	return hex.EncodeToString(sum[:])
}

// loginForms is an address as typed (trimmed) and in the form users are
// stored in (workflow.CheckEmail: the domain in lower-case Unicode, so
// "Anna@ÅKERÖ.se" and "anna@xn--ker-tla2g.se" find "anna@åkerö.se"); rows
// from before that rule are found as typed.
func loginForms(email string) (typed, stored string) {
	typed = strings.TrimSpace(email)
	stored = typed
	if e, err := workflow.CheckEmail(typed); err == nil {
		stored = e
	}
	return typed, stored
}

// tokensTx is usersTx for the API tokens alone: bookkeeping
// (txBookkeeping), which no page the list cache keeps reads, so a login
// through the API leaves that cache; the cache of authenticated users is
// emptied as usersTx empties it.
func (s *Store) tokensTx(ctx context.Context, fn func(*sql.Tx) error) error {
	defer s.authCache.clear()
	return s.txBookkeeping(ctx, fn)
}

// usersTx is tx for a change of users or roles: the cache of
// authenticated users is emptied once it has committed (or failed).
func (s *Store) usersTx(ctx context.Context, fn func(*sql.Tx) error) error {
	defer s.authCache.clear()
	return s.tx(ctx, fn)
}
