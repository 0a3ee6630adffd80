package db

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"time"

	"github.com/kommun/beslutsgang/workflow"
)

// IntakeUploadTTL is how long an uploaded tjänsteskrivelse waits for its
// review: older uploads are deleted by the next SaveIntakeUpload, anyone's.
const IntakeUploadTTL = 24 * time.Hour

// IntakeUpload is an uploaded tjänsteskrivelse held between the upload and
// the confirmation of the case read from it (POST /cases/new/document).
type IntakeUpload struct {
	ID          string    // 32 hex digits, 128 random bits
	UserID      int64     // who uploaded it; nobody else can load it
	Name        string    // the file name, cleaned (CleanFileName)
	ContentType string    // as sniffed from the content
	Data        []byte    // the file as uploaded
	SHA256      string    // of Data, hex
	CreatedAt   time.Time // UTC
}

// Size is the file's size in bytes.
func (u IntakeUpload) Size() int64 { return int64(len(u.Data)) }

// Document is the upload as the first attachment of its case.
func (u IntakeUpload) Document() NewAttachment {
	return NewAttachment{Name: u.Name, ContentType: u.ContentType, Data: u.Data}
}

// SaveIntakeUpload keeps a file actor has uploaded for review and returns it
// with its new id. In the same transaction it deletes every upload older
// than IntakeUploadTTL, whoever made it. Errors: EINVALID for a file without
// a name, ETOOLARGE for one over MaxAttachmentSize.
func (s *Store) SaveIntakeUpload(ctx context.Context, actor workflow.User, a NewAttachment) (IntakeUpload, error) {
	u := IntakeUpload{UserID: actor.ID, Name: CleanFileName(a.Name), ContentType: a.ContentType, Data: a.Data,
		CreatedAt: s.now().UTC()}
	if u.Name == "" {
		return IntakeUpload{}, workflow.Errorf(workflow.EINVALID, "Filen saknar namn")
	}
	if int64(len(a.Data)) > MaxAttachmentSize {
		return IntakeUpload{}, workflow.Errorf(workflow.ETOOLARGE, "Filen är större än %d MB", MaxAttachmentSize>>20)
	}
	if u.Data == nil {
		u.Data = []byte{}
	}
	raw := make([]byte, 16)
	rand.Read(raw)
	u.ID = hex.EncodeToString(raw)
	sum := sha256.Sum256(u.Data)
	u.SHA256 = hex.EncodeToString(sum[:])
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM intake_uploads WHERE created_at < ?`,
			fmtTime(u.CreatedAt.Add(-IntakeUploadTTL))); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO intake_uploads(id, user_id, name, content_type, data, sha256, created_at)
			VALUES (?,?,?,?,?,?,?)`, u.ID, u.UserID, u.Name, u.ContentType, u.Data, u.SHA256, fmtTime(u.CreatedAt))
		return err
	})
	if err != nil {
		return IntakeUpload{}, err
	}
	return u, nil
}

// errNoUpload is what a missing, expired or someone else's upload gives.
func errNoUpload() error {
	return notFound("Dokumentet finns inte: det är redan registrerat, äldre än ett dygn eller uppladdat av någon annan. Ladda upp det igen.")
}

// IntakeUpload returns the upload id if actor made it and it is not older
// than IntakeUploadTTL. Error: ENOTFOUND otherwise, also for another
// user's upload.
func (s *Store) IntakeUpload(ctx context.Context, id string, actor workflow.User) (IntakeUpload, error) {
	return loadIntakeUpload(ctx, s.r, id, actor, s.now())
}

func loadIntakeUpload(ctx context.Context, q queryer, id string, actor workflow.User, now time.Time) (IntakeUpload, error) {
	u := IntakeUpload{ID: id}
	var at string
	err := q.QueryRowContext(ctx, `SELECT user_id, name, content_type, data, sha256, created_at FROM intake_uploads
		WHERE id = ? AND user_id = ? AND created_at >= ? AND case_number = ''`, id, actor.ID, fmtTime(now.UTC().Add(-IntakeUploadTTL))).
		Scan(&u.UserID, &u.Name, &u.ContentType, &u.Data, &u.SHA256, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return IntakeUpload{}, errNoUpload()
	}
	if err != nil {
		return IntakeUpload{}, err
	}
	u.CreatedAt = parseTime(at)
	return u, nil
}

