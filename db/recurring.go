package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kommun/beslutsgang/workflow"
)

// RecurringInput is a recurring assignment as a form or the API sends it.
type RecurringInput struct {
	Title    string `json:"title"`
	Summary  string `json:"summary,omitempty"`
	Board    string `json:"board"`
	Officer  string `json:"officer"` // e-mail
	Schedule string `json:"schedule"`
	LeadDays int    `json:"lead_days"`
}

// RecurringNote is the note of the bevakning a recurring assignment's case
// is created with.
const RecurringNote = "Återkommande uppdrag: skriv tjänsteskrivelsen och lämna in den för godkännande"

// CreateRecurring saves a recurring assignment. The board's secretaries and
// administrators may create them; the schedule is checked here, at save.
func (s *Store) CreateRecurring(ctx context.Context, in RecurringInput, actor workflow.User) (workflow.Recurring, error) {
	r := workflow.Recurring{Title: in.Title, Summary: in.Summary, Board: strings.ToUpper(strings.TrimSpace(in.Board)),
		Schedule: in.Schedule, LeadDays: in.LeadDays, Active: true}
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var p workflow.Problems
		board, err := boardByCode(ctx, tx, r.Board)
		if err != nil {
			p.Add("board", "Välj en nämnd som finns (%q finns inte)", in.Board)
		} else if !actor.Has(board.Code, workflow.RoleSecretary) && !actor.Has(board.Code, workflow.RoleAdmin) {
			return workflow.Errorf(workflow.EFORBIDDEN, "Återkommande uppdrag för %s läggs upp av nämndsekreteraren eller en administratör", board.Code)
		}
		var officer workflow.User
		if e := strings.TrimSpace(in.Officer); e == "" {
			p.Add("officer", "Ange handläggarens e-postadress")
		} else if officer, err = userByEmail(ctx, tx, e); err != nil {
			p.Add("officer", "Det finns ingen användare med e-postadressen %s", e)
		}
		sched, verr := workflow.ValidateRecurring(&r, officer)
		if err := lookupOr(p, verr); err != nil {
			return err
		}
		now := s.now()
		r.NextRun, r.CreatedAt = sched.Next(now).UTC(), now
		return tx.QueryRowContext(ctx, `INSERT INTO recurring(title, summary, board_id, officer_id, schedule, lead_days, active,
			next_run_at, created_by, created_at) VALUES (?,?,?,?,?,?,TRUE,?,?,?) RETURNING id`,
			r.Title, r.Summary, board.ID, officer.ID, r.Schedule, r.LeadDays, fmtTime(r.NextRun), actor.ID, fmtTime(now)).Scan(&id)
	})
	if err != nil {
		return workflow.Recurring{}, err
	}
	return recurringByID(ctx, s.r, id)
}

const recurringCols = `r.id, r.title, r.summary, b.code, u.id, u.name, u.email, u.title, r.schedule, r.lead_days, r.active,
	r.next_run_at, r.created_at FROM recurring r JOIN boards b ON b.id = r.board_id JOIN users u ON u.id = r.officer_id `

func scanRecurring(sc interface{ Scan(...any) error }) (workflow.Recurring, error) {
	var r workflow.Recurring
	var next, created string
	err := sc.Scan(&r.ID, &r.Title, &r.Summary, &r.Board, &r.Officer.ID, &r.Officer.Name, &r.Officer.Email, &r.Officer.Title,
		&r.Schedule, &r.LeadDays, &r.Active, &next, &created)
	r.NextRun, r.CreatedAt = parseTime(next), parseTime(created)
	return r, err
}

