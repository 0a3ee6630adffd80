package main

import (
	"bufio"
	"context"
	"database/sql"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/demo"
)

// backup --verify checks the copy it wrote and says what it holds.
func TestBackupVerify(t *testing.T) {
	path := demoDB(t)
	dest := filepath.Join(t.TempDir(), "kopia.db")
	out := mustRun(t, "", "backup", "--verify", "--db", path, dest)
	cases, events := rawCount(t, path, `SELECT COUNT(*) FROM cases`), rawCount(t, path, `SELECT COUNT(*) FROM events`)
	want := "Kopian är hel: " + strconv.Itoa(cases) + " ärenden, " + strconv.Itoa(events) + " händelser"
	if !strings.Contains(out, want) || cases == 0 || events == 0 {
		t.Errorf("backup --verify said %q; want %q", out, want)
	}
	// Checking wrote nothing beside the copy.
	if _, err := os.Stat(dest + "-wal"); err == nil {
		t.Errorf("checking the copy left %s-wal", dest)
	}
	if out := mustRun(t, "", "backup", "--check", dest); !strings.Contains(out, want) {
		t.Errorf("backup --check said %q", out)
	}
}

// A copy with an altered event fails the check, naming the case and event.
func TestBackupCheckFindsABrokenChain(t *testing.T) {
	path := demoDB(t)
	dest := filepath.Join(t.TempDir(), "kopia.db")
	mustRun(t, "", "backup", "--db", path, dest)
	tamper(t, dest, demo.SeedNumber, 2)
	r := cli(t, "", "backup", "--check", dest)
	if r.code() != 1 || !strings.Contains(r.err.Error(), "1 ärende med ändrade eller saknade händelser") {
		t.Fatalf("check of a tampered copy: exit %d, %v", r.code(), r.err)
	}
	if !strings.Contains(r.stdout, "BRUTEN KEDJA: ärende "+demo.SeedNumber+", händelse 2") || strings.Contains(r.stdout, "hel") {
		t.Errorf("check output %q does not name case %s event 2", r.stdout, demo.SeedNumber)
	}
}

// A copy with a damaged page fails integrity_check, and a file that is no
// copy of Beslutsgång is refused.
func TestBackupCheckFindsDamage(t *testing.T) {
	path := demoDB(t)
	dir := t.TempDir()
	dest := filepath.Join(dir, "kopia.db")
	mustRun(t, "", "backup", "--db", path, dest)
	b, err := os.ReadFile(dest)
	if err != nil {
		t.Fatal(err)
	}
	// Overwrite the middle of a table b-tree leaf page (type byte 0x0d) in
	// the last third of the file with a pattern (page size from the header,
	// bytes 16-17). Not any page: integrity_check cannot see damage inside
	// the overflow pages of a blob, such as a published protokoll's PDF.
	size := int(b[16])<<8 | int(b[17])
	if size == 1 {
		size = 65536
	}
	page := len(b) / size * 2 / 3
	for page < len(b)/size && b[page*size] != 0x0d {
		page++
	}
	if page == len(b)/size {
		t.Fatal("no table leaf page in the last third of the copy")
	}
	for i := page*size + 8; i < page*size+size/2; i++ {
		b[i] = 0x5a
	}
	if err := os.WriteFile(dest, b, 0o600); err != nil {
		t.Fatal(err)
	}
	r := cli(t, "", "backup", "--check", dest)
	if r.code() != 1 || !strings.Contains(r.err.Error(), dest) ||
		!(strings.Contains(r.err.Error(), "är skadad") || strings.Contains(r.err.Error(), "går inte att läsa")) {
		t.Errorf("check of a damaged copy: exit %d, %v\n%s", r.code(), r.err, r.stdout)
	}
	t.Logf("damaged copy: %v\n%s", r.err, r.stdout)
	if strings.Contains(r.stdout, "hel:") {
		t.Errorf("a damaged copy was called whole: %q", r.stdout)
	}
	// Not a database at all, a database of something else, no file.
	text := filepath.Join(dir, "text.db")
	os.WriteFile(text, []byte(strings.Repeat("inte en databas\n", 400)), 0o600)
	other := filepath.Join(dir, "annan.db")
	mustRawExec(t, other, `CREATE TABLE t(x)`)
	for file, want := range map[string]string{
		text:                            "går inte att läsa",
		other:                           "ingen databas för Beslutsgång",
		filepath.Join(dir, "saknas.db"): "finns inte",
	} {
		r := cli(t, "", "backup", "--check", file)
		if r.code() != 1 || !strings.Contains(r.err.Error(), want) {
			t.Errorf("check of %s: exit %d, %v; want %q", filepath.Base(file), r.code(), r.err, want)
		}
	}
}

