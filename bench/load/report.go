package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/kommun/beslutsgang/db"
)

// report prints the measurements, the ratios of issue 10's table with their
// targets, and the conditions they were measured under.
func (t *tool) report(w io.Writer, results []result) {
	by := map[string]result{}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "scenario\tklienter\tanrop/s\tp50\tp99\tanrop\tfel\t")
	for _, r := range results {
		by[r.name] = r
		fmt.Fprintf(tw, "%s\t%d\t%.0f\t%s\t%s\t%d\t%d\t\n", r.name, r.clients, r.rate(), ms(r.pct(50)), ms(r.pct(99)), r.n, r.errs)
	}
	tw.Flush()
	for _, r := range results {
		if r.note != "" {
			fmt.Fprintf(w, "  %s: %s\n", r.name, r.note)
		}
		if r.firstErr != nil {
			fmt.Fprintf(w, "  %s, första felet: %v\n", r.name, r.firstErr)
		}
	}
	fmt.Fprintln(w, "\nKvoter (mål enligt issue 10):")
	ratio := func(label string, v float64, ok bool, target string) {
		if !ok {
			return
		}
		fmt.Fprintf(w, "  %-58s %10.2f   mål %s\n", label, v, target)
	}
	have := func(names ...string) bool {
		for _, n := range names {
			if r, ok := by[n]; !ok || r.n == 0 {
				return false
			}
		}
		return true
	}
	ratio("GET /api/v1/cases/{n} ÷ hello (anrop/s)", by["case"].rate()/by["hello"].rate(), have("case", "hello"), "≥ 0,25")
	ratio("övergångar över HTTP, anrop/s", by["transitions"].rate(), have("transitions"), "≥ 4 000")
	ratio("övergång över HTTP ÷ bar commit (tid per operation)", by["bare-commit"].rate()/by["transitions"].rate(),
		have("transitions", "bare-commit"), "(BenchmarkAct ÷ BenchmarkBareCommit ≤ 4 mäts med go test)")
	for _, n := range []string{"list-first", "list-last", "list-board"} {
		ratio(n+", p99 i ms", msf(by[n].pct(99)), have(n), "≤ 30")
	}
	for _, n := range []string{"search", "diary", "diarium"} {
		ratio(n+", p99 i ms", msf(by[n].pct(99)), have(n), "≤ 50")
	}
	ratio("list-manager, p99 i ms", msf(by["list-manager"].pct(99)), have("list-manager"), "≤ 30 (som listorna)")
	for _, n := range []string{"reminders", "oparl-meetings", "oparl-items"} {
		ratio(n+", p99 i ms", msf(by[n].pct(99)), have(n), "≤ 50 (som diariet)")
	}
	ratio("övergång med 10 000 händelser ÷ med 10 (p50)", float64(by["history-10000"].pct(50))/float64(by["history-10"].pct(50)),
		have("history-10", "history-10000"), "≈ 1 (konstant)")
	fmt.Fprintln(w, "\nFörhållanden:")
	pinning := "låsta med sched_setaffinity"
	if t.o.serverCPU < 0 && t.o.loadCPU < 0 {
		pinning = "ingen låsning"
	}
	fmt.Fprintf(w, "  %d kärnor (runtime.NumCPU); %s\n", runtime.NumCPU(), pinning)
	if len(t.servers) > 0 {
		for i, srv := range t.servers {
			if srv.Process == nil {
				continue
			}
			label := "tjänsten"
			if len(t.servers) > 1 {
				label = fmt.Sprintf("instans %d av %d", i+1, len(t.servers))
			}
			fmt.Fprintf(w, "  %s (pid %d) på kärna %s; Go sätter GOMAXPROCS efter de kärnor processen får köra på\n", label, srv.Process.Pid, allowedCPUs(srv.Process.Pid))
		}
		if len(t.servers) > 1 {
			fmt.Fprintf(w, "  klienterna fördelade på de %d instanserna i tur och ordning (klient i till instans i mod %d); förberedelserna mot instans 1\n", len(t.servers), len(t.servers))
		}
	} else {
		fmt.Fprintf(w, "  tjänsten på %s, startad utanför verktyget (ej låst av det)\n", t.o.url)
	}
	switch {
	case t.o.url != "":
	case t.o.listCache == 0:
		fmt.Fprintln(w, "  tjänsten utan listcache (--list-cache 0): varje lista och sökning läses ur databasen")
	case t.o.listCache > 0:
		fmt.Fprintf(w, "  tjänstens listcache: %d sidor (--list-cache)\n", t.o.listCache)
	default:
		fmt.Fprintf(w, "  tjänstens listcache: %d sidor (standard); en lista eller sökning som frågas igen läses ur den tills databasen ändras\n", db.DefaultListCachePages)
	}
	if t.helloProc != nil && t.helloProc.Process != nil {
		fmt.Fprintf(w, "  hello-servern och bar commit på kärna %s\n", allowedCPUs(t.helloProc.Process.Pid))
	}
	fmt.Fprintf(w, "  verktyget på kärna %s, GOMAXPROCS %d, %d klienter med keep-alive\n", allowedCPUs(os.Getpid()), runtime.GOMAXPROCS(0), t.o.clients)
	fmt.Fprintf(w, "  %s uppvärmning och högst %s eller %d anrop per scenario\n", t.o.warmup, t.o.duration, t.o.max)
	switch {
	case t.o.postgres():
		fmt.Fprintf(w, "  PostgreSQL-databas %s, %.2f GB (pg_database_size)\n", t.o.dbName(), float64(t.env.dbBytes)/1e9)
		if t.env.pgCPUs != "" {
			fmt.Fprintf(w, "  PostgreSQL (en serverprocess) på kärna %s; startas inte av verktyget\n", t.env.pgCPUs)
		} else {
			fmt.Fprintln(w, "  PostgreSQL på en annan maskin, eller kärnorna okända; startas inte av verktyget")
		}
		fmt.Fprintln(w, "  bar commit mäts fortfarande mot en ny SQLite-fil (golvet är SQLite:s)")
		fmt.Fprintf(w, "  %s\n", t.env.outbox)
	case t.o.db != "":
		fmt.Fprintf(w, "  databas %s, %.2f GB med WAL\n", t.o.db, float64(t.env.dbBytes)/1e9)
		fmt.Fprintf(w, "  %s\n", t.env.outbox)
	}
	more := ""
	if t.env.totalCapped {
		more = "fler än "
	}
	fmt.Fprintf(w, "  %s%d ärenden i listan (som lasttestets sekreterare ser den); sista sidan: %s\n", more, t.env.total, t.env.last)
	if p := t.env.personas; p.manager != "" {
		fmt.Fprintf(w, "  med lång historik: chefen %s (flest godkännanden, list-manager) och %s (flest bevakningar, reminders); de har fått lasttestets lösenord\n", p.manager, p.holder)
	}
	load, _ := os.ReadFile("/proc/loadavg")
	fmt.Fprintf(w, "  belastning efter körningen: %s", strings.TrimSpace(string(load)))
	fmt.Fprintln(w)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", msf(d)) }

func msf(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
