package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Every command's help and every flag error is Swedish: the flag package's
// own English ("Usage of", "(default …)", "flag provided but not defined")
// never reaches the operator.
func TestFlagHelpAndErrorsInSwedish(t *testing.T) {
	english := regexp.MustCompile(`Usage|default|flag provided|needs an argument|invalid|parse error|bad flag| string\n| int\n| duration\n`)
	for _, tc := range []struct {
		args []string
		want string // in the output or the error
	}{
		{[]string{"serve", "-h"}, `-db text`},
		{[]string{"serve", "-h"}, `(standard "beslutsgang.db")`},
		{[]string{"remind", "--help"}, "Användning: beslutsgang remind [flaggor]"},
		{[]string{"copy", "-h"}, "Användning: beslutsgang copy --from KÄLLA --to MÅL"},
		{[]string{"export", "-h"}, "Flaggor (med ett eller två bindestreck"},
		{[]string{"serve", "--nope"}, "okänd flagga: -nope"},
		{[]string{"verify", "--db"}, "flaggan -db behöver ett värde"},
		{[]string{"remind", "--once=kanske"}, `ogiltigt värde "kanske" för -once: ange true eller false`},
		{[]string{"user", "list", "---db"}, "felaktig flagga: ---db"},
		{[]string{"user", "-h"}, "beslutsgang user password E-POST [--password-stdin]"},
		{[]string{"user", "password", "-h"}, "Användning: beslutsgang user password [flaggor] E-POST"},
		{[]string{"board", "-h"}, "Användning: beslutsgang board add --code ASN --name NAMN"},
		{[]string{"body", "--help"}, "Användning: beslutsgang body add"},
		{[]string{"body"}, "ange add"},
	} {
		r := cli(t, "", tc.args...)
		out := r.stdout + r.stderr
		if r.err != nil {
			out += "\n" + r.err.Error()
		}
		if m := english.FindString(out); m != "" {
			t.Errorf("beslutsgang %s says %q in English:\n%s", strings.Join(tc.args, " "), m, out)
		}
		if !strings.Contains(out, tc.want) {
			t.Errorf("beslutsgang %s: no %q in\n%s", strings.Join(tc.args, " "), tc.want, out)
		}
		if code := r.code(); code != 0 && code != 2 {
			t.Errorf("beslutsgang %s: exit code %d, want 0 for help or 2 for a bad flag", strings.Join(tc.args, " "), code)
		}
	}
}

// Flags may follow the operands, as the README writes them
// ("user password E-POST --password-stdin"); "--" ends the flags.
func TestFlagsAfterOperands(t *testing.T) {
	path := demoDB(t)
	mustRun(t, "ett-långt-lösenord-2026\n", "user", "password", "handlaggare@kommun.example", "--password-stdin", "--db", path)
	copyPath := filepath.Join(t.TempDir(), "kopia.db")
	if out := mustRun(t, "", "backup", copyPath, "--db="+path, "--verify"); !strings.Contains(out, "Kopian är hel") {
		t.Errorf("backup with its flags after the file: %s", out)
	}
	mustRun(t, "", "user", "deactivate", "--db", path, "--", "handlaggare@kommun.example")
	if r := cli(t, "", "user", "deactivate", "--db", path, "a@kommun.example", "b@kommun.example"); r.code() != 2 {
		t.Errorf("two operands where one goes: exit %d, %v", r.code(), r.err)
	}
}
