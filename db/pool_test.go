package db

import (
	"context"
	"sync"
	"testing"
)

// Concurrent reads reuse the read pool's connections: none is closed for
// being idle and opened again (keepReaders). With database/sql's default of
// two idle connections, every read past two at once closed its connection.
func TestReadPoolKeepsItsConnections(t *testing.T) {
	s := mustOpen(t)
	p := mustOrg(t, s)
	c := mustCreate(t, s, p, "Läsningar i rad")
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 4*readers())
	for range 4 * readers() {
		wg.Go(func() {
			for range 20 {
				if _, err := s.Case(ctx, c.Number); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	st := s.r.Stats()
	if st.MaxIdleClosed != 0 || st.OpenConnections > readers() {
		t.Fatalf("read pool: %d connections closed as idle, %d open (at most %d)", st.MaxIdleClosed, st.OpenConnections, readers())
	}
}
