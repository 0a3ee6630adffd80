// Command beslutsgang runs and administers the Beslutsgång service.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // Europe/Stockholm must resolve on machines without zoneinfo
)

const usage = `beslutsgang: ärenden genom den politiska beslutsprocessen

Användning:
  beslutsgang serve   [--addr ADDR] [--db FIL] [--demo]   starta tjänsten
  beslutsgang user    add|list|deactivate|password ...     hantera användare
  beslutsgang board   add --code ASN --name NAMN             lägg till nämnd
  beslutsgang body    add --code ASN-AU --name NAMN --kind SLAG --board ASN
  beslutsgang import  [--board ASN] --officer E-POST [--dry-run] FIL.pdf|.docx|.txt
                                                           registrera en tjänsteskrivelse
  beslutsgang verify  [--db FIL]                           kontrollera händelsekedjorna
  beslutsgang backup  [--db FIL] [--verify] MÅLFIL         säkerhetskopiera databasen (och kontrollera kopian)
  beslutsgang backup  --check KOPIA                        kontrollera en kopia före återställning
  beslutsgang reindex [--db FIL]                           bygg om sökindexet
  beslutsgang copy    --from KÄLLA --to MÅL                flytta installationen till en tom databas
  beslutsgang remind  --once [--now TID] [--deliver]       skicka påminnelser som förfallit
  beslutsgang export  --board ASN --closed-before 2026-01-01 [--format erms|fgs1] UTMAPP
                                                           arkivleverans av avslutade ärenden till e-arkivet

Varje kommando utom copy tar --db (eller BESLUTSGANG_DB): en SQLite-fil eller
en postgres://-adress. "beslutsgang KOMMANDO -h" visar alla flaggor.
`

// exitError carries a process exit code for a failure already explained.
type exitError struct {
	code int
	msg  string
}

func (e exitError) Error() string { return e.msg }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		var ee exitError
		code := 1
		if errors.As(err, &ee) {
			code = ee.code
		}
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "beslutsgang:", describe(err))
		} else {
			code = 0
		}
		os.Exit(code)
	}
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitError{2, "ange ett kommando"}
	}
	cmds := map[string]func(context.Context, []string, io.Reader, io.Writer, io.Writer) error{
		"serve":   cmdServe,
		"user":    cmdUser,
		"board":   cmdBoard,
		"body":    cmdBody,
		"import":  cmdImport,
		"verify":  cmdVerify,
		"backup":  cmdBackup,
		"reindex": cmdReindex,
		"copy":    cmdCopy,
		"remind":  cmdRemind,
		"export":  cmdExport,
	}
	name := args[0]
	if name == "-h" || name == "--help" || name == "help" {
		fmt.Fprint(stdout, usage)
		return nil
	}
	cmd, ok := cmds[name]
	if !ok {
		fmt.Fprint(stderr, usage)
		return exitError{2, fmt.Sprintf("okänt kommando %q", name)}
	}
	return cmd(ctx, args[1:], stdin, stdout, stderr)
}