// RegisteredUpload is the number of the case actor's upload id was
// registered as, while its row is kept (IntakeUploadTTL); "" when it was not
// registered, is gone or is someone else's.
func (s *Store) RegisteredUpload(ctx context.Context, id string, actor workflow.User) (string, error) {
	var number string
	err := s.r.QueryRowContext(ctx, `SELECT case_number FROM intake_uploads WHERE id = ? AND user_id = ? AND created_at >= ?`,
		id, actor.ID, fmtTime(s.now().UTC().Add(-IntakeUploadTTL))).Scan(&number)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return number, err
}

// registerIntakeUpload marks actor's upload id as registered as the case
// number, and drops its file (the case holds it now). Error: ENOTFOUND
// when actor has no such upload, or it is registered already.
func registerIntakeUpload(ctx context.Context, tx *sql.Tx, id string, actor workflow.User, number string) error {
	res, err := tx.ExecContext(ctx, `UPDATE intake_uploads SET case_number = ?, data = ? WHERE id = ? AND user_id = ? AND case_number = ''`,
		number, []byte{}, id, actor.ID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errNoUpload()
	}
	return nil
}

// DeleteIntakeUpload deletes actor's upload id. Error: ENOTFOUND when actor
// has no such upload.
func (s *Store) DeleteIntakeUpload(ctx context.Context, id string, actor workflow.User) error {
	return s.tx(ctx, func(tx *sql.Tx) error { return deleteIntakeUpload(ctx, tx, id, actor) })
}

func deleteIntakeUpload(ctx context.Context, tx *sql.Tx, id string, actor workflow.User) error {
	res, err := tx.ExecContext(ctx, `DELETE FROM intake_uploads WHERE id = ? AND user_id = ?`, id, actor.ID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errNoUpload()
	}
	return nil
}

// CreateCaseFromUpload registers the case in (ImportCase's rules when
// imported, CreateCase's otherwise) with actor's upload id as its first
// attachment, followed by in.Documents, and marks the upload registered as the
// case (RegisteredUpload; its file dropped), all in one
// transaction: a refused case leaves the upload for another try, and a
// second confirmation of the same upload finds it gone (ENOTFOUND), so one
// upload makes at most one case. Errors: ENOTFOUND for an upload that is
// not actor's or no longer there, and CreateCase's.
func (s *Store) CreateCaseFromUpload(ctx context.Context, id string, in CaseInput, actor workflow.User, imported bool) (c workflow.Case, err error) {
	defer s.heard("create", &err)
	u, err := s.IntakeUpload(ctx, id, actor)
	if err != nil {
		return workflow.Case{}, err
	}
	in.Documents = append([]NewAttachment{u.Document()}, in.Documents...)
	return s.createCaseWith(ctx, in, actor, imported, func(tx *sql.Tx, c workflow.Case) error {
		return registerIntakeUpload(ctx, tx, id, actor, c.Number)
	})
}

// KnownRecipients returns the e-mail address last used for each recipient
// name (Beslutet skickas till) on an earlier case, name to address, for
// filling in the addresses of a tjänsteskrivelse that names its recipients
// only: the address on the newest case (by registration in the service)
// that names it with one and is not secret. Recipients without an address,
// and those of secret cases, are left out. Read through the index on
// (name, case_id, pos): the distinct names one by one (a skip scan), each from
// its newest case back, so the cost grows with the names, not the cases.
func (s *Store) KnownRecipients(ctx context.Context) (map[string]string, error) {
	return knownRecipients(ctx, s.r)
}

func knownRecipients(ctx context.Context, q queryer) (map[string]string, error) {
	rows, err := q.QueryContext(ctx, `WITH RECURSIVE names(name) AS (
			SELECT MIN(name) FROM case_recipients
			UNION ALL SELECT (SELECT MIN(r.name) FROM case_recipients r WHERE r.name > names.name) FROM names WHERE names.name IS NOT NULL)
		SELECT names.name, (SELECT r.email FROM case_recipients r JOIN cases c ON c.id = r.case_id
			WHERE r.name = names.name AND r.email <> '' AND c.secret = ? ORDER BY r.case_id DESC, r.pos DESC LIMIT 1)
		FROM names WHERE names.name IS NOT NULL`, false)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var name string
		var email sql.NullString
		if err := rows.Scan(&name, &email); err != nil {
			return nil, err
		}
		if email.String != "" {
			out[name] = email.String
		}
	}
	return out, rows.Err()
}
