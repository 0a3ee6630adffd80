// Package demo fills an empty database with the boards, people and cases a
// new user can try the service with: the real case ASN-2019-17886 as its
// tjänsteskrivelse gives it, and a handful of cases spread over the stages.
package demo

import (
	"context"
	_ "embed"
	"fmt"
	"time"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/intake"
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
	d.clock = d.today.AddDays(-60).At(9, 0)
	s.Now = func() time.Time { return d.clock }
	steps := []func() error{d.organisation, d.people, d.members, d.plan, d.seedCase, d.cases, d.notices, d.bevakningar}
	for _, step := range steps {
		if err := step(); err != nil {
			return false, fmt.Errorf("demo data: %w", err)
		}
	}
	// The history was replayed, not lived: reminders older than a week from it
	// are dropped, the week's go out as missed ones at the first scan.
	if err := s.ReplanReminders(ctx, realNow().AddDate(0, 0, -7), realNow()); err != nil {
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
	err      error
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

// seedCase registers ASN-2019-17886 from its tjänsteskrivelse, as a draft
// ready for the officer to submit.
func (d *seeder) seedCase() error {
	r, err := intake.Parse(seedText)
	if err != nil {
		return err
	}
	bodies, err := d.s.Bodies(d.ctx)
	if err != nil {
		return err
	}
	users, err := d.s.Users(d.ctx)
	if err != nil {
		return err
	}
	in, err := r.Input(intake.Directory{Board: "ASN", Bodies: bodies, Users: users,
		Recipients: map[string]string{"Kommunstyrelsen": "kommunstyrelsen@kommun.example"}})
	if err != nil {
		return err
	}
	// The report sends the decision on to kommunstyrelsen; its meeting is not yet set.
	in.Route = append(in.Route, db.StepInput{Body: "KS"})
	d.at(workflow.MustDate("2019-12-10"), 10)
	officer := d.users["handlaggare@kommun.example"]
	if _, err := d.s.ImportCase(d.ctx, in, officer); err != nil {
		return err
	}
	for _, name := range r.Attachments {
		if _, err := d.s.AddAttachment(d.ctx, SeedNumber, officer, db.NewAttachment{Name: name}); err != nil {
			return err
		}
	}
	return nil
}
