package demo

import (
	"fmt"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/workflow"
)

// seedSummary is the seed report's own words on why the case comes back
// every year; the recurring assignment gives them to each year's draft.
const seedSummary = "Varje år sammanställs Malmö stads internationella arbete till kommunstyrelsen med syfte att " +
	"tydliggöra nyttan med den internationella verksamheten i kommunen."

// bevakningar adds what the deadline pages show besides the workflow's own
// deadlines: a bevakning the secretary set for the officer, and the yearly
// "Internationell redovisning" as a recurring assignment for each board.
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
	for _, board := range []string{"ASN", "KS"} {
		if _, err := d.s.CreateRecurring(d.ctx, db.RecurringInput{Title: "Internationell redovisning {last_year}", Summary: seedSummary,
			Board: board, Officer: officer, Schedule: "0 8 15 1 *", LeadDays: 20}, d.users["admin@kommun.example"]); err != nil {
			return err
		}
	}
	return nil
}
