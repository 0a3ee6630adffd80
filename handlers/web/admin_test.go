package web_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/demo"
	"github.com/kommun/beslutsgang/workflow"
)

func TestAdminOnlyForAdmins(t *testing.T) {
	s, b := loggedIn(t, "sekreterare@kommun.example")
	for _, path := range []string{"/admin/users", "/admin/users/new", "/admin/users/1", "/admin/boards"} {
		if p := b.Get(path); p.Status != http.StatusForbidden {
			t.Errorf("GET %s as secretary: %d, want 403", path, p.Status)
		}
	}
	b.Get("/")
	before := s.Fingerprint()
	if p := b.Post("/admin/boards", url.Values{"code": {"GN"}, "name": {"Grundskolenämnden"}}); p.Status != http.StatusForbidden {
		t.Errorf("POST /admin/boards as secretary: %d, want 403", p.Status)
	}
	s.Unchanged(before)
}

func TestAdminNewUserInvalid(t *testing.T) {
	s, b := loggedIn(t, "admin@kommun.example")
	b.Get("/admin/users/new")
	before := s.Fingerprint()
	p := b.Post("/admin/users", url.Values{"email": {"inte-en-adress"}, "name": {"Nils Nyberg"}, "title": {"Utredare"},
		"password": {"kort"}, "grant": {"ASN:officer"}})
	if p.Status != http.StatusUnprocessableEntity {
		t.Fatalf("invalid user: %d", p.Status)
	}
	if p.FieldError("email") == "" || !strings.Contains(p.FieldError("password"), "minst 10 tecken") {
		t.Errorf("messages: email %q, password %q", p.FieldError("email"), p.FieldError("password"))
	}
	if v, _ := p.InputValue("name"); v != "Nils Nyberg" {
		t.Errorf("the name was not kept: %q", v)
	}
	p.Has(t, `value="ASN:officer" checked`)
	if v, _ := p.InputValue("password"); v != "" {
		t.Error("the password is sent back in the page")
	}

	p = b.Post("/admin/users", url.Values{"email": {"handlaggare@kommun.example"}, "name": {"Dubblett"},
		"password": {"ett långt lösenord"}})
	if p.Status != http.StatusConflict || !strings.Contains(p.FieldError("email"), "finns redan") {
		t.Errorf("taken e-mail: %d, message %q", p.Status, p.FieldError("email"))
	}
	s.Unchanged(before)

	p = b.Post("/admin/users", url.Values{"email": {"nils@kommun.example"}, "name": {"Nils Nyberg"},
		"password": {"ett långt lösenord"}, "grant": {"ASN:officer", "KS:approver"}})
	if p.Status != http.StatusSeeOther {
		t.Fatalf("valid user: %d\n%s", p.Status, p.Body)
	}
	u, err := s.Store.UserByEmail(context.Background(), "nils@kommun.example")
	if err != nil || !u.Has("ASN", workflow.RoleOfficer) || !u.Has("KS", workflow.RoleApprover) || u.Has("KS", workflow.RoleOfficer) {
		t.Errorf("the new user: %+v, %v", u, err)
	}
}