// TestRestoreProcedure runs the README's restore procedure, line by line,
// on a demo installation whose copy was taken as the README says: the
// restored database holds what the copy held, and serve answers on it.
func TestRestoreProcedure(t *testing.T) {
	steps := readmeRestoreSteps(t)
	dir := t.TempDir()
	t.Chdir(dir)
	live := demoDB(t)
	if err := os.Rename(live, filepath.Join(dir, "beslutsgang.db")); err != nil {
		t.Fatal(err)
	}
	mustRun(t, "", "backup", "--verify", "--db", "beslutsgang.db", "kopia.db")
	cases := rawCount(t, "kopia.db", `SELECT COUNT(*) FROM cases`)
	// The disaster: the live database loses a case's history.
	tamper(t, "beslutsgang.db", demo.SeedNumber, 1)
	if r := cli(t, "", "verify", "--db", "beslutsgang.db"); r.code() != 1 {
		t.Fatalf("the damaged database verifies: %v", r.err)
	}
	served := false
	for _, line := range steps {
		args := strings.Fields(line)
		switch {
		case args[0] == "beslutsgang" && args[1] == "serve":
			sv := startServe(t, args[2:]...)
			resp, err := http.Get(sv.base + "/readyz")
			if err != nil || resp.StatusCode != http.StatusOK {
				t.Fatalf("serve on the restored database: %v %v", resp, err)
			}
			resp.Body.Close()
			if err := sv.stop(); err != nil {
				t.Fatal(err)
			}
			served = true
		case args[0] == "beslutsgang":
			t.Logf("$ %s", line)
			mustRun(t, "", args[1:]...)
		default:
			t.Logf("$ %s", line)
			if out, err := exec.Command("sh", "-c", line).CombinedOutput(); err != nil {
				t.Fatalf("%s: %v\n%s", line, err, out)
			}
		}
	}
	if !served {
		t.Error("the procedure never starts the service")
	}
	if n := rawCount(t, "beslutsgang.db", `SELECT COUNT(*) FROM cases`); n != cases {
		t.Errorf("restored %d cases, the copy held %d", n, cases)
	}
	if out := mustRun(t, "", "verify", "--db", "beslutsgang.db"); !strings.Contains(out, "OK") {
		t.Errorf("verify after the restore: %q", out)
	}
	if _, err := os.Stat(filepath.Join("undan", "beslutsgang.db")); err != nil {
		t.Errorf("the old database was not kept aside: %v", err)
	}
}

// readmeRestoreSteps are the commands of the README's restore block (the
// ```sh block after "### Backup and restore"), without comments.
func readmeRestoreSteps(t *testing.T) []string {
	t.Helper()
	f, err := os.Open("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var steps []string
	section, block := false, false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "### Backup and restore":
			section = true
		case section && line == "```sh":
			block = true
		case block && line == "```":
			return steps
		case block && line != "" && !strings.HasPrefix(line, "#"):
			steps = append(steps, line)
		}
	}
	t.Fatal("README.md has no restore block under ### Backup and restore")
	return nil
}

// mustRawExec runs stmt on the SQLite file path, made if missing.
func mustRawExec(t *testing.T, path, stmt string) {
	t.Helper()
	d, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.ExecContext(context.Background(), stmt); err != nil {
		t.Fatal(err)
	}
}
