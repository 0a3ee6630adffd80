package db

import (
	"context"
	"testing"

	"github.com/kommun/beslutsgang/workflow"
)

// A change of a user through the store shows at once, even to a token or
// user that was just read (and so is in the cache).
func TestUserCacheChangesShowAtOnce(t *testing.T) {
	s := mustOpen(t)
	p := mustOrg(t, s)
	ctx := context.Background()
	token, err := s.CreateToken(ctx, p.officer.ID)
	if err != nil {
		t.Fatal(err)
	}
	u, err := s.UserByToken(ctx, token)
	if err != nil || u.ID != p.officer.ID {
		t.Fatalf("UserByToken = %+v, %v", u, err)
	}
	u.Grants = append(u.Grants[:0], workflow.Grant{Board: "KS", Role: workflow.RoleAdmin}) // the caller's copy only
	if again, _ := s.UserByToken(ctx, token); again.Has("KS", workflow.RoleAdmin) {
		t.Fatalf("a caller's change reached the cache: %+v", again.Grants)
	}

	if err := s.SetGrants(ctx, p.officer.ID, []workflow.Grant{{Board: "ASN", Role: workflow.RoleSecretary}}); err != nil {
		t.Fatal(err)
	}
	if u, _ := s.UserByToken(ctx, token); !u.Has("ASN", workflow.RoleSecretary) || u.Has("ASN", workflow.RoleOfficer) {
		t.Errorf("new roles not seen at once: %+v", u.Grants)
	}

	if err := s.SetActive(ctx, p.officer.ID, false); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UserByToken(ctx, token); workflow.ErrorCode(err) != workflow.EUNAUTHORIZED {
		t.Errorf("deactivated user's token: %v", err)
	}
	if u, _ := s.User(ctx, p.officer.ID); u.Active {
		t.Errorf("deactivated user still active: %+v", u)
	}
	if err := s.SetActive(ctx, p.officer.ID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UserByToken(ctx, token); err != nil {
		t.Fatalf("reactivated: %v", err)
	}
	if err := s.RevokeToken(ctx, token); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UserByToken(ctx, token); workflow.ErrorCode(err) != workflow.EUNAUTHORIZED {
		t.Errorf("revoked token still works: %v", err)
	}
}