func recurringByID(ctx context.Context, q queryer, id int64) (workflow.Recurring, error) {
	r, err := scanRecurring(q.QueryRowContext(ctx, `SELECT `+recurringCols+`WHERE r.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, notFound("Det återkommande uppdraget %d finns inte", id)
	}
	return r, err
}

// Recurrings lists every recurring assignment by board and title.
func (s *Store) Recurrings(ctx context.Context) ([]workflow.Recurring, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+recurringCols+`ORDER BY b.code, r.title, r.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []workflow.Recurring{}
	for rows.Next() {
		r, err := scanRecurring(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// RecurringRun is one period a recurring assignment ran for.
type RecurringRun struct {
	Recurring int64     `json:"recurring"`
	Period    string    `json:"period"`
	Case      string    `json:"case,omitempty"`
	Title     string    `json:"title"`
	Error     string    `json:"error,omitempty"`
	At        time.Time `json:"at"` // when the scan ran it
}

// RunRecurring creates the cases of every recurring assignment whose time has
// come at now. Each period creates at most one case, in the transaction that
// records the period, so neither a restart nor a second scan makes another.
// After downtime each missed period runs once (at most workflow.MaxCatchUp per
// scan). A case that cannot be created (the officer lost the role) is recorded
// with the reason and the assignment moves on.
func (s *Store) RunRecurring(ctx context.Context, now time.Time) ([]RecurringRun, error) {
	due, err := ids(ctx, s.r, `SELECT id FROM recurring WHERE active AND next_run_at <= ? ORDER BY next_run_at, id`, fmtTime(now.UTC()))
	if err != nil {
		return nil, err
	}
	var out []RecurringRun
	for _, id := range due {
		err := s.tx(ctx, func(tx *sql.Tx) error {
			runs, err := s.runOne(ctx, tx, id, now)
			out = append(out, runs...)
			return err
		})
		if err != nil {
			return out, fmt.Errorf("recurring assignment %d: %w", id, err)
		}
	}
	return out, nil
}

func (s *Store) runOne(ctx context.Context, tx *sql.Tx, id int64, now time.Time) ([]RecurringRun, error) {
	r, err := recurringByID(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	sched, err := workflow.ParseSchedule(r.Schedule)
	if err != nil {
		return nil, err // validated at save: only a hand-edited row gets here
	}
	officer, err := userByID(ctx, tx, r.Officer.ID)
	if err != nil {
		return nil, err
	}
	var out []RecurringRun
	t := r.NextRun
	for n := 0; !t.After(now) && n < workflow.MaxCatchUp; n++ {
		run := RecurringRun{Recurring: id, Period: workflow.Period(t), Title: r.TitleFor(t), At: now}
		res, err := tx.ExecContext(ctx, `INSERT INTO recurring_runs(recurring_id, period, created_at) VALUES (?,?,?)
			ON CONFLICT(recurring_id, period) DO NOTHING`, id, run.Period, fmtTime(now))
		if err != nil {
			return out, err
		}
		if added, _ := res.RowsAffected(); added == 1 {
			if err := s.createRecurringCase(ctx, tx, r, officer, &run, now); err != nil {
				return out, err
			}
			out = append(out, run)
		}
		t = sched.Next(t)
	}
	_, err = tx.ExecContext(ctx, `UPDATE recurring SET next_run_at = ? WHERE id = ?`, fmtTime(t.UTC()), id)
	return out, err
}

// createRecurringCase creates one period's draft and its bevakning inside a
// savepoint: a case the workflow refuses leaves only the reason behind.
func (s *Store) createRecurringCase(ctx context.Context, tx *sql.Tx, r workflow.Recurring, officer workflow.User, run *RecurringRun, now time.Time) error {
	if _, err := tx.ExecContext(ctx, `SAVEPOINT recurring_case`); err != nil {
		return err
	}
	// The officer is the case's, but the assignment made it: the history says so.
	const origin = "Skapat automatiskt av ett återkommande uppdrag; handläggaren är uppdragets"
	c, err := s.newCase(ctx, tx, CaseInput{Board: r.Board, Title: run.Title, Summary: r.Summary}, officer, false, origin)
	if err == nil && r.LeadDays > 0 {
		var d workflow.Deadline
		due := workflow.AddWorkdays(workflow.Today(now), r.LeadDays)
		d, err = workflow.NewCustomDeadline(&c, workflow.CustomDeadline{Due: due, Responsible: officer, Note: RecurringNote}, officer, now)
		if err == nil {
			if _, err = insertCustomDeadline(ctx, tx, c.ID, d, now); err == nil {
				err = syncReminders(ctx, tx, c.ID, now)
			}
		}
	}
	if err != nil {
		if workflow.ErrorCode(err) == workflow.EINTERNAL {
			return err
		}
		if _, rerr := tx.ExecContext(ctx, `ROLLBACK TO recurring_case; RELEASE recurring_case`); rerr != nil {
			return rerr
		}
		run.Error = workflow.ErrorMessage(err)
		_, err = tx.ExecContext(ctx, `UPDATE recurring_runs SET error = ? WHERE recurring_id = ? AND period = ?`, run.Error, r.ID, run.Period)
		return err
	}
	run.Case = c.Number
	_, err = tx.ExecContext(ctx, `UPDATE recurring_runs SET case_id = ? WHERE recurring_id = ? AND period = ?`, c.ID, r.ID, run.Period)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `RELEASE recurring_case`)
	return err
}

// RecurringRuns lists the latest periods run, newest first: the case each
// created, or why it could not.
func (s *Store) RecurringRuns(ctx context.Context, limit int) ([]RecurringRun, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT rr.recurring_id, rr.period, COALESCE(c.number, ''), r.title, rr.error, rr.created_at
		FROM recurring_runs rr JOIN recurring r ON r.id = rr.recurring_id LEFT JOIN cases c ON c.id = rr.case_id
		ORDER BY rr.created_at DESC, rr.period DESC, rr.recurring_id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []RecurringRun{}
	for rows.Next() {
		var run RecurringRun
		var title, at string
		if err := rows.Scan(&run.Recurring, &run.Period, &run.Case, &title, &run.Error, &at); err != nil {
			return nil, err
		}
		run.At = parseTime(at)
		t, err := time.ParseInLocation(workflow.PeriodLayout, run.Period, workflow.Stockholm)
		if err != nil {
			return nil, fmt.Errorf("recurring run %d/%s: %w", run.Recurring, run.Period, err)
		}
		tmpl := workflow.Recurring{Title: title}
		run.Title = tmpl.TitleFor(t)
		out = append(out, run)
	}
	return out, rows.Err()
}
