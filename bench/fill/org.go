package fill

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/workflow"
	"golang.org/x/crypto/bcrypt"
)

// The organisation of a generated municipality: its boards with their
// bodies, staff and politicians, made through the store's ordinary methods
// (it is small), and the bench's own logins.

// Bench logins: users holding a role on every board, for the load tool and
// for trying the generated database by hand.
const (
	BenchOfficer   = "lasttest.handlaggare@kommun.example"
	BenchApprover  = "lasttest.chef@kommun.example"
	BenchSecretary = "lasttest.sekreterare@kommun.example"
	// BenchPassword is the bench logins' password.
	BenchPassword = "lasttest-2026"
)

type boardSpec struct {
	code, name string
	weight     int // share of the cases
	secret     int // per mille of its cases that are secret
}

var boardSpecs = []boardSpec{
	{"KS", "Kommunstyrelsen", 8, 5},
	{"ASN", "Arbetsmarknads- och socialnämnden", 14, 120},
	{"FSN", "Förskolenämnden", 6, 30},
	{"GRN", "Grundskolenämnden", 8, 30},
	{"GYVN", "Gymnasie- och vuxenutbildningsnämnden", 6, 20},
	{"KN", "Kulturnämnden", 4, 5},
	{"TN", "Tekniska nämnden", 8, 5},
	{"SBN", "Stadsbyggnadsnämnden", 10, 5},
	{"MN", "Miljönämnden", 6, 10},
	{"FRN", "Fritidsnämnden", 4, 5},
	{"HVN", "Hälsa-, vård- och omsorgsnämnden", 10, 80},
	{"SN", "Servicenämnden", 4, 5},
	{"ÖFN", "Överförmyndarnämnden", 2, 300},
	{"VN", "Valnämnden", 1, 0},
}

// boardInfo is a board as the generator uses it.
type boardInfo struct {
	spec        boardSpec
	board       workflow.Board
	officers    []workflow.User
	approvers   []approver
	secretaries []workflow.User
	chair, vice workflow.User // politicians who justera
	bodies      []*bodyCal    // in route order
}

type approver struct {
	user     workflow.User
	position string
}

// secretary is who runs the board's meetings and dispatches its decisions.
func (b *boardInfo) secretary() workflow.User { return b.secretaries[0] }

// org is the generated municipality.
type org struct {
	boards []*boardInfo
	ks     *boardInfo
	total  int // sum of the boards' weights
}

// makeOrg creates the boards, bodies, people and member lists, at a time
// before every case (the store's clock is moved back while it runs).
func makeOrg(ctx context.Context, s *db.Store, seed uint64, at time.Time) (*org, error) {
	r := rand.New(rand.NewPCG(seed, 0))
	now := s.Now
	s.Now = func() time.Time { return at }
	defer func() { s.Now = now }()
	cost := db.BcryptCost
	db.BcryptCost = bcrypt.MinCost // staff passwords are random and never used
	defer func() { db.BcryptCost = cost }()
	o := &org{}
	seen := map[string]int{}
	newUser := func(name, title string, grants ...workflow.Grant) (workflow.User, error) {
		box := mailbox(name)
		seen[box]++
		if seen[box] > 1 {
			box = fmt.Sprintf("%s.%d", box, seen[box])
		}
		pw := make([]byte, 24)
		for i := range pw {
			pw[i] = byte('a' + r.IntN(26))
		}
		return s.SeedUser(ctx, db.NewUser{Email: box + "@kommun.example", Name: name, Title: title, Password: string(pw), Grants: grants})
	}
	for _, spec := range boardSpecs {
		b, err := s.CreateBoard(ctx, workflow.Board{Code: spec.code, Name: spec.name})
		if err != nil {
			return nil, err
		}
		bi := &boardInfo{spec: spec, board: b}
		o.boards = append(o.boards, bi)
		o.total += spec.weight
		if spec.code == "KS" {
			o.ks = bi
		}
		for range 4 + 2*spec.weight {
			u, err := newUser(person(r), "Handläggare", workflow.Grant{Board: spec.code, Role: workflow.RoleOfficer})
			if err != nil {
				return nil, err
			}
			bi.officers = append(bi.officers, u)
		}
		for _, pos := range []string{"Enhetschef", "Avdelningschef", "Förvaltningsdirektör"} {
			u, err := newUser(person(r), pos, workflow.Grant{Board: spec.code, Role: workflow.RoleApprover})
			if err != nil {
				return nil, err
			}
			bi.approvers = append(bi.approvers, approver{u, pos})
		}
		for range 2 {
			u, err := newUser(person(r), "Nämndsekreterare", workflow.Grant{Board: spec.code, Role: workflow.RoleSecretary})
			if err != nil {
				return nil, err
			}
			bi.secretaries = append(bi.secretaries, u)
		}
		if bi.chair, err = newUser(person(r), "Ordförande"); err != nil {
			return nil, err
		}
		if bi.vice, err = newUser(person(r), "Vice ordförande"); err != nil {
			return nil, err
		}
		if err := makeBodies(ctx, s, r, bi); err != nil {
			return nil, err
		}
	}
	db.BcryptCost = cost
	for _, l := range []struct {
		email, name string
		role        workflow.Role
	}{
		{BenchOfficer, "Lasse Lasttest", workflow.RoleOfficer},
		{BenchApprover, "Cecilia Lasttest", workflow.RoleApprover},
		{BenchSecretary, "Sigrid Lasttest", workflow.RoleSecretary},
	} {
		var grants []workflow.Grant
		for _, spec := range boardSpecs {
			grants = append(grants, workflow.Grant{Board: spec.code, Role: l.role})
		}
		if _, err := s.CreateUser(ctx, db.NewUser{Email: l.email, Name: l.name, Title: "Lasttest", Password: BenchPassword, Grants: grants}); err != nil {
			return nil, err
		}
	}
	return o, nil
}

