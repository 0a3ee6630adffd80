package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/kommun/beslutsgang/db"
)

// cmdCopy moves an installation to another database, SQLite to PostgreSQL
// or back (db.Copy): every table, in one transaction on the target, which
// must hold no data yet; then every hash chain is checked on the target.
func cmdCopy(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	set := quietFlags("beslutsgang copy", stderr)
	from := set.String("from", "", "databasen som kopieras: en SQLite-fil eller postgres://användare:lösenord@värd/databas (måste finnas)")
	to := set.String("to", "", "den nya databasen: en SQLite-fil eller postgres://… (skapas; får inte innehålla data)")
	set.Usage = func() {
		printUsage(set, stderr, "Användning: beslutsgang copy --from KÄLLA --to MÅL\n\n"+
			"Kopierar en hel installation till en tom databas, t.ex. från SQLite till PostgreSQL,\n"+
			"och kontrollerar sedan alla händelsekedjor i målet. Stoppa tjänsten först.")
	}
	f := flags{FlagSet: set}
	if err := f.parse(args, 0); err != nil {
		return err
	}
	if *from == "" || *to == "" {
		set.Usage()
		return exitError{2, "ange både --from och --to"}
	}
	src, err := openSource(*from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, created, err := openTarget(*to)
	if err != nil {
		return err
	}
	defer dst.Close()

	fmt.Fprintf(stdout, "Kopierar %s (%s) till %s (%s)\n", src.Name(), src.Engine(), dst.Name(), dst.Engine())
	began := time.Now()
	indexing := false
	rep, err := db.Copy(ctx, src, dst, func(table string, rows int) {
		switch table {
		case db.CopyVerified:
			fmt.Fprintf(stdout, "Händelsekedjorna i målet kontrollerade: %d händelser, alla hela\n", rows)
		case db.CopyIndexed:
			if !indexing {
				fmt.Fprintln(stdout, "Bygger sökindexet …")
				indexing = true
			}
			fmt.Fprintf(stdout, "  indexerat %d ärenden\n", rows)
		default:
			fmt.Fprintf(stdout, "  %-20s %d rader\n", table, rows)
		}
	})
	if err != nil {
		if rep.Events > 0 {
			// The rows are in; only the search index failed.
			return exitError{1, fmt.Sprintf("kopieringen till %s: %s", dst.Name(), describe(err))}
		}
		if created != "" {
			// Leave no empty database behind where there was none.
			dst.Close()
			for _, suffix := range []string{"", "-wal", "-shm"} {
				os.Remove(created + suffix)
			}
		}
		return exitError{1, fmt.Sprintf("kopieringen avbröts, inget har kopierats: %s", describe(err))}
	}
	fmt.Fprintf(stdout, "Kopierat: %d ärenden, %d händelser, %d användare, %d nämnder, %d sammanträden, %d bilagor; alla kedjor hela (%s)\n",
		rep.Rows("cases"), rep.Rows("events"), rep.Rows("users"), rep.Rows("boards"), rep.Rows("meetings"),
		rep.Rows("attachments"), time.Since(began).Round(100*time.Millisecond))
	return nil
}

// openSource opens the database copied from, which must exist: a mistyped
// --from is an error, not a new empty database.
func openSource(dsn string) (*db.Store, error) {
	if db.EngineOf(dsn) == db.SQLite {
		path := strings.TrimPrefix(dsn, "sqlite:")
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return nil, exitError{1, fmt.Sprintf("källan %s finns inte; ange den befintliga databasen med --from", path)}
		} else if err != nil {
			return nil, exitError{1, fmt.Sprintf("källan %s: %s", path, fileProblem(err))}
		}
	}
	s, err := db.Open(dsn)
	if err != nil {
		return nil, exitError{1, fmt.Sprintf("källan %s: %s", db.DisplayName(dsn), describe(err))}
	}
	return s, nil
}

// openTarget opens (creating or migrating) the database copied to. created
// is the SQLite file it made, or "".
func openTarget(dsn string) (s *db.Store, created string, err error) {
	if db.EngineOf(dsn) == db.SQLite {
		path := strings.TrimPrefix(dsn, "sqlite:")
		if dir := filepath.Dir(path); dir != "" {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return nil, "", exitError{1, fmt.Sprintf("målet %s: %s", path, fileProblem(err))}
			}
		}
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			created = path
		}
	}
	s, err = db.Open(dsn)
	if err != nil {
		return nil, "", exitError{1, fmt.Sprintf("målet %s: %s", db.DisplayName(dsn), describe(err))}
	}
	return s, created, nil
}
