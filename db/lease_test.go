package db

import (
	"context"
	"testing"
	"time"
)

// One holder at a time: a second instance gets the lease only after the
// first's has expired or was released, and the holder renews its own.
func TestLeaseOneHolderAtATime(t *testing.T) {
	s, clk := mustOpenClock(t)
	ctx := context.Background()
	ttl := 20 * time.Second
	take := func(holder string, want bool) {
		t.Helper()
		got, err := s.TryLease(ctx, LeaseScheduler, holder, ttl)
		if err != nil || got != want {
			t.Fatalf("%s: TryLease = %v, %v; want %v", holder, got, err, want)
		}
	}
	take("a", true)
	take("b", false)
	clk.Set(start.Add(15 * time.Second))
	take("a", true) // renewed until 35 s
	clk.Set(start.Add(30 * time.Second))
	take("b", false)
	if h, until, err := s.LeaseHolder(ctx, LeaseScheduler); err != nil || h != "a" || !until.Equal(start.Add(35*time.Second).UTC()) {
		t.Errorf("LeaseHolder = %q, %v, %v; want a until 35 s", h, until, err)
	}
	clk.Set(start.Add(35 * time.Second)) // a died: its lease ran out
	take("b", true)
	take("a", false)
	if err := s.ReleaseLease(ctx, LeaseScheduler, "a"); err != nil {
		t.Fatal(err)
	}
	take("a", false) // a cannot release b's lease
	if err := s.ReleaseLease(ctx, LeaseScheduler, "b"); err != nil {
		t.Fatal(err)
	}
	take("a", true)
	if _, err := s.TryLease(ctx, "", "a", ttl); err == nil {
		t.Error("a lease without a name was taken")
	}
}