func TestAdminUserRolesAndActive(t *testing.T) {
	s, b := loggedIn(t, "admin@kommun.example")
	ctx := context.Background()
	admin, _ := s.Store.UserByEmail(ctx, "admin@kommun.example")
	officer, _ := s.Store.UserByEmail(ctx, "handlaggare@kommun.example")
	self, other := "/admin/users/"+itoa(admin.ID), "/admin/users/"+itoa(officer.ID)

	b.Get(self)
	before := s.Fingerprint()
	if p := b.Post(self+"/active", url.Values{"active": {"0"}}); p.Status != http.StatusConflict {
		t.Errorf("deactivating oneself: %d, want 409", p.Status)
	}
	if p := b.Post(self+"/roles", url.Values{"grant": {"ASN:officer"}}); p.Status != http.StatusConflict {
		t.Errorf("removing one's own admin role: %d, want 409", p.Status)
	} else {
		p.Has(t, "egen administratörsroll", `value="ASN:officer" checked`)
	}
	if p := b.Post(other+"/roles", url.Values{"grant": {"XX:officer"}}); p.Status != http.StatusUnprocessableEntity {
		t.Errorf("a role on a board that does not exist: %d, want 422", p.Status)
	}
	if p := b.Post(other+"/password", url.Values{"password": {"kort"}}); p.Status != http.StatusUnprocessableEntity {
		t.Errorf("a short password: %d, want 422", p.Status)
	} else if !strings.Contains(p.FieldError("password"), "minst 10 tecken") {
		t.Errorf("message beside password: %q", p.FieldError("password"))
	}
	if p := b.Post(other+"/active", url.Values{"active": {"7"}}); p.Status != http.StatusUnprocessableEntity {
		t.Errorf("active=7: %d, want 422 (it deactivated)", p.Status)
	}
	if p := b.Get("/admin/users/999999"); p.Status != http.StatusNotFound {
		t.Errorf("a user that does not exist: %d", p.Status)
	}
	s.Unchanged(before)

	if p := b.Post(other+"/roles", url.Values{"grant": {"ASN:officer", "ASN:secretary"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("set roles: %d", p.Status)
	}
	if p := b.Post(other+"/active", url.Values{"active": {"0"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("deactivate: %d", p.Status)
	}
	u, _ := s.Store.User(ctx, officer.ID)
	want := []workflow.Grant{{Board: "ASN", Role: workflow.RoleOfficer}, {Board: "ASN", Role: workflow.RoleSecretary}}
	if u.Active || !slices.Equal(u.Grants, want) {
		t.Errorf("after the changes: %+v", u)
	}
	if p := b.Get("/admin/users"); !strings.Contains(p.Body, "Inaktiverad") {
		t.Error("the user list does not show the deactivated user")
	}
	// The account's page lists the changes, newest first, by whom; a new
	// password is noted, never shown.
	const password = "ett nytt långt lösenord"
	b.Get(other)
	if p := b.Post(other+"/password", url.Values{"password": {password}}); p.Status != http.StatusSeeOther {
		t.Fatalf("password: %d", p.Status)
	}
	page := b.Get(other)
	page.Has(t, "Ändringar av kontot", "Lösenordet satt", "Inaktiverat", "till handläggare i ASN, nämndsekreterare i ASN",
		"Rollerna ändrade från", admin.Name, "Kontot skapat med rollerna")
	page.HasNot(t, password)
	if i, j := strings.Index(page.Body, "Lösenordet satt"), strings.Index(page.Body, "Rollerna ändrade"); i < 0 || j < i {
		t.Error("the changes are not newest first")
	}
}

func TestAdminBoardsInvalid(t *testing.T) {
	s, b := loggedIn(t, "admin@kommun.example")
	b.Get("/admin/boards")
	before := s.Fingerprint()
	p := b.Post("/admin/boards", url.Values{"code": {"gn"}, "name": {""}})
	if p.Status != http.StatusUnprocessableEntity || p.FieldError("board_code") == "" || p.FieldError("board_name") == "" {
		t.Errorf("invalid board: %d, messages %q %q", p.Status, p.FieldError("board_code"), p.FieldError("board_name"))
	}
	if v, _ := p.InputValue("board_code"); v != "gn" {
		t.Errorf("the code was not kept: %q", v)
	}
	p = b.Post("/admin/boards", url.Values{"code": {"ASN"}, "name": {"Igen"}})
	if p.Status != http.StatusConflict || !strings.Contains(p.FieldError("board_code"), "finns redan") {
		t.Errorf("taken board code: %d %q", p.Status, p.FieldError("board_code"))
	}
	p = b.Post("/admin/bodies", url.Values{"code": {"ASN-X"}, "name": {"X"}, "kind": {"board"}, "board": {"ASN"}, "notice_days": {"fem"}})
	if p.Status != http.StatusUnprocessableEntity || p.FieldError("body_notice_days") == "" {
		t.Errorf("notice days not a number: %d %q", p.Status, p.FieldError("body_notice_days"))
	}
	p = b.Post("/admin/bodies", url.Values{"code": {"ASN-X"}, "name": {"X"}, "kind": {"senate"}, "board": {"ASN"}})
	if p.Status != http.StatusUnprocessableEntity || p.FieldError("body_kind") == "" {
		t.Errorf("unknown kind: %d %q", p.Status, p.FieldError("body_kind"))
	}
	s.Unchanged(before)

	if p := b.Post("/admin/boards", url.Values{"code": {"GN"}, "name": {"Grundskolenämnden"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("new board: %d", p.Status)
	}
	if p := b.Post("/admin/bodies", url.Values{"code": {"GN-AU"}, "name": {"GN arbetsutskott"}, "kind": {"working_committee"}, "board": {"GN"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("new body: %d", p.Status)
	}
	b.Get("/admin/boards").Has(t, "Grundskolenämnden", "GN arbetsutskott")
}

// An administrator of KS manages KS's people only: a role on ASN would open
// ASN's secret cases, so granting one, or resetting the password of someone
// with one, is refused and changes nothing. (Found trying the service as a
// KS administrator.)
func TestAdminOfOneBoardOnly(t *testing.T) {
	ctx := context.Background()
	s := newSite(t)
	ksAdmin, err := s.Store.SeedUser(ctx, db.NewUser{Email: "ks.admin@kommun.example", Name: "Kim Admin", Password: demo.Password,
		Grants: []workflow.Grant{{Board: "KS", Role: workflow.RoleAdmin}}})
	if err != nil {
		t.Fatal(err)
	}
	officer, _ := s.Store.UserByEmail(ctx, "handlaggare@kommun.example") // ASN and KS
	b := s.Browser()
	b.Login("ks.admin@kommun.example")
	self, other := "/admin/users/"+itoa(ksAdmin.ID), "/admin/users/"+itoa(officer.ID)
	b.Get(self)
	before := s.Fingerprint()
	for path, form := range map[string]url.Values{
		self + "/roles":     {"grant": {"KS:admin", "ASN:officer"}},
		other + "/password": {"password": {"ett långt lösenord"}},
		other + "/active":   {"active": {"0"}},
		"/admin/users":      {"email": {"ny@kommun.example"}, "name": {"Ny"}, "password": {"ett långt lösenord"}, "grant": {"ASN:secretary"}},
	} {
		if p := b.Post(path, form); p.Status != http.StatusForbidden || !strings.Contains(p.Body, "ASN") {
			t.Errorf("%s by an administrator of KS only: %d", path, p.Status)
		}
	}
	s.Unchanged(before)
	// Within KS it works.
	if p := b.Post(self+"/roles", url.Values{"grant": {"KS:admin", "KS:officer"}}); p.Status != http.StatusSeeOther {
		t.Errorf("a KS role by the KS administrator: %d", p.Status)
	}
}
