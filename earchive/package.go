// Package earchive writes closed cases as an information package for an
// e-archive (arkivleverans): the folder layout and METS.xml of E-ARK SIP
// 2.1.0 on CSIP 2.1.0 (Riksarkivet's FGS Paketstruktur 2.0), with the cases described
// either by CITS ERMS 2.1 (FGS Ärendehantering 2.0) or by FGS
// Ärendehantering 1.0 (root Leveransobjekt), which many municipal e-archives
// still take.
//
// Layout of a package (OUTDIR is its root; OBJID is OUTDIR's name):
//
//	METS.xml                          the package's METS, SHA-256 of every file
//	metadata/descriptive/ERMS.xml     or Arendehantering.xml (fgs1)
//	documentation/leveransinformation.txt
//	representations/rep1/data/<DIARIENUMMER>/NN_<file>
//	schemas/                          the XSDs the XML files follow
//
// An export is read-only except for one "delivered" event per case, written
// only once the whole package is complete and every checksum in its METS has
// been verified against the files. It is resumable: the work state lives in
// OUTDIR/.beslutsgang-export/ while the export runs (a case's files and its
// rendered description are kept once written and verified by checksum on a
// resume), and that folder is removed when the package is done.
package earchive

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/gofrs/flock"
	"github.com/google/uuid"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/workflow"
)

// Format is the descriptive metadata of a package.
type Format string

const (
	// FormatERMS is E-ARK CITS ERMS 2.1 (schema 2.1.2), Riksarkivet's FGS
	// Ärendehantering 2.0.
	FormatERMS Format = "erms"
	// FormatFGS1 is FGS Ärendehantering 1.0 (Arendehantering.xsd, namespace
	// http://xml.ra.se/e-arkiv/FGS-ERMS).
	FormatFGS1 Format = "fgs1"
)

// Formats lists the formats an export can write.
var Formats = []Format{FormatERMS, FormatFGS1}

// Valid reports whether f is a known format.
func (f Format) Valid() bool { return f == FormatERMS || f == FormatFGS1 }

// DefaultSecrecyGround is the legal ground written on a secret case's
// restriction when none is configured. The data model marks a case secret
// without the provision of offentlighets- och sekretesslagen (2009:400) that
// applies, so the package says "OSL" and the archive's registrar adds the
// chapter and section when they are known.
const DefaultSecrecyGround = "Offentlighets- och sekretesslagen (2009:400), grund ej angiven i Beslutsgång"

// Options is one export.
type Options struct {
	Board        string        // the board's code, e.g. ASN
	ClosedBefore workflow.Date // cases closed before 00:00 Europe/Stockholm of this day
	Format       Format
	Dir          string // OUTDIR: the package root; empty, missing, or a started export
	// SecrecyGround is the legal ground (lagrum) written on secret cases'
	// restrictions, e.g. "OSL 26 kap. 1 §"; empty: DefaultSecrecyGround.
	SecrecyGround string
	// Progress, if set, is called with the cases written so far and the
	// total: once before the first case, after each case, and at the end.
	Progress func(done, total int)
	// Now is the clock of a new export's creation time; nil: time.Now.
	Now func() time.Time
}

// Result says what an export wrote.
type Result struct {
	ObjID   string   // the package's OBJID, OUTDIR's name
	ID      string   // the delivery's UUID, in each case's delivered event
	Cases   []string // the diarienummer delivered
	Files   int      // files listed in METS.xml (METS.xml itself not counted)
	Resumed bool     // the export continued one that had been stopped
}

// Problem is an export refused for its input: the message is Swedish and
// says what to change. Nothing was written.
type Problem struct{ Msg string }

// Error is the Swedish message.
func (p *Problem) Error() string { return p.Msg }

func problem(format string, args ...any) error { return &Problem{fmt.Sprintf(format, args...)} }

