package db

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/workflow"
)

func TestPasswordsAreHashed(t *testing.T) {
	s := mustOpen(t)
	p := mustOrg(t, s)
	ctx := context.Background()
	var hash string
	rawDB(t, s.Path()).QueryRow(`SELECT password_hash FROM users WHERE id = ?`, p.officer.ID).Scan(&hash)
	if !strings.HasPrefix(hash, "$2") || strings.Contains(hash, "häst") {
		t.Errorf("stored password %q is not a bcrypt hash", hash)
	}
	u, err := s.CheckPassword(ctx, "SARA.LIND@kommun.example", "rätt häst batteri")
	if err != nil || u.ID != p.officer.ID {
		t.Errorf("CheckPassword with the e-mail in capitals = %d, %v", u.ID, err)
	}
	for _, tc := range [][2]string{{p.officer.Email, "fel lösenord här"}, {"ingen@kommun.example", "rätt häst batteri"}, {p.officer.Email, ""}} {
		_, err := s.CheckPassword(ctx, tc[0], tc[1])
		wantCode(t, err, workflow.EUNAUTHORIZED)
		if err != ErrBadLogin {
			t.Errorf("%s: %v; a wrong e-mail and a wrong password must read the same", tc[0], err)
		}
	}
	if err := s.SetActive(ctx, p.officer.ID, false); err != nil {
		t.Fatal(err)
	}
	_, err = s.CheckPassword(ctx, p.officer.Email, "rätt häst batteri")
	wantCode(t, err, workflow.EUNAUTHORIZED)
}

func TestCreateUserRules(t *testing.T) {
	s := mustOpen(t)
	p := mustOrg(t, s)
	ctx := context.Background()
	before := dump(t, s.Path())
	for name, nu := range map[string]NewUser{
		"short password":  {Email: "ny@kommun.example", Name: "Ny", Password: "kort"},
		"bad e-mail":      {Email: "inte en adress", Name: "Ny", Password: "långt nog lösenord"},
		"no name":         {Email: "ny@kommun.example", Password: "långt nog lösenord"},
		"unknown role":    {Email: "ny@kommun.example", Name: "Ny", Password: "långt nog lösenord", Grants: []workflow.Grant{{Board: "ASN", Role: "mayor"}}},
		"unknown board":   {Email: "ny@kommun.example", Name: "Ny", Password: "långt nog lösenord", Grants: []workflow.Grant{{Board: "XYZ", Role: workflow.RoleOfficer}}},
		"taken e-mail":    {Email: p.officer.Email, Name: "Sara igen", Password: "långt nog lösenord"},
		"taken, capitals": {Email: strings.ToUpper(p.officer.Email), Name: "Sara igen", Password: "långt nog lösenord"},
	} {
		if _, err := s.CreateUser(ctx, nu); err == nil {
			t.Errorf("%s: CreateUser succeeded", name)
		} else if c := workflow.ErrorCode(err); c != workflow.EINVALID && c != workflow.ECONFLICT {
			t.Errorf("%s: %v (%s), want a person's error", name, err, c)
		}
	}
	wantUnchanged(t, s, before)
}

func TestTokensAreStoredHashed(t *testing.T) {
	s, clk := mustOpenClock(t)
	p := mustOrg(t, s)
	ctx := context.Background()
	token, err := s.CreateToken(ctx, p.secretary.ID)
	if err != nil {
		t.Fatal(err)
	}
	raw := rawDB(t, s.Path())
	if n := count(t, raw, `SELECT COUNT(*) FROM api_tokens WHERE token_hash = ? OR token_hash LIKE '%' || ? || '%'`, token, token[3:]); n != 0 {
		t.Error("the token is stored as it is")
	}
	if n := count(t, raw, `SELECT COUNT(*) FROM api_tokens WHERE user_id = ?`, p.secretary.ID); n != 1 {
		t.Errorf("%d token rows", n)
	}
	u, err := s.UserByToken(ctx, token)
	if err != nil || u.ID != p.secretary.ID || !u.Has("ASN", workflow.RoleSecretary) {
		t.Fatalf("UserByToken = %+v, %v", u, err)
	}
	_, err = s.UserByToken(ctx, token+"x")
	wantCode(t, err, workflow.EUNAUTHORIZED)
	// Expired after TokenTTL.
	clk.Set(start.Add(TokenTTL + time.Second))
	_, err = s.UserByToken(ctx, token)
	wantCode(t, err, workflow.EUNAUTHORIZED)
	clk.Set(start)
	// A deactivated user's token stops working.
	s.SetActive(ctx, p.secretary.ID, false)
	_, err = s.UserByToken(ctx, token)
	wantCode(t, err, workflow.EUNAUTHORIZED)
	s.SetActive(ctx, p.secretary.ID, true)
	// Revoked is gone.
	if err := s.RevokeToken(ctx, token); err != nil {
		t.Fatal(err)
	}
	_, err = s.UserByToken(ctx, token)
	wantCode(t, err, workflow.EUNAUTHORIZED)
}

// A user registered with an international domain logs in however the
// address is written: as registered, in other letter case, or in punycode.
func TestLoginWithAnInternationalDomain(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	if _, err := s.CreateUser(ctx, NewUser{Email: "Test@ÅKERÖ.se", Name: "Test", Password: "rätt häst batteri"}); err != nil {
		t.Fatal(err)
	}
	for _, email := range []string{"Test@ÅKERÖ.se", "test@Åkerö.se", "TEST@åkerö.se", "test@xn--ker-tla2g.se", " test@åkerö.se "} {
		if _, err := s.CheckPassword(ctx, email, "rätt häst batteri"); err != nil {
			t.Errorf("login as %q: %v", email, err)
		}
	}
	if _, err := s.CheckPassword(ctx, "test@akero.se", "rätt häst batteri"); err == nil {
		t.Error("another domain logged in")
	}
}
