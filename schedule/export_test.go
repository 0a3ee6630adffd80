package schedule

// LeaseJob runs the lease job once, as the cron would.
func (s *Scheduler) LeaseJob() { s.leaseJob() }
