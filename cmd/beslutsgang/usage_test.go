package main

import (
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