// pathProblem says in Swedish why a folder could not be made or read.
func pathProblem(err error) string {
	switch {
	case errors.Is(err, fs.ErrPermission):
		return "behörighet saknas"
	case errors.Is(err, syscall.ENOTDIR):
		return "en del av sökvägen är en fil, inte en mapp"
	case errors.Is(err, fs.ErrNotExist):
		return "det går inte att skapa mappar där"
	}
	return err.Error()
}

const (
	workDir   = ".beslutsgang-export"
	stateName = "state.json"
	dataRoot  = "representations/rep1/data"
	// SoftwareName and version go into METS.xml's CREATOR agent (CSIP10-16).
	softwareName    = "Beslutsgång"
	softwareVersion = "1"
)

// state is a started export, kept in OUTDIR/.beslutsgang-export/state.json.
type state struct {
	Version      int       `json:"version"`
	ID           string    `json:"id"`
	Board        string    `json:"board"`
	BoardName    string    `json:"board_name"`
	ClosedBefore string    `json:"closed_before"`
	Format       Format    `json:"format"`
	Ground       string    `json:"ground"`
	Created      time.Time `json:"created"`
	Cases        []string  `json:"cases"`
}

// file is one file of the package with what METS.xml says of it.
type file struct {
	Path     string    `json:"path"` // relative to the package root, slash-separated
	Size     int64     `json:"size"`
	SHA256   string    `json:"sha256"`
	Created  time.Time `json:"created"`
	MimeType string    `json:"mime"`
}

// caseWork is what a finished case left in the work folder.
type caseWork struct {
	Files []file `json:"files"`
}

// Export writes (or finishes) the package of opts. Refusals of input are a
// *Problem: an unknown board or format, no case to deliver, an OUTDIR that
// holds other files, or a started export with other options.
func Export(ctx context.Context, s *db.Store, o Options) (Result, error) {
	if !o.Format.Valid() {
		return Result{}, problem("okänt format %q; välj erms eller fgs1", o.Format)
	}
	if o.ClosedBefore.IsZero() {
		return Result{}, problem("ange ett datum: ärenden avslutade före det levereras")
	}
	if strings.TrimSpace(o.Dir) == "" {
		return Result{}, problem("ange en mapp för paketet")
	}
	if o.SecrecyGround == "" {
		o.SecrecyGround = DefaultSecrecyGround
	}
	now := time.Now
	if o.Now != nil {
		now = o.Now
	}
	_, absent := os.Stat(o.Dir)
	st, resumed, unlock, err := begin(ctx, s, o, now)
	if err != nil {
		return Result{}, err
	}
	defer unlock()
	res := Result{ObjID: objID(o.Dir), ID: st.ID, Cases: st.Cases, Resumed: resumed}
	claim, err := claimBoard(ctx, s, st)
	if err != nil {
		if !resumed { // a refused new export leaves the folder as it found it
			_ = os.RemoveAll(filepath.Join(o.Dir, workDir))
			if absent != nil {
				_ = os.Remove(o.Dir)
			}
		}
		return res, err
	}
	defer claim.release()
	progress := func(done int) {
		if o.Progress != nil {
			o.Progress(done, len(st.Cases))
		}
	}
	progress(0)
	var files []file
	for i, number := range st.Cases {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		if err := claim.renew(ctx); err != nil {
			return res, err
		}
		written, err := writeCase(ctx, s, o.Dir, st, number)
		if err != nil {
			return res, fmt.Errorf("%s: %w", number, err)
		}
		files = append(files, written...)
		progress(i + 1)
	}
	all, err := finish(o.Dir, st, files)
	if err != nil {
		return res, err
	}
	res.Files = len(all)
	if err := Verify(o.Dir); err != nil {
		return res, fmt.Errorf("paketet är inte helt: %w", err)
	}
	payload := map[string]any{"package": st.ID, "objid": res.ObjID, "format": string(st.Format),
		"closed_before": st.ClosedBefore, "files": len(all)}
	if err := s.NoteDelivered(ctx, st.Cases, payload); err != nil {
		return res, err
	}
	if err := os.RemoveAll(filepath.Join(o.Dir, workDir)); err != nil {
		return res, err
	}
	progress(len(st.Cases))
	return res, nil
}

