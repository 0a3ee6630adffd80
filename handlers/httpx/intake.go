package httpx

import (
	"context"
	"errors"
	"strings"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/intake"
	"github.com/kommun/beslutsgang/workflow"
)

// IntakeDirectory is what intake needs to map a document's names onto the
// installation: its bodies, its users and the recipients' known addresses,
// for a case of board.
func IntakeDirectory(ctx context.Context, store *db.Store, board string) (intake.Directory, error) {
	dir := intake.Directory{Board: board}
	var err error
	if dir.Bodies, err = store.Bodies(ctx); err != nil {
		return dir, err
	}
	if dir.Users, err = store.Users(ctx); err != nil {
		return dir, err
	}
	if dir.Recipients, err = store.KnownRecipients(ctx); err != nil {
		return dir, err
	}
	return dir, nil
}

// CreatableBoards are the codes of the boards u may create cases in.
func CreatableBoards(ctx context.Context, store *db.Store, u workflow.User) ([]string, error) {
	boards, err := store.Boards(ctx)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, b := range boards {
		if u.Has(b.Code, workflow.RoleOfficer) || u.Has(b.Code, workflow.RoleSecretary) {
			out = append(out, b.Code)
		}
	}
	return out, nil
}

// IntakeBoard is the board a document's case goes to when the person did
// not choose one: of boards (codes), the one that begins the document's
// number (ASN-2019-17886) or names the registry of its diarienummer as
// written (intake.DnrPrefix: "KS/2017:96", "2023/KS 0362"); else the only
// one of boards; else "".
func IntakeBoard(r intake.Report, boards []string) string {
	for _, ref := range []string{r.Number, r.Reference} {
		code := intake.DnrPrefix(strings.TrimSpace(ref))
		for _, b := range boards {
			if code != "" && strings.EqualFold(b, code) {
				return b
			}
		}
	}
	if len(boards) == 1 {
		return boards[0]
	}
	return ""
}

// ReadProblem is the Swedish message for a document intake.Read could not
// read, and whether it is the server's lack (pdftotext missing) rather than
// the file's.
// The sentinels' messages are Swedish and complete; a damaged file's error
// carries the extractor's own words (a zip or pdftotext message), which are
// not shown.
func ReadProblem(err error) (msg string, serverSide bool) {
	switch {
	case errors.Is(err, intake.ErrNoPdftotext):
		return Capitalize(err.Error()), true
	case errors.Is(err, intake.ErrUnsupported), errors.Is(err, intake.ErrEmpty), errors.Is(err, intake.ErrBadText):
		return Capitalize(err.Error()), false
	}
	return "Filen kunde inte läsas: den verkar vara skadad. Spara den på nytt som PDF, Word-fil (.docx) eller textfil och försök igen.", false
}

// Capitalize upper-cases the first letter of a message.
func Capitalize(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}

// NoCreate refuses a new case, from a form or a document, to a user who may
// create none (CreatableBoards is empty).
const NoCreate = "Bara handläggare och nämndsekreterare kan skapa ärenden"
