package demo

import (
	"fmt"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/workflow"
)

// ReportTitle is the title of the recurring assignment that makes each
// year's "Internationell redovisning" for ASN, as the seed was made for 2019.
const ReportTitle = "Internationell redovisning {year}"

// seedSummary is the seed report's own words on why the case comes back
// every year; the recurring assignment gives them to each year's draft.
const seedSummary = "Varje år sammanställs Malmö stads internationella arbete till kommunstyrelsen med syfte att " +
	"tydliggöra nyttan med den internationella verksamheten i kommunen."

// ReportRun is the day the recurring assignment made this round's
// Internationell redovisning, in a demo made on today: the work day four
// weeks before. Its year is the one in the case's title and number.
func ReportRun(today workflow.Date) workflow.Date { return workflow.NextWorkday(today.AddDays(-28)) }

// thisYearsReport lays out the recurring assignment and what it has done so
// far: the administrator set it up in the summer; it ran four weeks ago (on
// that day of the year, so the demo has this round's case whatever day it is
// made) and created the draft with the officer's bevakning; she wrote the
// report the next day on the plan's meetings, like the seed's route, with the
// redovisning as its beslutsunderlag; she submitted it two days ago and
// kvitterade the bevakning, and the enhetschef signed the next day. It now
// waits for the avdelningschef, before its inlämningsdag.
func (d *seeder) thisYearsReport() {
	run := ReportRun(d.today)
	d.add(d.dayAt(-120, 9, 30), func() error {
		_, err := d.s.CreateRecurring(d.ctx, db.RecurringInput{Title: ReportTitle, Summary: seedSummary, Board: "ASN",
			Officer: officer, Schedule: fmt.Sprintf("0 7 %d %d *", run.Day, int(run.Month)), LeadDays: 20},
			d.users["admin@kommun.example"])
		return err
	})
	ref := &caseRef{}
	d.add(run.At(7, 0), func() error {
		runs, err := d.s.RunRecurring(d.ctx, d.clock)
		if err != nil {
			return err
		}
		if len(runs) != 1 || runs[0].Case == "" {
			return fmt.Errorf("the recurring assignment made %+v, want one case", runs)
		}
		ref.c, err = d.s.Case(d.ctx, runs[0].Case)
		return err
	})
	d.add(workflow.AddWorkdays(run, 1).At(13, 0), func() error {
		c, err := d.s.Case(d.ctx, ref.c.Number)
		if err != nil {
			return err
		}
		year := run.Year
		in := db.InputOf(&c)
		in.Number = ""
		in.Summary = fmt.Sprintf("Arbetsmarknads- och socialnämnden har uppdragits av kommunstyrelsen att redovisa förvaltningens "+
			"internationella arbete under %d. %s", year, seedSummary)
		in.Proposals = []string{"Arbetsmarknads- och socialnämnden föreslås besluta att godkänna redovisningen",
			"Arbetsmarknads- och socialnämnden skickar redovisningen till kommunstyrelsen"}
		in.Background = fmt.Sprintf("Varje förvaltning har fått i uppdrag att göra en sammanställning som beskriver det "+
			"internationella arbetet under %d utifrån samma frågeställningar som tidigare år: prioriterade områden, personella "+
			"resurser, kompetensutveckling i EU-frågor, uppnådda resultat och spridning av projektresultat.\n\n"+
			"Redovisningen för 2019 (ASN-2019-17886) finns i diariet som förebild.", year)
		in.Route = d.route([]demoStep{{"ASN-PB", slot(3)}, {"ASN-AU", slot(3)}, {"ASN", slot(3)}, {"KS", nil}})
		in.Approvers = draftInput.Approvers
		in.Recipients = draftInput.Recipients
		if ref.c, err = d.s.EditDraft(d.ctx, c.Number, c.Version, in, d.users[officer]); err != nil {
			return err
		}
		_, err = d.s.AddAttachment(d.ctx, c.Number, d.users[officer], db.NewAttachment{
			Name: fmt.Sprintf("Redovisning av internationellt arbete %d, Arbetsmarknads- och socialnämnden", year)})
		return err
	})
	submitted := workflow.AddWorkdays(d.today, -2)
	d.add(submitted.At(10, 0), func() error { return d.act(ref, demoAct{by: officer, action: workflow.ActSubmit}) })
	d.add(submitted.At(10, 5), func() error {
		ds, err := d.s.CaseDeadlines(d.ctx, ref.c.Number)
		if err != nil {
			return err
		}
		for _, dl := range ds {
			if dl.Kind == workflow.DeadlineCustom && dl.State == workflow.DeadlineOpen {
				_, err = d.s.AcknowledgeDeadline(d.ctx, dl.ID, d.users[officer])
				return err
			}
		}
		return fmt.Errorf("%s has no open bevakning to kvittera", ref.c.Number)
	})
	d.add(workflow.AddWorkdays(d.today, -1).At(15, 0), func() error {
		return d.act(ref, demoAct{by: "jonas.magnusson@kommun.example", action: workflow.ActApprove})
	})
}