// objID is the package's OBJID: the name of its root folder (CSIP1).
func objID(dir string) string {
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	return filepath.Base(dir)
}

// begin starts an export in an empty or missing OUTDIR, or picks up the
// state of one started there with the same options. While the export runs
// it holds a lock (flock) on OUTDIR/.beslutsgang-export/lock, so a second
// export into the same folder, from this process or another, is refused;
// the lock goes with the process, so a killed export leaves none behind.
// unlock releases it.
func begin(ctx context.Context, s *db.Store, o Options, now func() time.Time) (st state, resumed bool, unlock func(), err error) {
	work := filepath.Join(o.Dir, workDir)
	if fi, err := os.Stat(o.Dir); err == nil && !fi.IsDir() {
		return st, false, nil, problem("%s är en fil, inte en mapp; välj en tom mapp (eller en som inte finns)", o.Dir)
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return st, false, nil, problem("mappen %s går inte att skapa eller läsa: %s; välj en annan mapp", o.Dir, pathProblem(err))
	}
	if _, err := os.Stat(filepath.Join(work, stateName)); err == nil {
		unlock, err := lockWork(o.Dir)
		if err != nil {
			return st, false, nil, err
		}
		raw, err := os.ReadFile(filepath.Join(work, stateName))
		if err != nil {
			unlock()
			return st, false, nil, err
		}
		if err := json.Unmarshal(raw, &st); err != nil {
			unlock()
			return st, false, nil, problem("%s: den påbörjade exportens tillstånd går inte att läsa (%v); börja om i en tom mapp", o.Dir, err)
		}
		if st.Board != o.Board || st.ClosedBefore != o.ClosedBefore.String() || st.Format != o.Format {
			unlock()
			return st, false, nil, problem("%s är en påbörjad export med andra val (nämnd %s, avslutade före %s, format %s); fortsätt med samma val eller välj en tom mapp",
				o.Dir, st.Board, st.ClosedBefore, st.Format)
		}
		return st, true, unlock, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return st, false, nil, err
	}
	entries, err := os.ReadDir(o.Dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return st, false, nil, problem("%s går inte att läsa: %v", o.Dir, err)
	}
	if len(entries) > 0 {
		return st, false, nil, problem("%s är inte tom och är ingen påbörjad export; välj en tom mapp (eller en som inte finns)", o.Dir)
	}
	board, err := s.Board(ctx, o.Board)
	if workflow.ErrorCode(err) == workflow.ENOTFOUND {
		return st, false, nil, problem("nämnden %q finns inte", o.Board)
	} else if err != nil {
		return st, false, nil, err
	}
	cases, err := s.ClosedCases(ctx, board.Code, o.ClosedBefore.Time(workflow.Stockholm))
	if err != nil {
		return st, false, nil, err
	}
	if len(cases) == 0 {
		return st, false, nil, problem("%s har inga avslutade ärenden före %s som inte redan levererats", board.Code, o.ClosedBefore)
	}
	st = state{Version: 1, ID: uuid.NewString(), Board: board.Code, BoardName: board.Name, ClosedBefore: o.ClosedBefore.String(),
		Format: o.Format, Ground: o.SecrecyGround, Created: now().UTC().Truncate(time.Second)}
	for _, c := range cases {
		st.Cases = append(st.Cases, c.Number)
	}
	if err := os.MkdirAll(filepath.Join(work, "cases"), 0o755); err != nil {
		return st, false, nil, problem("mappen %s går inte att skapa: %s; välj en annan mapp", o.Dir, pathProblem(err))
	}
	if unlock, err = lockWork(o.Dir); err != nil {
		return st, false, nil, err
	}
	b, _ := json.MarshalIndent(st, "", "  ")
	if err := writeAtomic(filepath.Join(work, stateName), b); err != nil {
		unlock()
		return st, false, nil, err
	}
	return st, false, unlock, nil
}

