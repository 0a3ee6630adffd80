package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/earchive"
	"github.com/kommun/beslutsgang/workflow"
)

// cmdExport writes the closed cases of a board as an e-archive package
// (package earchive) in OUTDIR, or finishes an export stopped there. The
// progress goes to stderr as "export: 120/450 ärenden". Bad flags exit 2;
// a refused export (unknown board, nothing to deliver, OUTDIR in use) exits
// 1 and writes nothing.
func cmdExport(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	f := newFlags("export", stderr)
	board := f.String("board", "", "nämndens kod, t.ex. ASN")
	before := f.String("closed-before", "", "leverera ärenden avslutade före detta datum (ÅÅÅÅ-MM-DD)")
	format := f.String("format", string(earchive.FormatERMS), "metadataformat: erms (CITS ERMS 2.1, FGS Ärendehantering 2.0) eller fgs1 (FGS Ärendehantering 1.0)")
	ground := secrecyGroundFlag(f)
	check := f.Bool("check", false, "kontrollera ett färdigt paket i stället: varje fil i METS.xml finns med rätt storlek och SHA-256, och inga andra filer")
	f.Usage = func() {
		printUsage(f.FlagSet, stderr, "Användning: beslutsgang export --board ASN --closed-before 2026-01-01 [--format erms|fgs1] [--db FIL] UTMAPP\n"+
			"       beslutsgang export --check PAKETMAPP")
	}
	if err := f.parse(args, 1); err != nil {
		return err
	}
	if *check {
		return checkPackage(f.Arg(0), stdout)
	}
	if strings.TrimSpace(*board) == "" {
		return exitError{2, "export: ange --board, nämndens kod (t.ex. ASN)"}
	}
	if *before == "" {
		return exitError{2, "export: ange --closed-before, ett datum (ÅÅÅÅ-MM-DD): ärenden avslutade före det levereras"}
	}
	day, err := workflow.ParseDate(*before)
	if err != nil {
		return exitError{2, "export: --closed-before: " + err.Error()}
	}
	if !earchive.Format(*format).Valid() {
		return exitError{2, fmt.Sprintf("export: okänt format %q; välj erms eller fgs1", *format)}
	}
	secrecyGround, err := checkSecrecyGround("export", *ground)
	if err != nil {
		return err
	}
	dir := f.Arg(0)
	return f.use(true, func(s *db.Store) error {
		res, err := earchive.Export(ctx, s, earchive.Options{Board: *board, ClosedBefore: day, Format: earchive.Format(*format),
			Dir: dir, SecrecyGround: secrecyGround, Progress: func(done, total int) {
				fmt.Fprintf(stderr, "export: %d/%d ärenden\n", done, total)
			}})
		var p *earchive.Problem
		switch {
		case errors.As(err, &p):
			return exitError{1, "export: " + p.Msg}
		case errors.Is(err, context.Canceled):
			return exitError{1, fmt.Sprintf("export: avbruten; kör samma kommando igen för att fortsätta i %s", dir)}
		case err != nil:
			return fmt.Errorf("export: %w; kör samma kommando igen för att fortsätta i %s", err, dir)
		}
		how := "nytt"
		if res.Resumed {
			how = "fortsatt och färdigt"
		}
		fmt.Fprintf(stdout, "Paket %s (%s): %s, %s, %d filer, format %s; alla kontrollsummor stämmer och ärendena är markerade som levererade\n",
			res.ObjID, how, dir, workflow.CountCases(len(res.Cases)), res.Files, *format)
		return nil
	})
}

// secrecyGroundFlag is the --secrecy-ground flag of export and serve: the
// lagrum written on the restriction of every secret case an e-archive
// delivery holds (the data model keeps no ground per case).
func secrecyGroundFlag(f flags) *string {
	return f.String("secrecy-ground", env("SECRECY_GROUND", ""), "lagrum för sekretessmarkerade ärenden i arkivleveranser, t.ex. \"OSL 26 kap. 1 §\" (BESLUTSGANG_SECRECY_GROUND); utan: "+earchive.DefaultSecrecyGround)
}

// checkSecrecyGround is the flag's value trimmed, or a usage error (exit 2)
// for a blank one or one with text nobody types.
func checkSecrecyGround(cmd, ground string) (string, error) {
	g := strings.TrimSpace(ground)
	if ground != "" && g == "" {
		return "", exitError{2, cmd + `: --secrecy-ground: ange ett lagrum, t.ex. "OSL 26 kap. 1 §", eller utelämna flaggan`}
	}
	if why := workflow.TextProblem(g); why != "" {
		return "", exitError{2, cmd + ": --secrecy-ground " + why}
	}
	return g, nil
}

// checkPackage is export --check: the package in dir against its METS.xml
// (earchive.Verify), as the archive checks a delivery on receipt; exit 1
// naming the files that differ.
func checkPackage(dir string, stdout io.Writer) error {
	if err := earchive.Verify(dir); err != nil {
		return exitError{1, fmt.Sprintf("export --check: paketet %s stämmer inte: %v", dir, err)}
	}
	fmt.Fprintf(stdout, "Paketet %s är helt: varje fil i METS.xml finns med rätt storlek och SHA-256, och paketet har inga andra filer\n", dir)
	return nil
}
