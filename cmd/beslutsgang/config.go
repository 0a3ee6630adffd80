package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/observe"
	"github.com/kommun/beslutsgang/workflow"
)

// env returns the BESLUTSGANG_ setting name, or def: every flag can also come
// from the environment, and a flag given on the command line wins.
func env(name, def string) string {
	if v, ok := os.LookupEnv("BESLUTSGANG_" + name); ok && (v != "" || name == "DB") {
		return v // an empty BESLUTSGANG_DB is a mistake to report, not the default
	}
	return def
}

// flags is a subcommand's flag set with the settings every command shares.
type flags struct {
	*flag.FlagSet
	db *string
}

// newFlags is the flag set of the command name; operands, if any, name what
// follows the flags in its help ("E-POST").
func newFlags(name string, stderr io.Writer, operands ...string) flags {
	fs := quietFlags("beslutsgang "+name, stderr)
	if len(operands) > 0 {
		fs.Usage = func() {
			printUsage(fs, stderr, "Användning: "+fs.Name()+" [flaggor] "+strings.Join(operands, " "))
		}
	}
	return flags{FlagSet: fs,
		db: fs.String("db", env("DB", "beslutsgang.db"), "databasen: en SQLite-fil, eller postgres://användare:lösenord@värd/databas (BESLUTSGANG_DB)")}
}

// logFlag adds --log-format (BESLUTSGANG_LOG_FORMAT): json or text.
func (f flags) logFlag() *string {
	return f.String("log-format", env("LOG_FORMAT", "text"), "loggformat: json (en JSON-rad per händelse) eller text (BESLUTSGANG_LOG_FORMAT)")
}

// logger is the command's logger to stderr in format (--log-format), at
// level and above; an unknown format is exit code 2.
func logger(stderr io.Writer, format string, level slog.Level) (*slog.Logger, error) {
	log, err := observe.NewLogger(stderr, format, level)
	if err != nil {
		return nil, exitError{2, "--log-format: " + err.Error()}
	}
	return log, nil
}

// parse parses args, flags before or after the operands; operands other
// than want in number are an error.
func (f flags) parse(args []string, want int) error {
	if err := f.Parse(flagsFirst(f.FlagSet, args)); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return exitError{2, flagError(err)}
	}
	if f.NArg() != want {
		f.Usage()
		return exitError{2, fmt.Sprintf("väntade %d argument, fick %d", want, f.NArg())}
	}
	return nil
}

func (f flags) open() (*db.Store, error) {
	if err := db.CheckDSN(*f.db); err != nil {
		return nil, err
	}
	if db.EngineOf(*f.db) == db.PostgreSQL {
		return db.Open(*f.db)
	}
	if dir := filepath.Dir(strings.TrimPrefix(*f.db, "sqlite:")); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
	}
	return db.Open(*f.db)
}

// openExisting opens the database of an installation that must exist already:
// a mistyped --db is an error, not a new empty database to report on.
func (f flags) openExisting() (*db.Store, error) {
	if err := db.CheckDSN(*f.db); err != nil {
		return nil, err
	}
	if db.EngineOf(*f.db) == db.PostgreSQL {
		ok, err := db.Installed(context.Background(), *f.db)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, exitError{1, fmt.Sprintf("databasen %s har ingen installation av beslutsgang; ange den med --db eller BESLUTSGANG_DB", db.DisplayName(*f.db))}
		}
		return db.Open(*f.db)
	}
	if _, err := os.Stat(strings.TrimPrefix(*f.db, "sqlite:")); errors.Is(err, fs.ErrNotExist) {
		return nil, exitError{1, fmt.Sprintf("databasen %s finns inte; ange den med --db eller BESLUTSGANG_DB", *f.db)}
	} else if err != nil {
		return nil, err
	}
	return db.Open(*f.db)
}

// use opens the database, hands it to fn and closes it. existing says whether
// the database must exist already (see openExisting).
func (f flags) use(existing bool, fn func(s *db.Store) error) error {
	open := f.open
	if existing {
		open = f.openExisting
	}
	s, err := open()
	if err != nil {
		return err
	}
	defer s.Close()
	return fn(s)
}

// describe writes an error for a person at a terminal: domain errors with every
// field problem, other errors as they are.
func describe(err error) string {
	var we *workflow.Error
	if errors.As(err, &we) {
		return we.Error()
	}
	return err.Error()
}

// listFlag collects a repeated flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// fileProblem says in Swedish why a file could not be read.
func fileProblem(err error) string {
	var pe *fs.PathError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "filen finns inte"
	case errors.Is(err, fs.ErrPermission):
		return "behörighet saknas"
	case errors.As(err, &pe) && errors.Is(pe.Err, syscall.EISDIR):
		return "det är en mapp, inte en fil"
	}
	return err.Error()
}

// given reports whether the flag name was set on the command line (not
// merely from its environment variable or default).
func (f flags) given(name string) bool {
	set := false
	f.Visit(func(fl *flag.Flag) { set = set || fl.Name == name })
	return set
}

// envBool is the boolean variable BESLUTSGANG_name as a flag's default:
// unset or empty is false, else what strconv.ParseBool takes (1, true, 0,
// false, …). Any other value is false here and refused by badEnvBool.
func envBool(name string) bool {
	b, _ := strconv.ParseBool(env(name, "0"))
	return b
}

// badEnvBool refuses (exit 2) a boolean variable BESLUTSGANG_name set to
// what is neither true nor false, unless its flag was given and wins.
func (f flags) badEnvBool(flagName, name string) error {
	v := env(name, "")
	if v == "" || f.given(flagName) {
		return nil
	}
	if _, err := strconv.ParseBool(v); err != nil {
		return exitError{2, fmt.Sprintf("BESLUTSGANG_%s: %q är varken 1 eller 0 (true eller false)", name, v)}
	}
	return nil
}
