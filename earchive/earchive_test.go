package earchive_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gofrs/flock"
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/demo"
	"github.com/kommun/beslutsgang/earchive"
	"github.com/kommun/beslutsgang/internal/pgtest"
	"github.com/kommun/beslutsgang/workflow"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

// demoStore is the demo installation (SQLite, or PostgreSQL with
// BESLUTSGANG_TEST_ENGINE=postgres) with its secret case withdrawn, so the
// closed cases of ASN are the demo's closed ones and a secret one.
func demoStore(t *testing.T) (*db.Store, string) {
	t.Helper()
	s, err := db.Open(pgtest.DSN(t, "beslutsgang.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	ctx := context.Background()
	if ok, err := demo.Seed(ctx, s); err != nil || !ok {
		t.Fatalf("demo.Seed = %v, %v", ok, err)
	}
	page, err := s.Cases(ctx, db.CaseFilter{Board: "ASN", PerPage: 200})
	if err != nil {
		t.Fatal(err)
	}
	secret := ""
	for _, it := range page.Items {
		if it.Secret && it.Stage != workflow.StageClosed {
			secret = it.Number
		}
	}
	if secret == "" {
		t.Fatal("the demo has no open secret case")
	}
	c, err := s.Case(ctx, secret)
	if err != nil {
		t.Fatal(err)
	}
	officer, err := s.User(ctx, c.Officer.ID)
	if err != nil {
		t.Fatal(err)
	}
	// A document with content, so the package carries a file besides the
	// tjänsteskrivelse; its name has letters a file name folds.
	secretary, err := s.UserByEmail(ctx, "sekreterare@kommun.example")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddAttachment(ctx, secret, secretary, db.NewAttachment{Name: "Yttrande över målet.txt",
		ContentType: "text/plain", Data: []byte(attachmentText)}); err != nil {
		t.Fatal(err)
	}
	if c, err = s.Case(ctx, secret); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Act(ctx, secret, officer, workflow.Command{Action: workflow.ActWithdraw, Version: c.Version,
		Reason: "Målet avskrevs"}); err != nil {
		t.Fatal(err)
	}
	return s, secret
}

// attachmentText is the content of the document demoStore attaches.
const attachmentText = "Nämnden yttrar sig i målet enligt följande.\n"

// tomorrow is the day after today in Stockholm: every case closed so far
// was closed before it.
func tomorrow() workflow.Date { return workflow.Today(time.Now()).AddDays(1) }

// deliveredEvents counts the delivered events of each case.
func deliveredEvents(t *testing.T, s *db.Store, numbers []string) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, n := range numbers {
		evs, err := s.Events(context.Background(), n)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range evs {
			if e.Action == db.ActionDelivered {
				out[n]++
			}
		}
	}
	return out
}

// validate runs the real xmllint on a file against the package's schemas,
// offline: a driver schema imports every namespace from the local files
// (xlink first, so mets.xsd's import of it from loc.gov is skipped).
func validate(t *testing.T, file string, imports map[string]string) {
	t.Helper()
	if out, err := xmllint(t, file, imports); err != nil || !bytes.Contains(out, []byte(" validates")) {
		t.Errorf("xmllint %s: %v\n%s", file, err, out)
	}
}

// xmllint is the validation of validate, its output and error.
func xmllint(t *testing.T, file string, imports map[string]string) ([]byte, error) {
	t.Helper()
	if _, err := exec.LookPath("xmllint"); err != nil {
		t.Fatal("xmllint is missing: apt-get install libxml2-utils")
	}
	schemaDir, err := filepath.Abs("schemas")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?>` + "\n" + `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">` + "\n")
	for _, ns := range []string{earchive.XLinkNamespace, earchive.METSNamespace, earchive.CSIPNamespace, earchive.ERMSNamespace, earchive.FGS1Namespace} {
		if name, ok := imports[ns]; ok {
			b.WriteString(`<xs:import namespace="` + ns + `" schemaLocation="` + filepath.Join(schemaDir, name) + `"/>` + "\n")
		}
	}
	b.WriteString("</xs:schema>\n")
	driver := filepath.Join(t.TempDir(), "driver.xsd")
	if err := os.WriteFile(driver, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return exec.Command("xmllint", "--nonet", "--noout", "--schema", driver, file).CombinedOutput()
}

// metsFiles reads every file reference of a METS.xml, independently of the
// package's own reader: href, CHECKSUM, CHECKSUMTYPE, SIZE.
type metsRef struct {
	Href     string `xml:"http://www.w3.org/1999/xlink href,attr"`
	Checksum string `xml:"CHECKSUM,attr"`
	Type     string `xml:"CHECKSUMTYPE,attr"`
	Size     int64  `xml:"SIZE,attr"`
}

func metsRefs(t *testing.T, dir string) []metsRef {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, "METS.xml"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Dmd   []metsRef `xml:"dmdSec>mdRef"`
		Files []struct {
			metsRef
			FLocat metsRef `xml:"FLocat"`
		} `xml:"fileSec>fileGrp>file"`
	}
	if err := xml.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	out := m.Dmd
	for _, f := range m.Files {
		r := f.metsRef
		r.Href = f.FLocat.Href
		out = append(out, r)
	}
	return out
}

// checkChecksums checks every METS checksum against the file, and that
// every file of the package is in METS.xml.
func checkChecksums(t *testing.T, dir string) {
	t.Helper()
	listed := map[string]bool{}
	for _, r := range metsRefs(t, dir) {
		listed[r.Href] = true
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(r.Href)))
		if err != nil {
			t.Errorf("%s: %v", r.Href, err)
			continue
		}
		sum := sha256.Sum256(data)
		if r.Type != "SHA-256" || r.Checksum != hex.EncodeToString(sum[:]) || r.Size != int64(len(data)) {
			t.Errorf("%s: METS says %s %s %d, the file is %x %d", r.Href, r.Type, r.Checksum, r.Size, sum, len(data))
		}
	}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if rel = filepath.ToSlash(rel); rel != "METS.xml" && !listed[rel] {
			t.Errorf("%s is in the package but not in METS.xml", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestExportPackages builds a package from the demo data in each format,
// validates its XML against the vendored schemas with xmllint, checks every
// checksum in METS.xml against the files, and checks what the description
// says of the demo's cases, the secret one included.
func TestExportPackages(t *testing.T) {
	for _, format := range earchive.Formats {
		t.Run(string(format), func(t *testing.T) {
			s, secret := demoStore(t)
			ctx := context.Background()
			dir := filepath.Join(t.TempDir(), "leverans-asn")
			var calls [][2]int
			res, err := earchive.Export(ctx, s, earchive.Options{Board: "ASN", ClosedBefore: tomorrow(), Format: format, Dir: dir,
				SecrecyGround: "OSL 26 kap. 1 §", Progress: func(done, total int) { calls = append(calls, [2]int{done, total}) }})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Contains(res.Cases, "ASN-2019-17886") || !slices.Contains(res.Cases, secret) || len(res.Cases) < 3 {
				t.Fatalf("cases %v", res.Cases)
			}
			n := len(res.Cases)
			if len(calls) < n+1 || calls[0] != [2]int{0, n} || calls[len(calls)-1] != [2]int{n, n} {
				t.Errorf("progress %v", calls)
			}
			if res.ObjID != "leverans-asn" {
				t.Errorf("OBJID %q", res.ObjID)
			}
			for _, want := range []string{"METS.xml", "documentation/leveransinformation.txt", "schemas/mets.xsd", "representations/rep1/data"} {
				if _, err := os.Stat(filepath.Join(dir, want)); err != nil {
					t.Errorf("%s: %v", want, err)
				}
			}
			if _, err := os.Stat(filepath.Join(dir, ".beslutsgang-export")); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("the work folder is left: %v", err)
			}
			checkChecksums(t, dir)
			if err := earchive.Verify(dir); err != nil {
				t.Errorf("Verify: %v", err)
			}
			validate(t, filepath.Join(dir, "METS.xml"), map[string]string{earchive.XLinkNamespace: "xlink.xsd",
				earchive.METSNamespace: "mets.xsd", earchive.CSIPNamespace: "CSIPExtensionMETS.xsd"})
			mets, _ := os.ReadFile(filepath.Join(dir, "METS.xml"))
			var desc []byte
			if format == earchive.FormatERMS {
				validate(t, filepath.Join(dir, "metadata/descriptive/ERMS.xml"), map[string]string{earchive.ERMSNamespace: "ERMS.xsd"})
				desc, _ = os.ReadFile(filepath.Join(dir, "metadata/descriptive/ERMS.xml"))
				// The validation sees a fault: a record's objectId misspelt.
				bad := filepath.Join(t.TempDir(), "ERMS.xml")
				os.WriteFile(bad, bytes.Replace(desc, []byte("<objectId>"), []byte("<objectID>"), 1), 0o644)
				if out, err := xmllint(t, bad, map[string]string{earchive.ERMSNamespace: "ERMS.xsd"}); err == nil {
					t.Errorf("xmllint accepts a misspelt element:\n%s", out)
				}
				for _, want := range []string{`csip:CONTENTINFORMATIONTYPE="citserms_v2_1"`, `OTHERMDTYPE="ERMS"`,
					`PROFILE="https://earksip.dilcis.eu/profile/E-ARK-SIP.xml"`, `csip:OAISPACKAGETYPE="SIP"`,
					`<agent ROLE="CREATOR" TYPE="OTHER" OTHERTYPE="SOFTWARE">`, `<agent ROLE="ARCHIVIST" TYPE="ORGANIZATION">`,
					`<agent ROLE="CREATOR" TYPE="ORGANIZATION">`, `<note csip:NOTETYPE="IDENTIFICATIONCODE">ASN</note>`,
					`<structMap ID="ID-structmap-1" TYPE="PHYSICAL" LABEL="CSIP">`} {
					if !bytes.Contains(mets, []byte(want)) {
						t.Errorf("METS.xml has no %s", want)
					}
				}
				for _, want := range []string{`aggregationType="caseFile"`, "<objectId>ASN-2019-17886</objectId>",
					"<title>Internationell redovisning 2019</title>", `<date dateType="decision">`, `<date dateType="closed">`,
					`agentType="responsible_person"`, `agentType="authorising_person"`, `otherAgentType="secretary"`, `agentType="recipient"`,
					"<actionType>decide</actionType>", "<actionType>justering</actionType>", "<actionType>paragraph</actionType>",
					`<restriction restrictionType="confidential">`, "<regulation>OSL 26 kap. 1 §</regulation>", "<appendix "} {
					if !bytes.Contains(desc, []byte(want)) {
						t.Errorf("ERMS.xml has no %s", want)
					}
				}
			} else {
				validate(t, filepath.Join(dir, "metadata/descriptive/Arendehantering.xml"), map[string]string{earchive.FGS1Namespace: "Arendehantering.xsd"})
				desc, _ = os.ReadFile(filepath.Join(dir, "metadata/descriptive/Arendehantering.xml"))
				for _, want := range []string{"<Leveransobjekt ", "<ArkivobjektID>ASN-2019-17886</ArkivobjektID>",
					"<Arendemening>Internationell redovisning 2019</Arendemening>", "<ArkivobjektHandling ", "<Roll>Handläggare</Roll>",
					"<Roll>Nämndsekreterare</Roll>", `<Restriktion Typ="Sekretess">`, "<Lagrum>OSL 26 kap. 1 §</Lagrum>",
					`ChecksummaMetod="SHA-256"`, "<Varde>justering</Varde>"} {
					if !bytes.Contains(desc, []byte(want)) {
						t.Errorf("Arendehantering.xml has no %s", want)
					}
				}
			}
			// The secret case's document is in the package as it was uploaded.
			data, err := os.ReadFile(filepath.Join(dir, "representations/rep1/data", secret, "01_Yttrande_over_malet.txt"))
			if err != nil || string(data) != attachmentText {
				t.Errorf("the attached document: %q, %v", data, err)
			}
			if !bytes.Contains(desc, []byte("representations/rep1/data/"+secret+"/01_Yttrande_over_malet.txt")) {
				t.Error("the description does not point at the attached document")
			}
			// Each case is marked delivered once, naming the package.
			got := deliveredEvents(t, s, res.Cases)
			for _, n := range res.Cases {
				if got[n] != 1 {
					t.Errorf("%s: %d delivered events", n, got[n])
				}
			}
			evs, _ := s.Events(ctx, "ASN-2019-17886")
			if last := evs[len(evs)-1]; last.Action != db.ActionDelivered || !bytes.Contains(last.Payload, []byte(res.ID)) {
				t.Errorf("last event %+v", last)
			}
			if checked, broken, err := s.Verify(ctx); err != nil || len(broken) > 0 || checked == 0 {
				t.Errorf("hash chains after delivery: %d, %v, %v", checked, broken, err)
			}
		})
	}
}

// TestExportResume stops an export after its first case and runs it again:
// the package is then complete and valid, the files written before the stop
// are kept as they were (a damaged one is written again), and no case was
// marked delivered before the package was complete.
func TestExportResume(t *testing.T) {
	s, _ := demoStore(t)
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "paket")
	opts := earchive.Options{Board: "ASN", ClosedBefore: tomorrow(), Format: earchive.FormatERMS, Dir: dir}
	stopped, stop := context.WithCancel(ctx)
	first := opts
	first.Progress = func(done, total int) {
		if done == 1 {
			stop()
		}
	}
	res, err := earchive.Export(stopped, s, first)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("stopped export: %v", err)
	}
	if len(res.Cases) < 3 {
		t.Fatalf("cases %v", res.Cases)
	}
	if _, err := os.Stat(filepath.Join(dir, "METS.xml")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("METS.xml written by a stopped export: %v", err)
	}
	for n, c := range deliveredEvents(t, s, res.Cases) {
		t.Errorf("%s marked delivered %d times before the package was complete", n, c)
	}
	// What the first run wrote of its first case.
	caseDir := filepath.Join(dir, "representations/rep1/data", res.Cases[0])
	entries, err := os.ReadDir(caseDir)
	if err != nil || len(entries) == 0 {
		t.Fatalf("first case's files: %v", err)
	}
	before := map[string][]byte{}
	stamps := map[string]time.Time{}
	for _, e := range entries {
		b, _ := os.ReadFile(filepath.Join(caseDir, e.Name()))
		before[e.Name()] = b
		fi, _ := e.Info()
		stamps[e.Name()] = fi.ModTime()
	}
	// A second case written half: its folder exists with a damaged file.
	damaged := filepath.Join(dir, "representations/rep1/data", res.Cases[1], "00_tjansteskrivelse.txt")
	if err := os.MkdirAll(filepath.Dir(damaged), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(damaged, []byte("halv"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A temporary file a killed run left while writing the metadata.
	stray := filepath.Join(dir, "metadata", "descriptive", ".tmp-123")
	if err := os.MkdirAll(filepath.Dir(stray), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(stray, []byte("<erms"), 0o644); err != nil {
		t.Fatal(err)
	}
	time.Sleep(20 * time.Millisecond) // a rewritten file would get a later time

	// Other options on the started export are refused and change nothing.
	other := opts
	other.Format = earchive.FormatFGS1
	if _, err := earchive.Export(ctx, s, other); err == nil || !strings.Contains(err.Error(), "påbörjad export med andra val") {
		t.Errorf("resume with another format: %v", err)
	}

	// While another export holds the folder, a second one is refused.
	held := flock.New(filepath.Join(dir, ".beslutsgang-export", "lock"))
	if ok, err := held.TryLock(); !ok || err != nil {
		t.Fatalf("lock: %v, %v", ok, err)
	}
	if _, err := earchive.Export(ctx, s, opts); err == nil || !strings.Contains(err.Error(), "skrivs just nu av en annan export") {
		t.Errorf("export into a folder another export holds: %v", err)
	}
	held.Unlock()

	res2, err := earchive.Export(ctx, s, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !res2.Resumed || !slices.Equal(res2.Cases, res.Cases) || res2.ID != res.ID {
		t.Errorf("resumed %v, cases %v (first %v), id %s (first %s)", res2.Resumed, res2.Cases, res.Cases, res2.ID, res.ID)
	}
	for name, b := range before {
		now, err := os.ReadFile(filepath.Join(caseDir, name))
		fi, _ := os.Stat(filepath.Join(caseDir, name))
		if err != nil || !bytes.Equal(now, b) || !fi.ModTime().Equal(stamps[name]) {
			t.Errorf("%s was rewritten on resume (%v)", name, err)
		}
	}
	if b, _ := os.ReadFile(damaged); string(b) == "halv" {
		t.Error("the damaged file was kept")
	}
	if _, err := os.Stat(stray); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the stray temporary file is left: %v", err)
	}
	checkChecksums(t, dir)
	validate(t, filepath.Join(dir, "metadata/descriptive/ERMS.xml"), map[string]string{earchive.ERMSNamespace: "ERMS.xsd"})
	desc, _ := os.ReadFile(filepath.Join(dir, "metadata/descriptive/ERMS.xml"))
	if got := bytes.Count(desc, []byte(`aggregationType="caseFile"`)); got != len(res.Cases) {
		t.Errorf("%d aggregations for %d cases", got, len(res.Cases))
	}
	for _, n := range res.Cases {
		if c := deliveredEvents(t, s, []string{n})[n]; c != 1 {
			t.Errorf("%s: %d delivered events", n, c)
		}
	}
}

// TestExportRefusals: an unknown board or format, a folder with other files
// in it, and a delivery with nothing left to deliver are refused with a
// Swedish message, and nothing is written.
func TestExportRefusals(t *testing.T) {
	s, _ := demoStore(t)
	ctx := context.Background()
	events := func() int {
		n := 0
		for _, c := range deliveredEvents(t, s, []string{"ASN-2019-17886"}) {
			n += c
		}
		evs, _ := s.Events(ctx, "ASN-2019-17886")
		return len(evs) + n
	}
	start := events()
	full := t.TempDir()
	if err := os.WriteFile(filepath.Join(full, "annat.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		opts earchive.Options
		want string
	}{
		{"unknown board", earchive.Options{Board: "XYZ", ClosedBefore: tomorrow(), Format: earchive.FormatERMS, Dir: filepath.Join(t.TempDir(), "p")}, `nämnden "XYZ" finns inte`},
		{"unknown format", earchive.Options{Board: "ASN", ClosedBefore: tomorrow(), Format: "pdf", Dir: filepath.Join(t.TempDir(), "p")}, `okänt format "pdf"`},
		{"folder not empty", earchive.Options{Board: "ASN", ClosedBefore: tomorrow(), Format: earchive.FormatERMS, Dir: full}, "är inte tom och är ingen påbörjad export"},
		{"nothing closed before", earchive.Options{Board: "ASN", ClosedBefore: workflow.MustDate("2019-01-01"), Format: earchive.FormatERMS, Dir: filepath.Join(t.TempDir(), "p")}, "har inga avslutade ärenden före 2019-01-01"},
	} {
		_, err := earchive.Export(ctx, s, c.opts)
		var p *earchive.Problem
		if !errors.As(err, &p) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want a Problem with %q", c.name, err, c.want)
		}
		if c.opts.Dir != full {
			if _, err := os.Stat(c.opts.Dir); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("%s: the folder was made", c.name)
			}
		}
	}
	if events() != start {
		t.Error("a refused export changed the history")
	}
	// Delivered cases are not delivered again.
	if _, err := earchive.Export(ctx, s, earchive.Options{Board: "ASN", ClosedBefore: tomorrow(), Format: earchive.FormatERMS, Dir: filepath.Join(t.TempDir(), "a")}); err != nil {
		t.Fatal(err)
	}
	_, err := earchive.Export(ctx, s, earchive.Options{Board: "ASN", ClosedBefore: tomorrow(), Format: earchive.FormatFGS1, Dir: filepath.Join(t.TempDir(), "b")})
	if err == nil || !strings.Contains(err.Error(), "inga avslutade ärenden") {
		t.Errorf("second delivery of the same cases: %v", err)
	}
}

// TestNoteDeliveredOnce: noting the same package's delivery again (an
// export killed after the note, finished again) adds no second event, and
// another package's delivery is noted.
func TestNoteDeliveredOnce(t *testing.T) {
	s, _ := demoStore(t)
	ctx := context.Background()
	n := []string{"ASN-2019-17886"}
	for range 2 {
		if err := s.NoteDelivered(ctx, n, map[string]any{"package": "paket-1"}); err != nil {
			t.Fatal(err)
		}
	}
	if got := deliveredEvents(t, s, n)[n[0]]; got != 1 {
		t.Errorf("%d delivered events after noting one package twice", got)
	}
	// A case is delivered once: a second package is not recorded.
	if err := s.NoteDelivered(ctx, n, map[string]any{"package": "paket-2"}); workflow.ErrorCode(err) != workflow.ECONFLICT {
		t.Errorf("a second package: %v", err)
	}
	if got := deliveredEvents(t, s, n)[n[0]]; got != 1 {
		t.Errorf("%d delivered events after a second package", got)
	}
	if err := s.NoteDelivered(ctx, []string{"ASN-2019-99999"}, map[string]any{"package": "paket-3"}); workflow.ErrorCode(err) != workflow.ENOTFOUND {
		t.Errorf("unknown case: %v", err)
	}
}

// TestOneDeliveryOfABoard: two deliveries of one board never both record
// their cases. A second export while one runs is refused before it writes
// anything; an export resumed after another delivered its cases is not
// recorded (the trial delivered 305 cases twice, 610 events).
func TestOneDeliveryOfABoard(t *testing.T) {
	s, _ := demoStore(t)
	ctx := context.Background()
	root := t.TempDir()
	opts := func(dir string) earchive.Options {
		return earchive.Options{Board: "ASN", ClosedBefore: tomorrow(), Format: earchive.FormatERMS, Dir: filepath.Join(root, dir)}
	}
	var during error
	first := opts("a")
	first.Progress = func(done, total int) {
		if done == 1 {
			_, during = earchive.Export(ctx, s, opts("b"))
		}
	}
	res, err := earchive.Export(ctx, s, first)
	if err != nil {
		t.Fatal(err)
	}
	var p *earchive.Problem
	if !errors.As(during, &p) || !strings.Contains(p.Msg, "pågår redan") {
		t.Errorf("a second export during the first: %v", during)
	}
	if entries, _ := os.ReadDir(filepath.Join(root, "b")); len(entries) > 0 {
		t.Errorf("the refused export wrote %d entries", len(entries))
	}
	for n, c := range deliveredEvents(t, s, res.Cases) {
		if c != 1 {
			t.Errorf("%s delivered %d times", n, c)
		}
	}

	// Stopped midway, then another package delivers the same cases (made
	// here by hand, as a second installation on the same data would), then
	// the first is resumed: it is complete on disk but not recorded.
	s2, _ := demoStore(t)
	stopped, stop := context.WithCancel(ctx)
	c := opts("c")
	c.Progress = func(done, total int) {
		if done == 1 {
			stop()
		}
	}
	part, err := earchive.Export(stopped, s2, c)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("stopped: %v", err)
	}
	if err := s2.NoteDelivered(ctx, part.Cases, map[string]any{"package": "annat-paket", "objid": "ASN-annat"}); err != nil {
		t.Fatal(err)
	}
	c.Progress = nil
	_, err = earchive.Export(ctx, s2, c)
	if workflow.ErrorCode(err) != workflow.ECONFLICT || !strings.Contains(err.Error(), "ASN-annat") {
		t.Errorf("resumed after another delivery: %v", err)
	}
	for n, k := range deliveredEvents(t, s2, part.Cases) {
		if k != 1 {
			t.Errorf("%s delivered %d times", n, k)
		}
	}
}
