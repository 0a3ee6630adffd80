package db

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/workflow"
)

// searchBenchWords are the words the benchmark's cases are written with;
// their order gives their frequency (Zipf-like), so common words are common.
var searchBenchWords = strings.Fields(`och att i för av som på till med om det en ett är nämnden förvaltningen
	ärendet beslut kommunen verksamhet redovisning uppdrag arbete personer insatser ekonomiskt bistånd stöd
	socialtjänsten arbetsmarknad projekt samverkan uppföljning riktlinjer budget avgifter hemtjänst boende
	förskoleverksamhet skolskjuts fritidsgårdar integration etablering utbildning praktik ungdomar äldre
	handläggning rapport delårsrapport internationellt utbyte medel ansökan yttrande remiss motion
	medborgarförslag kommunfullmäktige kommunstyrelsen lokaler upphandling avtal kostnader intäkter
	resultat mål indikatorer kvalitet tillsyn anmälan utredning placering familjehem missbruk våld
	hemlöshet bostad försörjning lönebidrag anställning nystartsjobb språk samhällsorientering Malmö
	Rosengård Husie Fosie Limhamn Kirseberg Lund Skåne Sverige Europa Åmål mötesplats föreningar bidrag`)

// benchText is n words drawn with a Zipf-like weight from the vocabulary.
func benchText(r *rand.Rand, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(' ')
		}
		// The square of a uniform number favours the first words.
		f := r.Float64()
		b.WriteString(searchBenchWords[int(f*f*float64(len(searchBenchWords)))])
	}
	return b.String()
}

// fillSearchBench writes n cases with realistic amounts of text in plain SQL,
// 2 % of them secret, 1 % about an EU-projekt; Open's index build or
// Reindex indexes them.
func fillSearchBench(ctx context.Context, s *Store, n int) error {
	r := rand.New(rand.NewPCG(1, 2))
	return s.tx(ctx, func(tx *sql.Tx) error {
		for _, q := range []string{
			`INSERT INTO boards(id, code, name, created_at) VALUES (1, 'ASN', 'Arbetsmarknads- och socialnämnden', '2026-01-01T00:00:00.000000Z')`,
			`INSERT INTO users(id, email, name, created_at) VALUES (1, 'sara@kommun.example', 'Sara Lindqvist', '2026-01-01T00:00:00.000000Z'),
				(2, 'karl@kommun.example', 'Karl Utanför', '2026-01-01T00:00:00.000000Z')`,
			`INSERT INTO user_roles(user_id, board_id, role) VALUES (1, 1, 'secretary')`,
		} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		cs, err := tx.PrepareContext(ctx, `INSERT INTO cases(id, number, board_id, year, serial, title, summary, background, secret,
			stage, step, version, officer_id, created_at, updated_at) VALUES (?,?,1,?,?,?,?,?,?,?,?,1,1,?,?)`)
		if err != nil {
			return err
		}
		defer cs.Close()
		ps, err := tx.PrepareContext(ctx, `INSERT INTO case_proposals(case_id, pos, text) VALUES (?,0,?)`)
		if err != nil {
			return err
		}
		defer ps.Close()
		stages := []string{"draft", "approval", "board", "closed", "closed", "closed"}
		for i := 1; i <= n; i++ {
			year := 2016 + i*10/(n+1)
			title := benchText(r, 3+r.IntN(5))
			if r.IntN(100) == 0 {
				title += " EU-projekt"
			}
			background := benchText(r, 80+r.IntN(160))
			if r.IntN(30) == 0 {
				background += " inom ramen för ett EU-projekt"
			}
			stage := stages[r.IntN(len(stages))]
			step := -1
			if stage == "board" || stage == "closed" {
				step = 0
			}
			at := time.Date(year, 1, 1, 8, 0, 0, 0, time.UTC).Add(time.Duration(i%525600) * time.Minute).Format(workflow.TimeLayout)
			if _, err := cs.ExecContext(ctx, i, fmt.Sprintf("ASN-%d-%d", year, i), year, i, strings.ToUpper(title[:1])+title[1:],
				benchText(r, 25+r.IntN(30)), background, r.IntN(50) == 0, stage, step, at, at); err != nil {
				return err
			}
			if _, err := ps.ExecContext(ctx, i, "Nämnden föreslås besluta att "+benchText(r, 12)); err != nil {
				return err
			}
		}
		return nil
	})
}

// BenchmarkSearch measures searches of the case list and the diary in a
// database of BESLUTSGANG_BENCH_CASES cases (default 100,000), built once in
// BESLUTSGANG_BENCH_DIR (kept between runs) and indexed by Open, whose time
// is logged. It is for measuring by hand, not a timed test:
//
//	BESLUTSGANG_BENCH_DIR=/tmp/bench BESLUTSGANG_BENCH_CASES=1000000 \
//	  go test -tags sqlite_fts5 ./db -run '^$' -bench Search -benchtime 20x
func BenchmarkSearch(b *testing.B) {
	dir := os.Getenv("BESLUTSGANG_BENCH_DIR")
	if dir == "" {
		dir = b.TempDir()
	}
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("BESLUTSGANG_BENCH_CASES")); err == nil && v > 0 {
		n = v
	}
	ctx := context.Background()
	path := filepath.Join(dir, fmt.Sprintf("search-%d.db", n))
	if _, err := os.Stat(path); err != nil {
		s, err := Open(path)
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		if err := fillSearchBench(ctx, s, n); err != nil {
			b.Fatal(err)
		}
		b.Logf("filled %d cases in %s", n, time.Since(start).Round(time.Second))
		start = time.Now()
		if err := s.Reindex(ctx, nil); err != nil {
			b.Fatal(err)
		}
		b.Logf("indexed %d cases in %s", n, time.Since(start).Round(time.Second))
		if _, err := s.w.ExecContext(ctx, `ANALYZE`); err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
	s, err := Open(path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	secretary := &workflow.User{ID: 1, Active: true}
	outsider := &workflow.User{ID: 2, Active: true}
	for _, tc := range []struct {
		name string
		run  func() (int, error)
	}{
		{"list q=EU-projekt secretary", func() (int, error) {
			p, err := s.Cases(ctx, CaseFilter{Query: "EU-projekt", Viewer: secretary})
			return p.Total, err
		}},
		{"list q=EU-projekt outsider", func() (int, error) {
			p, err := s.Cases(ctx, CaseFilter{Query: "EU-projekt", Viewer: outsider})
			return p.Total, err
		}},
		{"list q=skola", func() (int, error) {
			p, err := s.Cases(ctx, CaseFilter{Query: "skola", Viewer: secretary})
			return p.Total, err
		}},
		{"list q=integration utbildning", func() (int, error) {
			p, err := s.Cases(ctx, CaseFilter{Query: "integration utbildning", Viewer: secretary})
			return p.Total, err
		}},
		{"list q=number", func() (int, error) {
			p, err := s.Cases(ctx, CaseFilter{Query: fmt.Sprintf("ASN-2020-%d", n/3), Viewer: secretary})
			return p.Total, err
		}},
		{"diary q=EU-projekt", func() (int, error) {
			p, err := s.Diary(ctx, DiaryFilter{Query: "EU-projekt"})
			return p.Total, err
		}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			var total int
			var worst time.Duration
			for range b.N {
				start := time.Now()
				t, err := tc.run()
				if err != nil {
					b.Fatal(err)
				}
				total, worst = t, max(worst, time.Since(start))
			}
			b.ReportMetric(float64(total), "hits")
			b.ReportMetric(float64(worst.Microseconds())/1000, "worst-ms")
		})
	}
}
