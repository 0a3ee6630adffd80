package main

// The commands' help and flag errors in Swedish: the flag package prints
// both in English ("Usage of …", "(default …)", "flag provided but not
// defined"), so each flag set is quiet and these say it instead.

import (
	"flag"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// quietFlags is a flag set that prints nothing itself: its help comes from
// printUsage, its errors from flagError.
func quietFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() { printUsage(fs, stderr, "Användning: "+fs.Name()+" [flaggor]\n") }
	return fs
}

// printUsage writes head, then every flag of fs as flag.PrintDefaults lays them
// out, in Swedish: the kind of value and the default.
func printUsage(fs *flag.FlagSet, w io.Writer, head string) {
	fmt.Fprintln(w, strings.TrimRight(head, "\n"))
	fmt.Fprintln(w, "\nFlaggor (med ett eller två bindestreck):")
	fs.VisitAll(func(f *flag.Flag) {
		kind, text := flag.UnquoteUsage(f)
		line := "  -" + f.Name
		if k := flagKinds[kind]; k != "" {
			line += " " + k
		}
		line += "\n    \t" + strings.ReplaceAll(text, "\n", "\n    \t")
		switch {
		case f.DefValue == "" || f.DefValue == "false" || f.DefValue == "0" || f.DefValue == "0s":
		case kind == "string":
			line += fmt.Sprintf(" (standard %q)", f.DefValue)
		default:
			line += fmt.Sprintf(" (standard %s)", f.DefValue)
		}
		fmt.Fprintln(w, line)
	})
}

// flagKinds names the flag package's kinds of value (flag.UnquoteUsage);
// a yes-or-no flag has none.
var flagKinds = map[string]string{"string": "text", "int": "heltal", "int64": "heltal", "uint": "heltal",
	"uint64": "heltal", "float": "tal", "duration": "tid", "value": "värde"}

// flagErrors are the flag package's errors (flag.FlagSet.Parse, Go 1.26)
// and what they say in Swedish.
var flagErrors = []struct {
	re  *regexp.Regexp
	say string
}{
	{regexp.MustCompile(`^flag provided but not defined: (-+\S*)$`), "okänd flagga: $1"},
	{regexp.MustCompile(`^flag needs an argument: (-+\S*)$`), "flaggan $1 behöver ett värde"},
	{regexp.MustCompile(`^invalid boolean value (".*") for (-+\S*): .*$`), "ogiltigt värde $1 för $2: ange true eller false"},
	{regexp.MustCompile(`^invalid value (".*") for flag (-+\S*): .*$`), "ogiltigt värde $1 för $2"},
	{regexp.MustCompile(`^invalid boolean flag (\S*): .*$`), "ogiltigt värde för -$1: ange true eller false"},
	{regexp.MustCompile(`^bad flag syntax: (.*)$`), "felaktig flagga: $1"},
}

// flagError is err from parsing flags, in Swedish where it is one of the
// flag package's own.
func flagError(err error) string {
	msg := err.Error()
	for _, e := range flagErrors {
		if e.re.MatchString(msg) {
			return e.re.ReplaceAllString(msg, e.say)
		}
	}
	return msg
}

// flagsFirst is args with the flags moved before the operands, so that
// "user password E-POST --password-stdin" reads as the README writes it (the
// flag package stops at the first operand). A flag's value goes with it
// unless the flag is yes-or-no or written name=value; after "--" everything
// is an operand, and the "--" stays in front of those.
func flagsFirst(fs *flag.FlagSet, args []string) []string {
	var flags, operands, rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			rest = append([]string{"--"}, args[i+1:]...)
			i = len(args)
			continue
		case a == "-" || !strings.HasPrefix(a, "-"):
			operands = append(operands, a)
			continue
		}
		flags = append(flags, a)
		name := strings.TrimLeft(a, "-")
		if f := fs.Lookup(name); f != nil && !isBoolFlag(f) && !strings.Contains(name, "=") && i+1 < len(args) {
			i++
			flags = append(flags, args[i])
		}
	}
	if rest != nil {
		return append(append(flags, "--"), append(operands, rest[1:]...)...)
	}
	return append(flags, operands...)
}

// isBoolFlag reports whether f takes no value (flag.Value's optional
// IsBoolFlag method).
func isBoolFlag(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}
