package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/demo"
	"github.com/kommun/beslutsgang/internal/docfixture"
	"github.com/kommun/beslutsgang/internal/pgtest"
	"github.com/kommun/beslutsgang/workflow"
)

func openStore(t *testing.T, path string) *db.Store {
	t.Helper()
	s, err := db.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestUserAdd(t *testing.T) {
	path := filepath.Join(t.TempDir(), "beslutsgang.db")
	mustRun(t, "", "board", "add", "--db", path, "--code", "ASN", "--name", "Arbetsmarknads- och socialnämnden")
	out := mustRun(t, "ett långt lösenord\n", "user", "add", "--db", path, "--email", "anna.berg@kommun.example",
		"--name", "Anna Berg", "--title", "Enhetschef", "--role", "ASN:approver", "--role", "asn:officer", "--password-stdin")
	if !strings.Contains(out, "Anna Berg <anna.berg@kommun.example>") || strings.Contains(out, "ett långt lösenord") {
		t.Errorf("user add said %q", out)
	}
	// Without --password-stdin a password is made and shown once.
	out = mustRun(t, "", "user", "add", "--db", path, "--email", "bo@kommun.example", "--name", "Bo Ek", "--role", "ASN:secretary")
	m := regexp.MustCompile(`Lösenord: (\S+)`).FindStringSubmatch(out)
	if m == nil || len(m[1]) < db.MinPasswordLength {
		t.Fatalf("generated password not shown: %q", out)
	}
	s := openStore(t, path)
	ctx := context.Background()
	anna, err := s.CheckPassword(ctx, "anna.berg@kommun.example", "ett långt lösenord")
	if err != nil || anna.Title != "Enhetschef" || !anna.Has("ASN", workflow.RoleApprover) || !anna.Has("ASN", workflow.RoleOfficer) {
		t.Errorf("Anna = %+v, %v", anna, err)
	}
	if _, err := s.CheckPassword(ctx, "bo@kommun.example", m[1]); err != nil {
		t.Errorf("the shown password does not work: %v", err)
	}
	// Refused: too short a password, a taken e-mail, an unknown board. Nothing is added.
	for _, tc := range []struct {
		stdin string
		args  []string
		want  string
	}{
		{"kort\n", []string{"--email", "cia@kommun.example", "--name", "Cia", "--password-stdin"}, "minst 10 tecken"},
		{"ett långt lösenord\n", []string{"--email", "ANNA.BERG@kommun.example", "--name", "Anna igen", "--password-stdin"}, "redan"},
		{"ett långt lösenord\n", []string{"--email", "cia@kommun.example", "--name", "Cia", "--role", "KS:officer", "--password-stdin"}, "KS"},
		{"ett långt lösenord\n", []string{"--email", "inte en adress", "--name", "Cia", "--password-stdin"}, "e-postadress"},
	} {
		r := cli(t, tc.stdin, append([]string{"user", "add", "--db", path}, tc.args...)...)
		if r.code() != 1 || !strings.Contains(describe(r.err), tc.want) {
			t.Errorf("user add %q: exit %d, %v; want exit 1 saying %q", tc.args, r.code(), r.err, tc.want)
		}
	}
	users, _ := s.Users(ctx)
	if len(users) != 2 {
		t.Errorf("%d users after the refusals, want 2", len(users))
	}
	out = mustRun(t, "", "user", "list", "--db", path)
	if !strings.Contains(out, "anna.berg@kommun.example") || !strings.Contains(out, "ASN:approver") {
		t.Errorf("user list = %q", out)
	}
}

// tamper alters the reason of one event behind the store's back, as someone
// with the file and the sqlite3 shell could.
func tamper(t *testing.T, path, number string, seq int) {
	t.Helper()
	d, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Exec(`DROP TRIGGER events_no_update`); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Exec(`UPDATE events SET reason = 'ändrat' WHERE seq = ? AND case_id = (SELECT id FROM cases WHERE number = ?)`, seq, number); err != nil {
		t.Fatal(err)
	}
}

func TestVerify(t *testing.T) {
	path := demoDB(t)
	events := rawCount(t, path, `SELECT COUNT(*) FROM events`)
	out := mustRun(t, "", "verify", "--db", path)
	if !strings.Contains(out, "OK") || !strings.Contains(out, " "+strconv.Itoa(events)+" händelser") {
		t.Errorf("verify on a clean database: %q (%d events)", out, events)
	}
	tamper(t, path, demo.SeedNumber, 2)
	r := cli(t, "", "verify", "--db", path)
	if r.code() != 1 {
		t.Fatalf("verify on a tampered database: exit %d (%v)", r.code(), r.err)
	}
	if !strings.Contains(r.stdout, "ärende "+demo.SeedNumber+", händelse 2") || strings.Contains(r.stdout, "OK") {
		t.Errorf("verify output %q does not name case %s event 2", r.stdout, demo.SeedNumber)
	}
	if !strings.Contains(r.err.Error(), "1 ärende har ändrade händelser") {
		t.Errorf("verify error %q", r.err)
	}
}

func TestBackup(t *testing.T) {
	path := demoDB(t)
	dest := filepath.Join(t.TempDir(), "kopia.db")
	out := mustRun(t, "", "backup", "--db", path, dest)
	if !strings.Contains(out, dest) {
		t.Errorf("backup said %q", out)
	}
	for _, q := range []string{`SELECT COUNT(*) FROM cases`, `SELECT COUNT(*) FROM events`, `SELECT COUNT(*) FROM users`} {
		if a, b := rawCount(t, path, q), rawCount(t, dest, q); a != b || a == 0 {
			t.Errorf("%s: %d in the database, %d in the backup", q, a, b)
		}
	}
	mustRun(t, "", "verify", "--db", dest)
	// The backup is a working database: the demo users log in to it.
	if _, err := openStore(t, dest).CheckPassword(context.Background(), "sekreterare@kommun.example", demo.Password); err != nil {
		t.Errorf("login on the backup: %v", err)
	}
	// An existing file is never overwritten.
	if r := cli(t, "", "backup", "--db", path, dest); r.code() != 1 || !strings.Contains(r.err.Error(), "finns redan") {
		t.Errorf("backup onto an existing file: exit %d, %v", r.code(), r.err)
	}
}

// Commands that read an installation refuse a database file that is not
// there, instead of creating an empty one and reporting on it.
func TestMissingDatabase(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "saknas", "beslutsgang.db")
	for _, args := range [][]string{
		{"verify", "--db", missing},
		{"backup", "--db", missing, filepath.Join(dir, "kopia.db")},
		{"user", "list", "--db", missing},
		{"import", "--db", missing, "--board", "ASN", "--officer", "x@kommun.example", "../../intake/testdata/ASN-2019-17886.txt"},
	} {
		r := cli(t, "", args...)
		if r.code() != 1 || !strings.Contains(r.err.Error(), missing) {
			t.Errorf("%q: exit %d, %v; want exit 1 naming the file", args, r.code(), r.err)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("files were created: %v", entries)
	}
}

func TestSettingsFromEnvironment(t *testing.T) {
	path := demoDB(t)
	t.Setenv("BESLUTSGANG_DB", path)
	out := mustRun(t, "", "verify")
	if !strings.Contains(out, "OK") || strings.Contains(out, " 0 händelser") {
		t.Errorf("verify with BESLUTSGANG_DB: %q", out)
	}
	// A flag on the command line wins over the environment.
	other := filepath.Join(t.TempDir(), "annan.db")
	mustRun(t, "", "board", "add", "--db", other, "--code", "KS", "--name", "Kommunstyrelsen")
	if n := rawCount(t, other, `SELECT COUNT(*) FROM boards`); n != 1 {
		t.Errorf("--db was not used: %d boards in it", n)
	}
	if n := rawCount(t, path, `SELECT COUNT(*) FROM boards WHERE name = 'Kommunstyrelsen'`); n != 1 {
		t.Errorf("the environment's database was changed")
	}
}

// organisation builds, with the CLI alone, what importing the seed report
// needs: the boards, their bodies, the officer and the three approvers.
func organisation(t *testing.T, path string) {
	t.Helper()
	mustRun(t, "", "board", "add", "--db", path, "--code", "ASN", "--name", "Arbetsmarknads- och socialnämnden")
	mustRun(t, "", "board", "add", "--db", path, "--code", "KS", "--name", "Kommunstyrelsen")
	for _, b := range [][4]string{
		{"ASN-PB", "ASN presidieberedning", "presidium", "ASN"},
		{"ASN-AU", "ASN arbetsutskott", "working_committee", "ASN"},
		{"ASN", "Arbetsmarknads- och socialnämnden", "board", "ASN"},
		{"KS", "Kommunstyrelsen", "executive_board", "KS"},
	} {
		mustRun(t, "", "body", "add", "--db", path, "--code", b[0], "--name", b[1], "--kind", b[2], "--board", b[3])
	}
	for _, u := range [][4]string{
		{"handlaggare@kommun.example", "Sara Lindqvist", "Utredare", "ASN:officer"},
		{"jonas.magnusson@kommun.example", "Jonas Magnusson", "Enhetschef", "ASN:approver"},
		{"katarina.lindeberg@kommun.example", "Katarina Lindeberg", "Avdelningschef", "ASN:approver"},
		{"britt-marie.pettersson@kommun.example", "Britt-Marie Pettersson", "Förvaltningschef", "ASN:approver"},
	} {
		mustRun(t, "ett långt lösenord\n", "user", "add", "--db", path, "--email", u[0], "--name", u[1], "--title", u[2], "--role", u[3], "--password-stdin")
	}
}

const seedReport = "../../intake/testdata/ASN-2019-17886.txt"

func TestImport(t *testing.T) {
	path := filepath.Join(t.TempDir(), "beslutsgang.db")
	organisation(t, path)
	out := mustRun(t, "", "import", "--db", path, "--board", "ASN", "--officer", "handlaggare@kommun.example", seedReport)
	if !strings.Contains(out, "Ärende ASN-2019-17886 registrerat: Internationell redovisning 2019 (2 förslag, 3 steg, 3 ansvariga)") ||
		!strings.Contains(out, "G-Tjänsteskrivelse - ASN 200130") {
		t.Errorf("import said %q", out)
	}
	s := openStore(t, path)
	c, err := s.Case(context.Background(), demo.SeedNumber)
	if err != nil {
		t.Fatal(err)
	}
	var route, approvers []string
	for _, st := range c.Route {
		route = append(route, st.Body.Code+" "+st.Date.String())
	}
	for _, a := range c.Approvers {
		approvers = append(approvers, a.Name+" "+a.Position)
	}
	if !slices.Equal(route, []string{"ASN-PB 2020-01-08", "ASN-AU 2020-01-16", "ASN 2020-01-30"}) ||
		!slices.Equal(approvers, []string{"Jonas Magnusson Enhetschef", "Katarina Lindeberg Avdelningschef", "Britt-Marie Pettersson Förvaltningschef"}) ||
		len(c.Proposals) != 2 || len(c.Attachments) != 3 || !c.Attachments[0].HasContent || c.Attachments[0].Name != "ASN-2019-17886.txt" ||
		c.Attachments[0].SHA256 != fileSHA256(t, seedReport) || c.Attachments[1].HasContent || c.Officer.Email != "handlaggare@kommun.example" ||
		len(c.Recipients) != 1 || c.Recipients[0].Name != "Kommunstyrelsen" || !strings.Contains(c.Background, "| TOTALT | | 4 029 253 SEK | |") {
		t.Errorf("imported case: route %q, approvers %q, %+v", route, approvers, c)
	}
	// The same report again: its number is taken, and nothing is added.
	events := rawCount(t, path, `SELECT COUNT(*) FROM events`)
	r := cli(t, "", "import", "--db", path, "--board", "ASN", "--officer", "handlaggare@kommun.example", seedReport)
	if r.code() != 1 || !strings.Contains(describe(r.err), "ASN-2019-17886 är redan använt") {
		t.Errorf("second import: exit %d, %v", r.code(), r.err)
	}
	if n := rawCount(t, path, `SELECT COUNT(*) FROM events`); n != events {
		t.Errorf("the refused import added %d events", n-events)
	}
	if n := rawCount(t, path, `SELECT COUNT(*) FROM attachments`); n != 3 {
		t.Errorf("%d attachments after the refused import, want 3", n)
	}
}

func fileSHA256(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// --dry-run prints the parse and the warnings and registers nothing; without
// --board the board is the one the document's number begins with.
func TestImportDryRunAndWarnings(t *testing.T) {
	path := filepath.Join(t.TempDir(), "beslutsgang.db")
	organisation(t, path)
	r := cli(t, "", "import", "--db", path, "--officer", "handlaggare@kommun.example", "--dry-run", seedReport)
	if r.err != nil {
		t.Fatalf("dry run: %v\n%s", r.err, r.stderr)
	}
	for _, want := range []string{"Fil: ASN-2019-17886.txt (", "Rubrik: Internationell redovisning 2019", "Nämnd: ASN",
		"Steg 1: ASN-PB 2020-01-08", "Ansvarig 1: jonas.magnusson@kommun.example, Enhetschef",
		"Beslutsunderlag: G-Tjänsteskrivelse - ASN 200130", "Inget registrerat (--dry-run)"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("dry run printed %q, without %q", r.stdout, want)
		}
	}
	if !strings.Contains(r.stderr, "varning: recipients[0]: ") {
		t.Errorf("dry run warned %q; want the recipient without an address", r.stderr)
	}
	if n := rawCount(t, path, `SELECT COUNT(*) FROM cases`); n != 0 {
		t.Errorf("%d cases after a dry run", n)
	}
	// What would be refused makes the dry run fail too.
	text, _ := os.ReadFile(seedReport)
	report := filepath.Join(t.TempDir(), "rapport.txt")
	os.WriteFile(report, []byte(strings.Replace(string(text), "ASN presidieberedning 2020-01-08", "Referensgruppen 2020-01-08", 1)), 0o600)
	r = cli(t, "", "import", "--db", path, "--officer", "handlaggare@kommun.example", "--dry-run", report)
	if msg := describe(r.err); r.code() != 1 || !strings.Contains(msg, "route[0]: ") || !strings.Contains(msg, "Referensgruppen") ||
		!strings.Contains(r.stderr, "varning: route[0]: ") {
		t.Errorf("dry run of an unmappable report: exit %d, %q, stderr %q", r.code(), msg, r.stderr)
	}
	// So does what the store would refuse: an officer who is no user, a
	// manager who may not create cases; and no officer at all is a usage error.
	for officer, code := range map[string]int{"ingen@kommun.example": 1, "jonas.magnusson@kommun.example": 1, "": 2} {
		args := []string{"import", "--db", path, "--dry-run"}
		if officer != "" {
			args = append(args, "--officer", officer)
		}
		r = cli(t, "", append(args, seedReport)...)
		if msg := describe(r.err); r.code() != code || (officer != "" && !strings.Contains(msg, officer)) {
			t.Errorf("dry run with --officer %q: exit %d, %q", officer, r.code(), msg)
		}
	}
	if n := rawCount(t, path, `SELECT COUNT(*) FROM cases`); n != 0 {
		t.Errorf("%d cases after dry runs", n)
	}
}

func TestImportNamesWhatIsMissing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "beslutsgang.db")
	organisation(t, path)
	mustRun(t, "", "user", "deactivate", "--db", path, "katarina.lindeberg@kommun.example")
	// A report naming an approver who is no user, and a body that does not exist.
	text, err := os.ReadFile(seedReport)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(strings.Replace(string(text), "Jonas Magnusson", "Jonna Magnusson", 1),
		"ASN presidieberedning 2020-01-08", "ASN beredningsgrupp 2020-01-08", 1)
	report := filepath.Join(t.TempDir(), "rapport.txt")
	os.WriteFile(report, []byte(edited), 0o600)
	r := cli(t, "", "import", "--db", path, "--board", "ASN", "--officer", "handlaggare@kommun.example", report)
	msg := describe(r.err)
	if r.code() != 1 || !strings.Contains(msg, "Jonna Magnusson") || !strings.Contains(msg, "ASN beredningsgrupp") {
		t.Errorf("import: exit %d, %q", r.code(), msg)
	}
	// With the names right, the deactivated approver is still refused.
	report2 := filepath.Join(t.TempDir(), "rapport2.txt")
	os.WriteFile(report2, text, 0o600)
	r = cli(t, "", "import", "--db", path, "--board", "ASN", "--officer", "handlaggare@kommun.example", report2)
	if msg := describe(r.err); r.code() != 1 || !strings.Contains(msg, "katarina.lindeberg@kommun.example är inte en aktiv användare") {
		t.Errorf("import with a deactivated approver: exit %d, %q", r.code(), msg)
	}
	if n := rawCount(t, path, `SELECT COUNT(*) FROM cases`); n != 0 {
		t.Errorf("%d cases after refused imports", n)
	}
}

