package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/intake"
	"github.com/kommun/beslutsgang/workflow"
)

func cmdVerify(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	f := newFlags("verify", stderr)
	if err := f.parse(args, 0); err != nil {
		return err
	}
	return f.use(true, func(s *db.Store) error {
		checked, broken, err := s.Verify(ctx)
		if err != nil {
			return err
		}
		for _, b := range broken {
			fmt.Fprintf(stdout, "BRUTEN KEDJA: %v\n", b)
		}
		if len(broken) > 0 {
			return exitError{1, fmt.Sprintf("%d ärenden har ändrade händelser", len(broken))}
		}
		fmt.Fprintf(stdout, "OK: %d händelser kontrollerade, alla kedjor hela\n", checked)
		return nil
	})
}

// cmdReindex reads the text of files not read at upload (pdftotext was
// missing, or they came before the search index) and builds the search index
// anew. Searches are incomplete while it runs.
func cmdReindex(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	f := newFlags("reindex", stderr)
	if err := f.parse(args, 0); err != nil {
		return err
	}
	// PostgreSQL's index needs no build tag; SQLite's needs FTS5.
	if !db.FullTextSearch && db.EngineOf(*f.db) == db.SQLite {
		return exitError{1, "sökindexet kräver att beslutsgang är byggt med -tags sqlite_fts5 (se README)"}
	}
	return f.use(true, func(s *db.Store) error {
		s.Log = slog.New(slog.NewTextHandler(stderr, nil))
		n, err := s.ReadAttachmentTexts(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Text läst ur %d bilagor\n", n)
		err = s.Reindex(ctx, func(done, total int) {
			fmt.Fprintf(stdout, "Indexerat %d av %d ärenden\n", done, total)
		})
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, "Sökindexet är byggt")
		return nil
	})
}

func cmdBackup(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	f := newFlags("backup", stderr)
	if err := f.parse(args, 1); err != nil {
		return err
	}
	return f.use(true, func(s *db.Store) error {
		if err := s.Backup(ctx, f.Arg(0)); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Säkerhetskopia skriven till %s\n", f.Arg(0))
		return nil
	})
}

func cmdImport(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	f := newFlags("import", stderr)
	board := f.String("board", "", "nämndens kod, t.ex. ASN")
	officer := f.String("officer", "", "handläggarens e-post (ärendets handläggare)")
	as := f.String("as", "", "e-post för den som registrerar (nämndsekreterare); utan: handläggaren själv")
	if err := f.parse(args, 1); err != nil {
		return err
	}
	text, err := os.ReadFile(f.Arg(0))
	if err != nil {
		return exitError{1, fmt.Sprintf("%s: kan inte läsa filen: %s", f.Arg(0), fileProblem(err))}
	}
	if msg := textProblems(string(text)); msg != "" {
		return exitError{1, fmt.Sprintf("%s: %s", f.Arg(0), msg)}
	}
	r, err := intake.Parse(string(text))
	if err != nil {
		return exitError{1, fmt.Sprintf("%s: %v", f.Arg(0), err)}
	}
	return f.use(true, func(s *db.Store) error {
		bodies, err := s.Bodies(ctx)
		if err != nil {
			return err
		}
		users, err := s.Users(ctx)
		if err != nil {
			return err
		}
		in, err := r.Input(intake.Directory{Board: *board, Bodies: bodies, Users: users})
		if err != nil {
			return err
		}
		in.Officer = *officer
		actorEmail := *as
		if actorEmail == "" {
			actorEmail = *officer
		}
		actor, err := s.UserByEmail(ctx, actorEmail)
		if err != nil {
			return err
		}
		var c workflow.Case
		if in.Number != "" {
			c, err = s.ImportCase(ctx, in, actor)
		} else {
			c, err = s.CreateCase(ctx, in, actor)
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Ärende %s registrerat: %s (%d förslag, %d steg, %d ansvariga)\n",
			c.Number, c.Title, len(c.Proposals), len(c.Route), len(c.Approvers))
		// The report lists its beslutsunderlag by name; the files are uploaded separately.
		for _, name := range r.Attachments {
			if _, err := s.AddAttachment(ctx, c.Number, actor, db.NewAttachment{Name: name}); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "  beslutsunderlag förtecknat (ladda upp filen): %s\n", name)
		}
		return nil
	})
}
