// Command gen fills a new database with a generated municipality's cases
// through the store's bulk path (see package fill):
//
//	go run ./bench/gen -db bench.db -cases 1000000
//
// It prints how long it took and at what rate, the rows per table, the
// bench logins and the numbers of the load tool's cases.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"runtime/pprof"
	"sort"
	"time"

	"github.com/kommun/beslutsgang/bench/fill"
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/workflow"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "gen:", err)
		}
		os.Exit(2)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f := flag.NewFlagSet("gen", flag.ContinueOnError)
	f.SetOutput(stderr)
	path := f.String("db", "", "databasfilen som skapas (får inte finnas)")
	cases := f.Int("cases", 100_000, "antal ärenden")
	years := f.Int("years", 8, "antal år som ärendena sprids över")
	asOf := f.String("as-of", "", "tidpunkten historiken går fram till, ÅÅÅÅ-MM-DDTTT:MM i svensk tid (tom: nu)")
	seed := f.Uint64("seed", 1, "slumpfrö; samma frö ger samma ärenden")
	fixtures := f.Bool("fixtures", true, "lägg till lasttestets egna ärenden")
	index := f.Bool("index", true, "bygg sökindexet (annars bygger tjänsten det när den startar)")
	profile := f.String("cpuprofile", "", "skriv en CPU-profil hit")
	if err := f.Parse(args); err != nil {
		return err
	}
	switch {
	case *path == "":
		return errors.New("ange -db FIL")
	case *cases < 0:
		return errors.New("-cases kan inte vara negativt")
	}
	if _, err := os.Stat(*path); err == nil {
		return fmt.Errorf("%s finns redan; ange en ny fil", *path)
	}
	var at time.Time
	if *asOf != "" {
		t, err := time.ParseInLocation("2006-01-02T15:04", *asOf, workflow.Stockholm)
		if err != nil {
			return fmt.Errorf("-as-of: skriv tiden som 2026-11-30T09:00")
		}
		at = t
	}
	if *profile != "" {
		pf, err := os.Create(*profile)
		if err != nil {
			return err
		}
		pprof.StartCPUProfile(pf)
		defer pprof.StopCPUProfile()
	}
	debug.SetGCPercent(400) // memory is cheaper than the collector's time here
	s, err := db.Open(*path)
	if err != nil {
		return err
	}
	defer s.Close()
	start := time.Now()
	st, err := fill.Run(ctx, s, fill.Options{Cases: *cases, Years: *years, AsOf: at, Seed: *seed, Fixtures: *fixtures, NoIndex: !*index,
		Progress: func(n int) {
			el := time.Since(start)
			fmt.Fprintf(stderr, "\r%d ärenden, %.0f per sekund", n, float64(n)/el.Seconds())
		},
		IndexProgress: func(done, total int) {
			fmt.Fprintf(stderr, "\rsökindexet: %d av %d ärenden", done, total)
		}})
	if err != nil {
		return err
	}
	el := time.Since(start)
	fmt.Fprintln(stderr)
	info, _ := os.Stat(*path)
	size := int64(0)
	if info != nil {
		size = info.Size()
	}
	fmt.Fprintf(stdout, "%d ärenden och %d sammanträden i %s på %s: %.0f ärenden per sekund; filen är %.1f GB\n",
		st.Cases, st.Meetings, *path, el.Round(time.Second), float64(st.Cases)/el.Seconds(), float64(size)/1e9)
	fmt.Fprintf(stdout, "  skrivna på %s", st.Written.Round(time.Second))
	switch {
	case !db.FullTextSearch:
		fmt.Fprintln(stdout, "; inget sökindex (bygg med -tags sqlite_fts5)")
	case !*index:
		fmt.Fprintln(stdout, "; sökindexet byggs när tjänsten startar (-index=false)")
	default:
		fmt.Fprintf(stdout, ", sökindexet byggt på %s\n", st.Indexed.Round(time.Second))
	}
	var tables []string
	for t := range st.Rows {
		tables = append(tables, t)
	}
	sort.Strings(tables)
	for _, t := range tables {
		fmt.Fprintf(stdout, "  %-16s %12d rader\n", t, st.Rows[t])
	}
	fmt.Fprintf(stdout, "Inloggningar (lösenord %q): %s, %s, %s\n", fill.BenchPassword, fill.BenchOfficer, fill.BenchApprover, fill.BenchSecretary)
	if *fixtures {
		fmt.Fprintf(stdout, "Lasttestets ärenden: %d för övergångar (%s … %s), %s med %d händelser, %s med %d händelser\n",
			len(st.Fixtures.Transitions), st.Fixtures.Transitions[0], st.Fixtures.Transitions[len(st.Fixtures.Transitions)-1],
			st.Fixtures.Short, fill.ShortHistory, st.Fixtures.Long, fill.LongHistory)
	}
	return nil
}