// An import that cannot be read says why in Swedish, naming the line, and
// registers nothing (fault 10 of the secrecy and faults issue).
func TestImportErrorsAreSwedish(t *testing.T) {
	path := filepath.Join(t.TempDir(), "beslutsgang.db")
	organisation(t, path)
	text, err := os.ReadFile(seedReport)
	if err != nil {
		t.Fatal(err)
	}
	broken := strings.Replace(string(text), "ASN presidieberedning 2020-01-08", "ASN presidieberedning 2020-13-45", 1)
	report := filepath.Join(t.TempDir(), "rapport.txt")
	os.WriteFile(report, []byte(broken), 0o600)
	// Text nobody types, which the web refuses too (an overriding character, a broken byte).
	badText := filepath.Join(t.TempDir(), "trasig.txt")
	os.WriteFile(badText, []byte("Tjänsteskrivelse\nInternationell \u202e redovisning\nRad med \xff\n\fSida 2\n"), 0o600)
	for _, tt := range []struct {
		file string
		want []string
	}{
		{report, []string{"felaktig rad i beslutsplaneringen", "rad ", "2020-13-45 är inget giltigt datum"}},
		{filepath.Join(t.TempDir(), "finns-inte.txt"), []string{"kan inte läsa filen", "filen finns inte"}},
		{t.TempDir(), []string{"kan inte läsa filen", "det är en mapp"}},
		{badText, []string{"rad 2 innehåller tecknet U+202E", "rad 3 är inte giltig UTF-8"}},
	} {
		r := cli(t, "", "import", "--db", path, "--board", "ASN", "--officer", "handlaggare@kommun.example", tt.file)
		msg := describe(r.err)
		for _, w := range tt.want {
			if r.code() != 1 || !strings.Contains(msg, w) {
				t.Errorf("import %s: exit %d, %q lacks %q", tt.file, r.code(), msg, w)
			}
		}
		for _, english := range []string{"intake:", "line ", "no such file", "is a directory", "not a valid"} {
			if strings.Contains(msg, english) {
				t.Errorf("import %s: %q is not Swedish", tt.file, msg)
			}
		}
	}
	if n := rawCount(t, path, `SELECT COUNT(*) FROM cases`); n != 0 {
		t.Errorf("%d cases after refused imports", n)
	}
}

