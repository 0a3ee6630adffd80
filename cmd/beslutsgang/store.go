package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/handlers/api"
	"github.com/kommun/beslutsgang/handlers/httpx"
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
			return exitError{1, fmt.Sprintf("%s har ändrade händelser", workflow.CountCases(len(broken)))}
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
	logFormat := f.logFlag()
	if err := f.parse(args, 0); err != nil {
		return err
	}
	log, err := logger(stderr, *logFormat, slog.LevelInfo)
	if err != nil {
		return err
	}
	// PostgreSQL's index needs no build tag; SQLite's needs FTS5.
	if !db.FullTextSearch && db.EngineOf(*f.db) == db.SQLite {
		return exitError{1, "sökindexet kräver att beslutsgang är byggt med -tags sqlite_fts5 (se README)"}
	}
	return f.use(true, func(s *db.Store) error {
		s.Log = log
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

// cmdBackup copies a SQLite database with the online backup API; --verify
// then checks the copy (checkCopy), and --check checks an existing copy
// without touching the database.
func cmdBackup(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	f := newFlags("backup", stderr, "MÅLFIL")
	verify := f.Bool("verify", false, "kontrollera kopian efteråt: integrity_check och varje händelsekedja")
	check := f.Bool("check", false, "skriv ingen kopia; kontrollera bara kopian MÅLFIL (t.ex. före en återställning)")
	if err := f.parse(args, 1); err != nil {
		return err
	}
	if *check {
		return checkCopy(ctx, f.Arg(0), stdout)
	}
	err := f.use(true, func(s *db.Store) error {
		if err := s.Backup(ctx, f.Arg(0)); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Säkerhetskopia skriven till %s\n", f.Arg(0))
		return nil
	})
	if err != nil || !*verify {
		return err
	}
	return checkCopy(ctx, f.Arg(0), stdout)
}

// checkCopy opens the copy at path read-only, runs SQLite's integrity_check
// and verifies every hash chain (db.VerifyBackup); it says how many cases
// and events the copy holds, or exits 1 naming what is damaged.
func checkCopy(ctx context.Context, path string, stdout io.Writer) error {
	r, err := db.VerifyBackup(ctx, path)
	if err != nil {
		return exitError{1, err.Error()}
	}
	for _, p := range r.Problems {
		fmt.Fprintf(stdout, "SKADA: %s\n", p)
	}
	for _, b := range r.Broken {
		fmt.Fprintf(stdout, "BRUTEN KEDJA: %v\n", b)
	}
	switch {
	case len(r.Problems) > 0:
		return exitError{1, fmt.Sprintf("kopian %s är skadad: SQLites integrity_check fann %d fel; använd en annan kopia", path, len(r.Problems))}
	case len(r.Broken) > 0:
		return exitError{1, fmt.Sprintf("kopian %s har %s med ändrade eller saknade händelser; använd en annan kopia", path, workflow.CountCases(len(r.Broken)))}
	}
	fmt.Fprintf(stdout, "Kopian är hel: %s, %d händelser\n", workflow.CountCases(r.Cases), r.Events)
	return nil
}

// cmdImport registers a case from a tjänsteskrivelse (PDF, DOCX or plain
// text, read by package intake) with the file as its first attachment and
// its beslutsunderlag listed by name after it. Warnings go to stderr as
// "varning: <fält>: <meddelande>"; what the case cannot be registered with
// (api.IntakeProblems) refuses the import. --dry-run prints the parse
// and registers nothing; it exits 1 too when the import would be refused.
func cmdImport(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	f := newFlags("import", stderr, "FIL.pdf|.docx|.txt")
	board := f.String("board", "", "nämndens kod, t.ex. ASN; utan: nämnden som dokumentets diarienummer börjar med")
	officer := f.String("officer", "", "handläggarens e-post (ärendets handläggare)")
	as := f.String("as", "", "e-post för den som registrerar (nämndsekreterare); utan: handläggaren själv")
	dryRun := f.Bool("dry-run", false, "visa vad som lästs ur dokumentet, med varningar, och registrera inget")
	if err := f.parse(args, 1); err != nil {
		return err
	}
	file := f.Arg(0)
	data, err := os.ReadFile(file)
	if err != nil {
		return exitError{1, fmt.Sprintf("%s: kan inte läsa filen: %s", file, fileProblem(err))}
	}
	r, err := intake.Read(ctx, filepath.Base(file), http.DetectContentType(data), data)
	if err != nil {
		msg, _ := httpx.ReadProblem(err)
		return exitError{1, fmt.Sprintf("%s: %s", file, msg)}
	}
	return f.use(true, func(s *db.Store) error {
		code := *board
		if code == "" {
			boards, err := s.Boards(ctx)
			if err != nil {
				return err
			}
			var codes []string
			for _, b := range boards {
				codes = append(codes, b.Code)
			}
			code = httpx.IntakeBoard(r, codes)
		}
		bodies, err := s.Bodies(ctx)
		if err != nil {
			return err
		}
		users, err := s.Users(ctx)
		if err != nil {
			return err
		}
		known, err := s.KnownRecipients(ctx)
		if err != nil {
			return err
		}
		in, warnings := r.Draft(intake.Directory{Board: code, Bodies: bodies, Users: users, Recipients: known})
		in.Officer = *officer
		for _, w := range warnings {
			fmt.Fprintf(stderr, "varning: %s: %s\n", w.Field, w.Message)
		}
		in.Documents = []db.NewAttachment{{Name: filepath.Base(file), ContentType: http.DetectContentType(data), Data: data}}
		for _, name := range r.Attachments {
			in.Documents = append(in.Documents, db.NewAttachment{Name: name})
		}
		if *dryRun {
			printParse(stdout, r, in, data)
		}
		if err := r.Err(); err != nil {
			return exitError{1, fmt.Sprintf("%s: %v", file, err)}
		}
		actorEmail := *as
		if actorEmail == "" {
			actorEmail = *officer
		}
		if strings.TrimSpace(actorEmail) == "" {
			return exitError{2, "import: ange --officer, handläggarens e-post (och --as för en nämndsekreterare som registrerar åt handläggaren)"}
		}
		actor, err := s.UserByEmail(ctx, actorEmail)
		if err != nil {
			return exitError{1, fmt.Sprintf("%s: %s: det finns ingen aktiv användare med den e-postadressen", file, actorEmail)}
		}
		// What the registration would refuse, said before anything is
		// written, and the same for --dry-run.
		refusal := api.JoinRefusals(api.IntakeProblems(r, in, warnings), s.CheckCase(ctx, in, actor))
		if refusal != nil {
			return exitError{1, fmt.Sprintf("%s: kan inte registreras (av %s): %s", file, actorEmail, fieldList(refusal))}
		}
		if *dryRun {
			fmt.Fprintln(stdout, "Inget registrerat (--dry-run); dokumentet kan registreras")
			return nil
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
		for i, a := range c.Attachments {
			if i == 0 {
				fmt.Fprintf(stdout, "  bilaga 1, dokumentet: %s (%d byte, sha256 %s)\n", a.Name, a.Size, a.SHA256)
				continue
			}
			// The report lists its beslutsunderlag by name; the files are uploaded separately.
			fmt.Fprintf(stdout, "  beslutsunderlag förtecknat (ladda upp filen): %s\n", a.Name)
		}
		return nil
	})
}

// printParse writes what was read from a document and how it maps, for
// import --dry-run.
func printParse(w io.Writer, r intake.Report, in db.CaseInput, data []byte) {
	sum := sha256.Sum256(data)
	fmt.Fprintf(w, "Fil: %s (%d byte, sha256 %s)\n", in.Documents[0].Name, len(data), hex.EncodeToString(sum[:]))
	fmt.Fprintf(w, "Rubrik: %s\n", in.Title)
	if in.Number != "" {
		fmt.Fprintf(w, "Diarienummer: %s (registreras med numret)\n", in.Number)
	} else if r.Reference != "" {
		fmt.Fprintf(w, "Diarienummer i dokumentet: %s (ärendet får ett nytt nummer)\n", r.Reference)
	}
	if r.Date != "" {
		fmt.Fprintf(w, "Datum: %s\n", r.Date)
	}
	fmt.Fprintf(w, "Nämnd: %s\n", orDash(in.Board))
	fmt.Fprintf(w, "Sammanfattning: %d tecken\n", len([]rune(in.Summary)))
	for i, p := range in.Proposals {
		fmt.Fprintf(w, "Förslag %d: %s\n", i+1, p)
	}
	for i, st := range in.Route {
		written := ""
		if i < len(r.Route) {
			written = r.Route[i].Body
		}
		fmt.Fprintf(w, "Steg %d: %s %s (%q)\n", i+1, orDash(st.Body), orDash(st.Date), written)
	}
	for i, a := range in.Approvers {
		fmt.Fprintf(w, "Ansvarig %d: %s, %s\n", i+1, orDash(a.Email), a.Position)
	}
	for i, m := range in.Recipients {
		fmt.Fprintf(w, "Mottagare %d: %s <%s>\n", i+1, m.Name, m.Email)
	}
	for _, name := range r.Attachments {
		fmt.Fprintf(w, "Beslutsunderlag: %s\n", name)
	}
	fmt.Fprintf(w, "Ärendet: %d tecken\n", len([]rune(in.Background)))
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

// fieldList writes an error's field errors as "fält: meddelande; …".
func fieldList(err error) string {
	var we *workflow.Error
	if !errors.As(err, &we) || len(we.Fields) == 0 {
		return err.Error()
	}
	parts := make([]string, len(we.Fields))
	for i, f := range we.Fields {
		parts[i] = f.Field + ": " + f.Message
	}
	return strings.Join(parts, "; ")
}
