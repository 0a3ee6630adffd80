// Package demo fills an empty database with the boards, people and cases a
// new user can try the service with: the real case ASN-2019-17886 as it went
// through its meetings in 2020, this year's "Internationell redovisning" made
// by a recurring assignment, a draft ready to submit, and a handful of cases
// spread over the stages, all replayed through the store's own actions.
package demo

import (
	"context"
	_ "embed"
	"fmt"
	"time"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/workflow"
)

//go:embed ASN-2019-17886.txt
var seedText string

// Password is every demo user's password.
const Password = "demo"

// Login is a demo account to print at start.
type Login struct {
	Email string
	Name  string
	Role  string
}

// Logins are the demo accounts, in the order a walk through the process uses them.
var Logins = []Login{
	{"handlaggare@kommun.example", "Sara Lindqvist", "handläggare (ASN, KS)"},
	{"chef@kommun.example", "Lena Holm", "ansvarig chef (ASN, KS)"},
	{"sekreterare@kommun.example", "Erik Nyström", "nämndsekreterare (ASN, KS)"},
	{"admin@kommun.example", "Alva Berg", "administratör"},
	{"jonas.magnusson@kommun.example", "Jonas Magnusson", "ansvarig chef, enhetschef (ASN)"},
	{"katarina.lindeberg@kommun.example", "Katarina Lindeberg", "ansvarig chef, avdelningschef (ASN)"},
	{"britt-marie.pettersson@kommun.example", "Britt-Marie Pettersson", "ansvarig chef, förvaltningschef (ASN)"},
	{"ordforande@kommun.example", "Anna Ek", "ordförande i ASN, justerare"},
	{"ledamot@kommun.example", "Bo Ström", "ledamot i ASN, justerare"},
}

// SeedNumber is the seed case's number.
const SeedNumber = "ASN-2019-17886"

// Seed fills an empty database and reports whether it did; a database that
// already has a board is left alone.
func Seed(ctx context.Context, s *db.Store) (bool, error) {
	boards, err := s.Boards(ctx)
	if err != nil || len(boards) > 0 {
		return false, err
	}
	realNow := s.Now
	defer func() { s.Now = realNow }()
	d := &seeder{ctx: ctx, s: s, now: realNow(), today: workflow.Today(realNow()), users: map[string]workflow.User{},
		meetings: map[string]workflow.Meeting{}}
	s.Now = func() time.Time { return d.clock }
	// The organisation as it was when the seed case was written; then the
	// seed's history and the draft registered in 2025; then this autumn: the
	// plan, the demo cases and this year's report, in the order it happened.
	d.at(workflow.MustDate("2019-11-01"), 9)
	steps := []func() error{d.organisation, d.people, d.members, d.seedHistory, d.replay, d.registerDraft,
		d.plan, d.cases, d.history, d.replay, d.notices, d.bevakningar}
	for _, step := range steps {
		if err := step(); err != nil {
			return false, fmt.Errorf("demo data: %w", err)
		}
	}
	// The history was replayed, not lived: reminders of days before today
	// were nobody's to get, so none goes out as a missed one at the first
	// scan; today's are sent as on any other day.
	if err := s.ReplanReminders(ctx, d.today.At(0, 0), realNow()); err != nil {
		return false, fmt.Errorf("demo data: %w", err)
	}
	return true, nil
}

type seeder struct {
	ctx   context.Context
	s     *db.Store
	now   time.Time // when the seeding runs: nothing is recorded later than this
	today workflow.Date
	clock time.Time
	users map[string]workflow.User
	// meetings are the planned meetings, by "BODY-CODE YYYY-MM-DD".
	meetings map[string]workflow.Meeting
	beats    []beat // the history still to replay
	posted   []postedMeeting
}

// at moves the seeding clock, so the demo histories read like real ones; an
// action "today" is recorded a little before the seeding, never after it.
func (d *seeder) at(day workflow.Date, hour int) {
	d.clock = day.At(hour, 17)
	if !d.clock.Before(d.now) {
		d.clock = d.now.Add(-time.Minute)
	}
}

func (d *seeder) organisation() error {
	for _, b := range []workflow.Board{
		{Code: "ASN", Name: "Arbetsmarknads- och socialnämnden"},
		{Code: "KS", Name: "Kommunstyrelsen"},
	} {
		if _, err := d.s.CreateBoard(d.ctx, b); err != nil {
			return err
		}
	}
	for _, b := range []workflow.Body{
		{Code: "ASN-PB", Name: "ASN presidieberedning", Kind: workflow.KindPresidium, Board: "ASN"},
		{Code: "ASN-AU", Name: "ASN arbetsutskott", Kind: workflow.KindWorkingCommittee, Board: "ASN"},
		{Code: "ASN", Name: "Arbetsmarknads- och socialnämnden", Kind: workflow.KindBoard, Board: "ASN"},
		{Code: "KS", Name: "Kommunstyrelsen", Kind: workflow.KindExecutiveBoard, Board: "KS"},
		{Code: "KF", Name: "Kommunfullmäktige", Kind: workflow.KindCouncil, Board: "KS"},
	} {
		if _, err := d.s.CreateBody(d.ctx, b); err != nil {
			return err
		}
	}
	return nil
}

func (d *seeder) people() error {
	grants := map[string][]workflow.Grant{
		"handlaggare@kommun.example":            {{Board: "ASN", Role: workflow.RoleOfficer}, {Board: "KS", Role: workflow.RoleOfficer}},
		"chef@kommun.example":                   {{Board: "ASN", Role: workflow.RoleApprover}, {Board: "KS", Role: workflow.RoleApprover}},
		"sekreterare@kommun.example":            {{Board: "ASN", Role: workflow.RoleSecretary}, {Board: "KS", Role: workflow.RoleSecretary}},
		"admin@kommun.example":                  {{Board: "ASN", Role: workflow.RoleAdmin}, {Board: "KS", Role: workflow.RoleAdmin}},
		"jonas.magnusson@kommun.example":        {{Board: "ASN", Role: workflow.RoleApprover}},
		"katarina.lindeberg@kommun.example":     {{Board: "ASN", Role: workflow.RoleApprover}},
		"britt-marie.pettersson@kommun.example": {{Board: "ASN", Role: workflow.RoleApprover}},
	}
	titles := map[string]string{
		"handlaggare@kommun.example":            "Utredare",
		"chef@kommun.example":                   "Avdelningschef",
		"sekreterare@kommun.example":            "Nämndsekreterare",
		"admin@kommun.example":                  "Systemförvaltare",
		"jonas.magnusson@kommun.example":        "Enhetschef",
		"katarina.lindeberg@kommun.example":     "Avdelningschef",
		"britt-marie.pettersson@kommun.example": "Förvaltningschef",
		"ordforande@kommun.example":             "Ordförande",
		"ledamot@kommun.example":                "Ledamot",
	}
	for _, l := range Logins {
		u, err := d.s.SeedUser(d.ctx, db.NewUser{Email: l.Email, Name: l.Name, Title: titles[l.Email],
			Password: Password, Grants: grants[l.Email]})
		if err != nil {
			return err
		}
		d.users[l.Email] = u
	}
	return nil
}