// lockWork takes the lock of the export in dir, or says that another export
// is writing there.
func lockWork(dir string) (func(), error) {
	l := flock.New(filepath.Join(dir, workDir, "lock"))
	ok, err := l.TryLock()
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, problem("%s skrivs just nu av en annan export; vänta tills den är klar", dir)
	}
	return func() { l.Unlock() }, nil
}

// writeCase writes one case's files and its rendered description, unless a
// stopped run already did and every file still has its checksum.
func writeCase(ctx context.Context, s *db.Store, dir string, st state, number string) ([]file, error) {
	key := safeName(number)
	workJSON := filepath.Join(dir, workDir, "cases", key+".json")
	if raw, err := os.ReadFile(workJSON); err == nil {
		var w caseWork
		if json.Unmarshal(raw, &w) == nil && filesIntact(dir, w.Files) {
			if _, err := os.Stat(filepath.Join(dir, workDir, "cases", key+".xml")); err == nil {
				return w.Files, nil
			}
		}
	}
	rec, err := s.ArchiveRecord(ctx, number)
	if err != nil {
		return nil, err
	}
	folder := path.Join(dataRoot, key)
	if err := os.RemoveAll(filepath.Join(dir, filepath.FromSlash(folder))); err != nil {
		return nil, err
	}
	doc := caseDoc{Record: rec, Ground: st.Ground}
	report := reportText(rec)
	f, err := writeFile(dir, path.Join(folder, "00_tjansteskrivelse.txt"), report, rec.Case.CreatedAt, "text/plain")
	if err != nil {
		return nil, err
	}
	doc.Report = f
	files := []file{f}
	for i, a := range rec.Case.Attachments {
		d := docFile{Attachment: a}
		if a.HasContent {
			_, data, err := s.AttachmentData(ctx, number, a.ID)
			if err != nil {
				return nil, err
			}
			name := fmt.Sprintf("%02d_%s", i+1, safeName(a.Name))
			mime := a.ContentType
			if mime == "" {
				mime = "application/octet-stream"
			}
			f, err := writeFile(dir, path.Join(folder, name), data, a.UploadedAt, mime)
			if err != nil {
				return nil, err
			}
			if a.SHA256 != "" && a.SHA256 != f.SHA256 {
				return nil, fmt.Errorf("bilaga %d: innehållet stämmer inte med sin sha256", a.ID)
			}
			d.File = &f
			files = append(files, f)
		}
		doc.Docs = append(doc.Docs, d)
	}
	var frag []byte
	switch st.Format {
	case FormatERMS:
		frag, err = ermsCase(doc)
	case FormatFGS1:
		frag, err = fgs1Case(doc)
	}
	if err != nil {
		return nil, err
	}
	if err := writeAtomic(filepath.Join(dir, workDir, "cases", key+".xml"), frag); err != nil {
		return nil, err
	}
	b, _ := json.Marshal(caseWork{Files: files})
	return files, writeAtomic(workJSON, b)
}

