// Package schedule runs the service's timed jobs with robfig/cron in
// Stockholm time: the reminder scan with the recurring assignments, outbox
// delivery and the morning digest. Nothing scheduled lives only in memory:
// each job scans durable rows, so a restart loses nothing and a missed tick is
// made up by the next scan.
//
// Several instances may run on one database (PostgreSQL). Every instance
// delivers mail (each message is claimed by one, db.ClaimMail); the work done
// once per installation — the scan, the meetings' job and the digest — runs
// only on the instance that holds the scheduler's lease (leader.go).
package schedule

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/notify"
	"github.com/kommun/beslutsgang/workflow"
	"github.com/robfig/cron/v3"
)

// Specs are when the jobs run. The scan and delivery use fixed intervals,
// which daylight saving time does not disturb; the digest runs at a wall-clock
// time, outside 02:00–02:59 (the hour DST skips in March and repeats in
// October), on weekdays, and skips holidays itself.
var Specs = map[string]string{
	"scan":    "@every 1m",
	"deliver": "@every 10s",
	"digest":  "0 7 * * 1-5",
	// The leader's lease is taken, or renewed once half of it has passed
	// (leader.go).
	"lease": "@every 5s",
	// The meetings' matters of the day, once each morning before the digest
	// and the reminders: laga kraft, and kallelser that can no longer be sent.
	"meetings": "15 6 * * *",
}

// Config is what the jobs need.
type Config struct {
	Store    *db.Store
	Composer db.ReminderComposer // reminders and digests
	Delivery *notify.Delivery    // the outbox worker; nil delivers nothing
	// ManagerAddress is copied on escalated reminders when the case has no
	// approver to copy.
	ManagerAddress string
	Log            *slog.Logger
	Now            func() time.Time
	// Instance names this process among the service's instances, for the
	// lease; empty: host name and process id.
	Instance string
	// Observer is told what the jobs did, for the metrics; nil: nobody.
	Observer Observer
}

// Observer is told what the scheduled jobs did (metrics.Metrics implements
// it).
type Observer interface {
	// ScanDone is called after each reminder scan that succeeded, at the
	// scan's time, with how many reminders it sent.
	ScanDone(at time.Time, reminders int)
	// Delivered is called after each drain of the outbox with how many
	// messages were sent, put back for a retry, and given up on.
	Delivered(sent, retried, failed int)
}

// Scheduler owns the cron and the jobs.
type Scheduler struct {
	cfg  Config
	cron *cron.Cron
	ids  map[string]cron.EntryID
	boot sync.WaitGroup // the jobs Start runs at once
	// leading: this instance holds the scheduler's lease (leader.go).
	leading atomic.Bool
	// renewed is when this instance last took or renewed the lease (cfg.Now,
	// Unix nanoseconds); the lease job at start and cron's may overlap.
	renewed atomic.Int64
}

// New builds the scheduler; it refuses a wall-clock spec in the DST hour.
func New(cfg Config) (*Scheduler, error) {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	logger := cronLogger{cfg.Log}
	s := &Scheduler{cfg: cfg, ids: map[string]cron.EntryID{}, cron: cron.New(cron.WithLocation(workflow.Stockholm), cron.WithLogger(logger),
		cron.WithChain(cron.Recover(logger), cron.SkipIfStillRunning(logger)))}
	if cfg.Instance == "" {
		cfg.Instance = instanceName()
		s.cfg.Instance = cfg.Instance
	}
	jobs := map[string]func(){
		"scan":     s.leaderOnly(func() { s.logScan(s.Scan(context.Background(), s.cfg.Now())) }),
		"deliver":  s.deliverJob,
		"digest":   s.leaderOnly(s.digestJob),
		"meetings": s.leaderOnly(s.meetingsJob),
		"lease":    s.leaseJob,
	}
	for name, spec := range Specs {
		if err := CheckSpec(spec); err != nil {
			return nil, fmt.Errorf("job %s: %w", name, err)
		}
		id, err := s.cron.AddFunc(spec, jobs[name])
		if err != nil {
			return nil, fmt.Errorf("job %s: %w", name, err)
		}
		s.ids[name] = id
	}
	return s, nil
}

// CheckSpec refuses a spec that fires between 02:00 and 02:59.
func CheckSpec(spec string) error {
	sched, err := cron.ParseStandard(spec)
	if err != nil {
		return fmt.Errorf("%q: %w", spec, err)
	}
	if ss, ok := sched.(*cron.SpecSchedule); ok && ss.Hour&(1<<2) != 0 {
		return fmt.Errorf("%q runs between 02:00 and 02:59, which daylight saving time skips or repeats", spec)
	}
	return nil
}