// A PDF uploaded while pdftotext is missing has no text (logged once);
// reindex reads it and builds the search index anew.
func TestReindex(t *testing.T) {
	path := demoDB(t)
	ctx := context.Background()
	s := openStore(t, path)
	var logged bytes.Buffer
	s.Log = slog.New(slog.NewTextHandler(&logged, nil))
	secretary, err := s.UserByEmail(ctx, "sekreterare@kommun.example")
	if err != nil {
		t.Fatal(err)
	}
	path0 := os.Getenv("PATH")
	t.Setenv("PATH", t.TempDir())
	for _, name := range []string{"a.pdf", "b.pdf"} {
		if _, err := s.AddAttachment(ctx, demo.DraftNumber, secretary, db.NewAttachment{Name: name, ContentType: "application/pdf",
			Data: docfixture.PDF(t, "Yttrande från PENSIONÄRSRÅDET "+name)}); err != nil {
			t.Fatal(err)
		}
	}
	os.Setenv("PATH", path0)
	if n := strings.Count(logged.String(), "pdftotext saknas"); n != 1 {
		t.Errorf("a missing pdftotext logged %d times: %s", n, logged.String())
	}
	search := func() []string {
		page, err := s.As(&secretary).Cases(ctx, db.CaseFilter{Query: "pensionärsrådet", PerPage: db.MaxPerPage})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, it := range page.Items {
			out = append(out, it.Number)
		}
		return out
	}
	if got := search(); len(got) != 0 {
		t.Fatalf("found before the text was read: %q", got)
	}
	s.Close()
	out := mustRun(t, "", "reindex", "--db", path)
	if !strings.Contains(out, "Text läst ur 2 bilagor") || !strings.Contains(out, "Sökindexet är byggt") {
		t.Errorf("reindex said %q", out)
	}
	s = openStore(t, path)
	if got := search(); !slices.Equal(got, []string{demo.DraftNumber}) {
		t.Errorf("after reindex: %q", got)
	}
	if r := cli(t, "", "reindex", "--db", filepath.Join(t.TempDir(), "finns-inte.db")); r.code() != 1 {
		t.Errorf("reindex of a missing database: exit %d", r.code())
	}
}

// On PostgreSQL the search index needs no build tag: reindex builds it.
func TestReindexPostgreSQL(t *testing.T) {
	url := pgtest.DatabaseURL(t)
	ctx := context.Background()
	s := openStore(t, url)
	if _, err := demo.Seed(ctx, s); err != nil {
		t.Fatal(err)
	}
	s.Close()
	out := mustRun(t, "", "reindex", "--db", url)
	if !regexp.MustCompile(`Indexerat (\d+) av \d+ ärenden`).MatchString(out) || !strings.Contains(out, "Sökindexet är byggt") {
		t.Errorf("reindex said %q", out)
	}
	s = openStore(t, url)
	secretary, err := s.UserByEmail(ctx, "sekreterare@kommun.example")
	if err != nil {
		t.Fatal(err)
	}
	page, err := s.As(&secretary).Cases(ctx, db.CaseFilter{Query: "förstahandskontrakten", PerPage: db.MaxPerPage})
	if err != nil || len(page.Items) != 1 || page.Items[0].Number != demo.DraftNumber || page.Items[0].Snippet == "" {
		t.Errorf("after reindex: %+v, %v", page.Items, err)
	}
}
