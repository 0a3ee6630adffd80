package db

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"path"
	"strings"
	"sync"
	"unicode"

	"github.com/kommun/beslutsgang/doctext"
	"github.com/kommun/beslutsgang/workflow"
)

// MaxAttachmentSize bounds one uploaded file.
var MaxAttachmentSize int64 = 20 << 20

// NewAttachment is a file to attach. Data nil registers a document by name only,
// as an imported tjänsteskrivelse lists its beslutsunderlag.
type NewAttachment struct {
	Name        string
	ContentType string
	Data        []byte
}

// AddAttachment attaches a file to a case. The officer may attach while the
// case is a draft; the board's secretary until the case is decided.
func (s *Store) AddAttachment(ctx context.Context, number string, actor workflow.User, a NewAttachment) (workflow.Attachment, error) {
	name := CleanFileName(a.Name)
	if name == "" {
		return workflow.Attachment{}, workflow.Errorf(workflow.EINVALID, "Filen saknar namn")
	}
	if int64(len(a.Data)) > MaxAttachmentSize {
		return workflow.Attachment{}, workflow.Errorf(workflow.ETOOLARGE, "Filen är större än %d MB", MaxAttachmentSize>>20)
	}
	// The text is read before the write transaction: pdftotext may take seconds.
	text := s.documentText(ctx, name, a)
	var out workflow.Attachment
	_, err := s.change(ctx, number, actor, func(tx *sql.Tx, c workflow.Case, env workflow.Env) (workflow.Result, error) {
		officer := actor.ID == c.Officer.ID && c.Stage == workflow.StageDraft
		secretary := actor.Has(c.Board.Code, workflow.RoleSecretary) && c.Open() && c.Decision == nil
		if !officer && !secretary {
			return workflow.Result{}, workflow.Errorf(workflow.EFORBIDDEN,
				"Bilagor läggs till av handläggaren medan ärendet är ett utkast, och av nämndsekreteraren fram till beslutet")
		}
		att, err := insertAttachment(ctx, tx, c.ID, actor, name, a, text, env)
		if err != nil {
			return workflow.Result{}, err
		}
		out = att
		next := c.Clone()
		next.Attachments = append(next.Attachments, att)
		next.Version++
		next.UpdatedAt = env.Now
		ev := workflow.Event{CaseNumber: c.Number, At: env.Now, Actor: actor.Person(), Action: "attach",
			From: c.Stage, To: c.Stage, Payload: mustPayload(map[string]any{"id": att.ID, "name": att.Name, "size": att.Size, "sha256": att.SHA256})}
		return workflow.Result{Case: next, Event: ev, Deadlines: workflow.PlanDeadlines(&next, env.Secretaries, env.Policy)}, nil
	})
	return out, err
}

// insertAttachment writes an attachment and its content; text is the
// content's text (nil: not read).
func insertAttachment(ctx context.Context, tx *sql.Tx, caseID int64, actor workflow.User, name string, a NewAttachment, text *string,
	env workflow.Env) (workflow.Attachment, error) {
	att := workflow.Attachment{Name: name, ContentType: a.ContentType, Size: int64(len(a.Data)),
		HasContent: a.Data != nil, UploadedBy: actor.Person(), UploadedAt: env.Now}
	var sum any
	if a.Data != nil {
		h := sha256.Sum256(a.Data)
		att.SHA256 = hex.EncodeToString(h[:])
		sum = att.SHA256
		if _, err := tx.ExecContext(ctx, `INSERT INTO blobs(sha256, data) VALUES (?,?) ON CONFLICT DO NOTHING`, att.SHA256, a.Data); err != nil {
			return att, err
		}
	}
	err := tx.QueryRowContext(ctx, `INSERT INTO attachments(case_id, name, content_type, size, sha256, uploaded_by, uploaded_at, text)
		VALUES (?,?,?,?,?,?,?,?) RETURNING id`, caseID, att.Name, att.ContentType, att.Size, sum, actor.ID, fmtTime(env.Now), text).Scan(&att.ID)
	return att, err
}