// Next is when the named job next runs after t.
func (s *Scheduler) Next(job string, t time.Time) time.Time {
	id, ok := s.ids[job]
	if !ok {
		return time.Time{}
	}
	return s.cron.Entry(id).Schedule.Next(t)
}

// Start runs the jobs in the background, and tries for the lease at once:
// the instance that gets it makes up what fell due meanwhile (leader.go).
func (s *Scheduler) Start() {
	s.cron.Start()
	s.boot.Go(s.leaseJob)
}

// Stop stops the cron and waits for running jobs until ctx ends.
func (s *Scheduler) Stop(ctx context.Context) {
	done := make(chan struct{})
	go func() {
		<-s.cron.Stop().Done()
		s.boot.Wait()
		s.release(ctx)
		close(done)
	}()
	select {
	case <-done:
	case <-ctx.Done():
	}
}

// Deliver drains the outbox once.
func (s *Scheduler) Deliver(ctx context.Context) (notify.DrainResult, error) {
	if s.cfg.Delivery == nil {
		return notify.DrainResult{}, nil
	}
	return s.cfg.Delivery.Drain(ctx)
}

// Report is what one scan did.
type Report struct {
	Reminders []db.SentReminder `json:"reminders"`
	Recurring []db.RecurringRun `json:"recurring"`
}

// Scan sends the reminders due at now and runs the recurring assignments
// whose time has come.
func (s *Scheduler) Scan(ctx context.Context, now time.Time) (Report, error) {
	var r Report
	var err error
	r.Reminders, err = s.cfg.Store.SendDueReminders(ctx, now, db.ScanOptions{Compose: s.cfg.Composer, ManagerAddress: s.cfg.ManagerAddress})
	if err != nil {
		return r, fmt.Errorf("reminders: %w", err)
	}
	r.Recurring, err = s.cfg.Store.RunRecurring(ctx, now)
	if err != nil {
		return r, fmt.Errorf("recurring assignments: %w", err)
	}
	return r, nil
}

func (s *Scheduler) logScan(r Report, err error) {
	if err != nil {
		s.cfg.Log.Error("scan failed", "err", err)
	} else if s.cfg.Observer != nil {
		s.cfg.Observer.ScanDone(s.cfg.Now(), len(r.Reminders))
	}
	if len(r.Reminders) > 0 || len(r.Recurring) > 0 {
		s.cfg.Log.Info("scan", "reminders", len(r.Reminders), "recurring", len(r.Recurring))
	}
}

// LegalForce notes the decisions whose appeal period ended before the day of now.
func (s *Scheduler) LegalForce(ctx context.Context, now time.Time) ([]db.LegalForceNote, error) {
	return s.cfg.Store.NoteLegalForce(ctx, now)
}

// meetingsJob notes laga kraft and lapses the kallelse deadlines of meetings
// whose day has passed.
func (s *Scheduler) meetingsJob() {
	ctx, now := context.Background(), s.cfg.Now()
	notes, err := s.LegalForce(ctx, now)
	if err != nil {
		s.cfg.Log.Error("laga kraft failed", "err", err)
	} else if len(notes) > 0 {
		s.cfg.Log.Info("laga kraft noted", "decisions", len(notes))
	}
	if n, err := s.cfg.Store.LapseNotices(ctx, now); err != nil {
		s.cfg.Log.Error("lapsing kallelse deadlines failed", "err", err)
	} else if n > 0 {
		s.cfg.Log.Info("kallelse deadlines lapsed", "meetings", n)
	}
}

// Digest queues the morning digests of the day of now (on work days only).
func (s *Scheduler) Digest(ctx context.Context, now time.Time) (int, error) {
	return s.cfg.Store.QueueDigests(ctx, now, s.cfg.Composer)
}

func (s *Scheduler) digestJob() {
	n, err := s.Digest(context.Background(), s.cfg.Now())
	if err != nil {
		s.cfg.Log.Error("digest failed", "err", err)
	} else if n > 0 {
		s.cfg.Log.Info("digest queued", "messages", n)
	}
}

func (s *Scheduler) deliverJob() {
	res, err := s.Deliver(context.Background())
	if s.cfg.Observer != nil {
		s.cfg.Observer.Delivered(res.Sent, res.Retried, res.Failed)
	}
	if err != nil {
		s.cfg.Log.Error("delivery failed", "err", err)
	} else if res != (notify.DrainResult{}) {
		s.cfg.Log.Info("delivery", "sent", res.Sent, "retried", res.Retried, "failed", res.Failed)
	}
}

// cronLogger writes cron's messages (a recovered panic, a skipped run) to slog.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) { l.log.Debug("cron: "+msg, kv...) }
func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("cron: "+msg, append(kv, "err", err)...)
}