// makeBodies creates a board's bodies and their member lists: a nämnd with
// its presidium and arbetsutskott, or, for kommunstyrelsen, its
// arbetsutskott, itself and kommunfullmäktige.
func makeBodies(ctx context.Context, s *db.Store, r *rand.Rand, bi *boardInfo) error {
	code := bi.spec.code
	type spec struct {
		code, name string
		kind       workflow.BodyKind
		weekday    time.Weekday
		start      string
		members    int
	}
	specs := []spec{
		{code + "-PR", bi.spec.name + ", presidiet", workflow.KindPresidium, time.Monday, "08:30", 1},
		{code + "-AU", bi.spec.name + ", arbetsutskottet", workflow.KindWorkingCommittee, time.Tuesday, "13:00", 3},
		{code, bi.spec.name, workflow.KindBoard, time.Thursday, "17:00", 9},
	}
	if code == "KS" {
		specs = []spec{
			{"KS-AU", "Kommunstyrelsens arbetsutskott", workflow.KindWorkingCommittee, time.Monday, "13:00", 3},
			{"KS", "Kommunstyrelsen", workflow.KindExecutiveBoard, time.Wednesday, "13:00", 11},
			{"KF", "Kommunfullmäktige", workflow.KindCouncil, time.Monday, "18:00", 59},
		}
	}
	sec := bi.secretary()
	for _, sp := range specs {
		body, err := s.CreateBody(ctx, workflow.Body{Code: sp.code, Name: sp.name, Kind: sp.kind, Board: code})
		if err != nil {
			return err
		}
		add := func(in db.MemberInput) error {
			_, err := s.AddMember(ctx, sp.code, sec, in)
			return err
		}
		if err := add(db.MemberInput{Role: workflow.MemberChair, User: bi.chair.Email}); err != nil {
			return err
		}
		if err := add(db.MemberInput{Role: workflow.MemberRegular, User: bi.vice.Email}); err != nil {
			return err
		}
		for i := range sp.members + sp.members/2 {
			role := workflow.MemberRegular
			if i >= sp.members {
				role = workflow.MemberSubstitute
			}
			name := person(r)
			if err := add(db.MemberInput{Name: name, Email: mailbox(name) + "@parti.example", Role: role}); err != nil {
				return err
			}
		}
		if err := add(db.MemberInput{Role: workflow.MemberStaff, User: sec.Email}); err != nil {
			return err
		}
		members, err := s.Members(ctx, sp.code)
		if err != nil {
			return err
		}
		h, m := clock(sp.start)
		bi.bodies = append(bi.bodies, &bodyCal{body: body, board: bi, weekday: sp.weekday, start: sp.start, hour: h, min: m,
			place: "Stadshuset, " + sp.name, members: members})
	}
	return nil
}

func clock(hhmm string) (h, m int) {
	fmt.Sscanf(hhmm, "%d:%d", &h, &m)
	return h, m
}