func loadAttachments(ctx context.Context, q queryer, caseID int64) ([]workflow.Attachment, error) {
	rows, err := q.QueryContext(ctx, `SELECT attachments.id, attachments.name, content_type, size, COALESCE(sha256, ''),
		users.id, users.name, uploaded_at FROM attachments JOIN users ON users.id = attachments.uploaded_by
		WHERE case_id = ? ORDER BY attachments.id`, caseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []workflow.Attachment{}
	for rows.Next() {
		var a workflow.Attachment
		var at string
		if err := rows.Scan(&a.ID, &a.Name, &a.ContentType, &a.Size, &a.SHA256, &a.UploadedBy.ID, &a.UploadedBy.Name, &at); err != nil {
			return nil, err
		}
		a.HasContent = a.SHA256 != ""
		a.UploadedAt = parseTime(at)
		out = append(out, a)
	}
	return out, rows.Err()
}

// AttachmentData returns an attachment of a case with its content.
func (s *Store) AttachmentData(ctx context.Context, number string, id int64) (workflow.Attachment, []byte, error) {
	var a workflow.Attachment
	var data []byte
	var sum sql.NullString
	err := s.r.QueryRowContext(ctx, `SELECT attachments.id, attachments.name, content_type, size, attachments.sha256, blobs.data
		FROM attachments JOIN cases ON cases.id = attachments.case_id LEFT JOIN blobs ON blobs.sha256 = attachments.sha256
		WHERE cases.number = ? AND attachments.id = ?`, number, id).Scan(&a.ID, &a.Name, &a.ContentType, &a.Size, &sum, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return a, nil, notFound("Bilagan finns inte i ärende %s", number)
	}
	if err != nil {
		return a, nil, err
	}
	a.SHA256, a.HasContent = sum.String, sum.Valid
	if !a.HasContent {
		return a, nil, notFound("Bilagan %q är bara förtecknad; filen finns inte i Beslutsgång", a.Name)
	}
	return a, data, nil
}

// documentText reads the text of an attachment's content for the search
// index (package doctext). nil means not read: no content, or pdftotext is
// missing (logged once; `beslutsgang reindex` reads it later). A format
// without text, or a damaged file, has the empty text.
func (s *Store) documentText(ctx context.Context, name string, a NewAttachment) *string {
	if a.Data == nil {
		return nil
	}
	text, err := doctext.Extract(ctx, name, a.ContentType, a.Data)
	switch {
	case errors.Is(err, doctext.ErrNoPdftotext):
		noPdftotext.Do(func() {
			s.Log.WarnContext(ctx, "pdftotext saknas: texten i PDF-bilagor blir inte sökbar förrän poppler-utils installeras och beslutsgang reindex körs")
		})
		return nil
	case err != nil:
		text = ""
	}
	return &text
}

// noPdftotext logs a missing pdftotext once per process.
var noPdftotext sync.Once

// ReadAttachmentTexts reads the text of every attachment whose text was not
// read at upload (uploaded before the search index existed, or while
// pdftotext was missing), one file at a time outside any transaction, and
// stores it with the case's index rows. It returns how many it read.
func (s *Store) ReadAttachmentTexts(ctx context.Context) (int, error) {
	type pending struct {
		id, caseID  int64
		name, ctype string
	}
	var todo []pending
	rows, err := s.r.QueryContext(ctx, `SELECT id, case_id, name, content_type FROM attachments
		WHERE text IS NULL AND sha256 IS NOT NULL ORDER BY id`)
	if err != nil {
		return 0, err
	}
	for rows.Next() {
		var p pending
		if err := rows.Scan(&p.id, &p.caseID, &p.name, &p.ctype); err != nil {
			rows.Close()
			return 0, err
		}
		todo = append(todo, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	n := 0
	for _, p := range todo {
		var data []byte
		if err := s.r.QueryRowContext(ctx, `SELECT b.data FROM attachments a JOIN blobs b ON b.sha256 = a.sha256 WHERE a.id = ?`,
			p.id).Scan(&data); err != nil {
			return n, err
		}
		text := s.documentText(ctx, p.name, NewAttachment{Name: p.name, ContentType: p.ctype, Data: data})
		if text == nil {
			continue
		}
		err := s.tx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, `UPDATE attachments SET text = ? WHERE id = ? AND text IS NULL`, *text, p.id); err != nil {
				return err
			}
			return s.indexCase(ctx, tx, p.caseID)
		})
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// CleanFileName keeps a client-supplied file name for display only: no
// directories, no control characters, at most 200 characters.
func CleanFileName(name string) string {
	name = strings.ReplaceAll(name, `\`, "/")
	name = path.Base(strings.TrimSpace(name))
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '/' {
			return -1
		}
		return r
	}, name)
	if name == "." || name == ".." {
		return ""
	}
	if r := []rune(name); len(r) > 200 {
		name = string(r[:200])
	}
	return strings.TrimSpace(name)
}
