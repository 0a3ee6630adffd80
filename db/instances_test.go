package db

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/internal/pgtest"
	"github.com/kommun/beslutsgang/workflow"
)

// Several instances of the service share one PostgreSQL database. These
// tests open three stores on one database, as three processes would; they
// need PostgreSQL in either run of the suite (SQLite is one instance).

// openInstances opens n stores on one new PostgreSQL database at once.
func openInstances(t *testing.T, n int) []*Store {
	t.Helper()
	url := pgtest.DatabaseURL(t)
	stores := make([]*Store, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range stores {
		wg.Go(func() { stores[i], errs[i] = Open(url) })
	}
	wg.Wait()
	for i, s := range stores {
		if errs[i] != nil {
			t.Fatalf("instance %d: Open: %v", i, errs[i])
		}
		t.Cleanup(func() { s.Close() })
		s.Now = func() time.Time { return start }
		s.Composer = mailComposer{}
	}
	return stores
}

// Three instances that start together on an empty database migrate it once:
// one row per migration, and all three see the whole schema.
func TestInstancesMigrateOnce(t *testing.T) {
	stores := openInstances(t, 3)
	raw := rawDB(t, stores[0].Path())
	rows := queryText(t, raw, `SELECT version, COUNT(*) FROM schema_migrations GROUP BY version HAVING COUNT(*) <> 1`)
	if rows != "" {
		t.Errorf("migrations applied more than once:\n%s", rows)
	}
	files, _ := pgMigrations.ReadDir("migrations/postgres")
	if n := count(t, raw, `SELECT COUNT(*) FROM schema_migrations`); n != len(files) {
		t.Errorf("%d migrations recorded, want %d", n, len(files))
	}
	for i, s := range stores {
		if _, err := s.Boards(context.Background()); err != nil {
			t.Errorf("instance %d cannot read the schema: %v", i, err)
		}
	}
}

// Cases registered at the same time through three instances get every
// number of the series once, without gaps; the same action on the same
// version from all three has one winner; every chain is whole.
func TestInstancesNumberWithoutGaps(t *testing.T) {
	stores := openInstances(t, 3)
	ctx := context.Background()
	p := mustOrg(t, stores[0])
	const each = 15
	var wg sync.WaitGroup
	errs := make(chan error, len(stores)*each)
	for _, s := range stores {
		wg.Go(func() {
			for i := range each {
				if _, err := s.CreateCase(ctx, caseInput(p, fmt.Sprintf("Ärende %d", i)), p.officer); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("CreateCase: %v", err)
	}
	page, err := stores[1].Cases(ctx, CaseFilter{Sort: "number", PerPage: MaxPerPage})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for i := 1; i <= len(stores)*each; i++ {
		want = append(want, fmt.Sprintf("ASN-2026-%d", i))
	}
	if got := numbersOf(page); !slices.Equal(got, want) {
		t.Errorf("numbers %q, want %q", got, want)
	}

	c, err := stores[0].Case(ctx, "ASN-2026-7")
	if err != nil {
		t.Fatal(err)
	}
	var won, lost int
	var mu sync.Mutex
	for _, s := range stores {
		wg.Go(func() {
			_, err := s.Act(ctx, c.Number, p.officer, workflow.Command{Action: workflow.ActSubmit, Version: c.Version})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				won++
			case workflow.ErrorCode(err) == workflow.ECONFLICT:
				lost++
			default:
				t.Errorf("submit: %v", err)
			}
		})
	}
	wg.Wait()
	if won != 1 || lost != len(stores)-1 {
		t.Errorf("%d submits won and %d lost, want 1 and %d", won, lost, len(stores)-1)
	}
	checked, broken, err := stores[2].Verify(ctx)
	if err != nil || len(broken) != 0 || checked != len(stores)*each+1 {
		t.Errorf("Verify = %d, %v, %v; want %d events, none broken", checked, broken, err, len(stores)*each+1)
	}
}