// finish writes the descriptive metadata from the cases' rendered parts,
// the schemas, the documentation and, last, METS.xml. It returns every file
// METS.xml lists.
func finish(dir string, st state, data []file) ([]file, error) {
	if err := sweepTemp(dir); err != nil {
		return nil, err
	}
	var parts [][]byte
	for _, n := range st.Cases {
		b, err := os.ReadFile(filepath.Join(dir, workDir, "cases", safeName(n)+".xml"))
		if err != nil {
			return nil, err
		}
		parts = append(parts, b)
	}
	var desc []byte
	var descName string
	var err error
	switch st.Format {
	case FormatERMS:
		desc, err = ermsDocument(st, parts)
		descName = "ERMS.xml"
	case FormatFGS1:
		desc, err = fgs1Document(st, parts)
		descName = "Arendehantering.xml"
	}
	if err != nil {
		return nil, err
	}
	meta, err := writeFile(dir, "metadata/descriptive/"+descName, desc, st.Created, "text/xml")
	if err != nil {
		return nil, err
	}
	var schemas []file
	for _, name := range schemaFiles(st.Format) {
		b, err := Schemas.ReadFile("schemas/" + name)
		if err != nil {
			return nil, err
		}
		f, err := writeFile(dir, "schemas/"+name, b, st.Created, "text/xml")
		if err != nil {
			return nil, err
		}
		schemas = append(schemas, f)
	}
	docFile, err := writeFile(dir, "documentation/leveransinformation.txt", deliveryText(st, len(data)), st.Created, "text/plain")
	if err != nil {
		return nil, err
	}
	sort.Slice(data, func(i, j int) bool { return data[i].Path < data[j].Path })
	m, err := metsDocument(st, objID(dir), meta, []file{docFile}, schemas, data)
	if err != nil {
		return nil, err
	}
	if err := writeAtomic(filepath.Join(dir, "METS.xml"), m); err != nil {
		return nil, err
	}
	all := append(append([]file{meta, docFile}, schemas...), data...)
	return all, nil
}

// sweepTemp removes the temporary files a killed export left beside the
// files it was writing (writeAtomic), which are no part of the package.
func sweepTemp(dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasPrefix(d.Name(), ".tmp-") {
			return os.Remove(p)
		}
		return nil
	})
}

// writeFile writes one file of the package (atomically) and describes it.
func writeFile(dir, rel string, data []byte, created time.Time, mime string) (file, error) {
	full := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		return file{}, err
	}
	if err := writeAtomic(full, data); err != nil {
		return file{}, err
	}
	sum := sha256.Sum256(data)
	return file{Path: rel, Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:]), Created: created.UTC(), MimeType: mime}, nil
}

// writeAtomic writes a file through a temporary file and a rename, synced,
// so a killed export leaves the old file or the new one, never half of one.
func writeAtomic(name string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(name), ".tmp-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), name)
}

// filesIntact reports whether every file is there with its size and SHA-256.
func filesIntact(dir string, files []file) bool {
	for _, f := range files {
		sum, size, err := fileSum(filepath.Join(dir, filepath.FromSlash(f.Path)))
		if err != nil || sum != f.SHA256 || size != f.Size {
			return false
		}
	}
	return true
}

// fileSum is a file's SHA-256 (hex) and size.
func fileSum(name string) (string, int64, error) {
	fh, err := os.Open(name)
	if err != nil {
		return "", 0, err
	}
	defer fh.Close()
	h := sha256.New()
	n, err := io.Copy(h, fh)
	if err != nil {
		return "", 0, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// safeName folds a name to what every file system and URL takes: Swedish
// letters to their base letter, other characters outside [A-Za-z0-9._-] to
// "_".
func safeName(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
			b.WriteRune(r)
		case strings.ContainsRune("åäàáâã", r):
			b.WriteByte('a')
		case strings.ContainsRune("ÅÄÀÁÂÃ", r):
			b.WriteByte('A')
		case strings.ContainsRune("öòóôõø", r):
			b.WriteByte('o')
		case strings.ContainsRune("ÖÒÓÔÕØ", r):
			b.WriteByte('O')
		case strings.ContainsRune("éèêë", r):
			b.WriteByte('e')
		case strings.ContainsRune("ÉÈÊË", r):
			b.WriteByte('E')
		default:
			b.WriteByte('_')
		}
	}
	out := strings.TrimLeft(b.String(), ".")
	if out == "" {
		out = "fil"
	}
	if len(out) > 120 {
		out = out[:120]
	}
	return out
}
