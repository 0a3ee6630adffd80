package demo

import (
	"fmt"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/workflow"
)

// bevakningar adds what the deadline pages show besides the workflow's own
// deadlines: a bevakning the secretary set for the officer, and kommunstyrelsen's
// own yearly "Internationell redovisning" as a recurring assignment that has
// not run yet (ASN's is in thisyear.go).
func (d *seeder) bevakningar() error {
	d.at(d.today, 8)
	page, err := d.s.Cases(d.ctx, db.CaseFilter{Query: "feriearbete"})
	if err != nil {
		return err
	}
	if len(page.Items) != 1 {
		return fmt.Errorf("%d demo cases about feriearbete, want 1", len(page.Items))
	}
	due := workflow.AddWorkdays(d.today, 3)
	if _, err := d.s.AddDeadline(d.ctx, page.Items[0].Number, db.DeadlineInput{Due: due.String(), Responsible: officer,
		Note: "Stäm av yttrandet med fritidsförvaltningen innan arbetsutskottet"}, d.users[secretary]); err != nil {
		return err
	}
	_, err = d.s.CreateRecurring(d.ctx, db.RecurringInput{Title: "Internationell redovisning {last_year}", Summary: seedSummary,
		Board: "KS", Officer: officer, Schedule: "0 8 15 1 *", LeadDays: 20}, d.users["admin@kommun.example"])
	return err
}
