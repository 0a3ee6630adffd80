package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base32"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/workflow"
)

// userUsage is the help of beslutsgang user.
const userUsage = `Användning: beslutsgang user add --email E-POST --name NAMN [--title TITEL] [--role NÄMND:ROLL] [--password-stdin]
       beslutsgang user list
       beslutsgang user deactivate E-POST
       beslutsgang user password E-POST [--password-stdin]
"beslutsgang user UNDERKOMMANDO -h" visar alla flaggor.
`

func cmdUser(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, userUsage)
		return exitError{2, "ange add, list, deactivate eller password"}
	}
	switch args[0] {
	case "-h", "--help", "help":
		fmt.Fprint(stderr, userUsage)
		return flag.ErrHelp
	case "add":
		return userAdd(ctx, args[1:], stdin, stdout, stderr)
	case "list":
		return userList(ctx, args[1:], stdout, stderr)
	case "deactivate":
		return userDeactivate(ctx, args[1:], stdout, stderr)
	case "password":
		return userPassword(ctx, args[1:], stdin, stdout, stderr)
	}
	return exitError{2, fmt.Sprintf("okänt underkommando %q; ange add, list, deactivate eller password", args[0])}
}

func userAdd(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	f := newFlags("user add", stderr)
	email := f.String("email", "", "e-postadress (inloggning)")
	name := f.String("name", "", "namn")
	title := f.String("title", "", "titel, t.ex. Enhetschef")
	fromStdin := f.Bool("password-stdin", false, "läs lösenordet från första raden på standard in (annars skapas ett)")
	var roles listFlag
	f.Var(&roles, "role", "NÄMND:ROLL, t.ex. ASN:officer (upprepas); roller: officer, approver, secretary, admin")
	if err := f.parse(args, 0); err != nil {
		return err
	}
	grants, err := parseGrants(roles)
	if err != nil {
		return err
	}
	password, generated, err := readPassword(stdin, *fromStdin)
	if err != nil {
		return err
	}
	return f.use(false, func(s *db.Store) error {
		u, err := s.CreateUser(ctx, db.NewUser{Email: *email, Name: *name, Title: *title, Password: password, Grants: grants})
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Användare %d skapad: %s <%s>\n", u.ID, u.Name, u.Email)
		if generated {
			fmt.Fprintf(stdout, "Lösenord: %s\n", password)
		}
		return nil
	})
}

func parseGrants(roles []string) ([]workflow.Grant, error) {
	var out []workflow.Grant
	for _, r := range roles {
		board, role, ok := strings.Cut(r, ":")
		if !ok || !workflow.Role(role).Valid() {
			return nil, exitError{2, fmt.Sprintf("--role %q: skriv NÄMND:ROLL, där ROLL är officer, approver, secretary eller admin", r)}
		}
		out = append(out, workflow.Grant{Board: strings.ToUpper(board), Role: workflow.Role(role)})
	}
	return out, nil
}

func readPassword(stdin io.Reader, fromStdin bool) (password string, generated bool, err error) {
	if !fromStdin {
		b := make([]byte, 15)
		rand.Read(b)
		return strings.ToLower(base32.StdEncoding.EncodeToString(b)), true, nil
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", false, exitError{2, "inget lösenord på standard in"}
	}
	return strings.TrimRight(line, "\r\n"), false, nil
}

func userList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f := newFlags("user list", stderr)
	if err := f.parse(args, 0); err != nil {
		return err
	}
	return f.use(true, func(s *db.Store) error {
		users, err := s.Users(ctx)
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(w, "ID\tE-POST\tNAMN\tAKTIV\tROLLER")
		for _, u := range users {
			var roles []string
			for _, g := range u.Grants {
				roles = append(roles, g.Board+":"+string(g.Role))
			}
			fmt.Fprintf(w, "%d\t%s\t%s\t%v\t%s\n", u.ID, u.Email, u.Name, u.Active, strings.Join(roles, " "))
		}
		return w.Flush()
	})
}

func userDeactivate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f := newFlags("user deactivate", stderr, "E-POST")
	if err := f.parse(args, 1); err != nil {
		return err
	}
	return f.use(true, func(s *db.Store) error {
		u, err := s.UserByEmail(ctx, f.Arg(0))
		if err != nil {
			return err
		}
		if err := s.SetActive(ctx, u.ID, false); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s är avaktiverad\n", u.Email)
		return nil
	})
}

func userPassword(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	f := newFlags("user password", stderr, "E-POST")
	fromStdin := f.Bool("password-stdin", false, "läs lösenordet från standard in (annars skapas ett)")
	if err := f.parse(args, 1); err != nil {
		return err
	}
	password, generated, err := readPassword(stdin, *fromStdin)
	if err != nil {
		return err
	}
	return f.use(true, func(s *db.Store) error {
		u, err := s.UserByEmail(ctx, f.Arg(0))
		if err != nil {
			return err
		}
		if err := s.SetPassword(ctx, u.ID, password); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Nytt lösenord satt för %s\n", u.Email)
		if generated {
			fmt.Fprintf(stdout, "Lösenord: %s\n", password)
		}
		return nil
	})
}

func cmdBoard(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	if help := groupHelp(args, stderr, "Användning: beslutsgang board add --code ASN --name NAMN"); help != nil {
		return help
	}
	f := newFlags("board add", stderr)
	code := f.String("code", "", "nämndens kod, t.ex. ASN (prefix i diarienumret)")
	name := f.String("name", "", "nämndens namn")
	if err := f.parse(args[1:], 0); err != nil {
		return err
	}
	return f.use(false, func(s *db.Store) error {
		b, err := s.CreateBoard(ctx, workflow.Board{Code: *code, Name: *name})
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Nämnd %s (%s) skapad\n", b.Code, b.Name)
		return nil
	})
}

func cmdBody(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	if help := groupHelp(args, stderr, "Användning: beslutsgang body add --code ASN-AU --name NAMN --kind working_committee --board ASN"); help != nil {
		return help
	}
	f := newFlags("body add", stderr)
	code := f.String("code", "", "organets kod, t.ex. ASN-AU")
	name := f.String("name", "", "organets namn")
	kind := f.String("kind", "", "presidium, working_committee, board, executive_board eller council")
	board := f.String("board", "", "nämndens kod")
	notice := f.String("notice-days", "0", "dagar före sammanträdet som kallelsen ska skickas (0: 5, fullmäktige 7)")
	if err := f.parse(args[1:], 0); err != nil {
		return err
	}
	days, err := strconv.Atoi(*notice)
	if err != nil {
		return exitError{2, "--notice-days ska vara ett heltal"}
	}
	return f.use(false, func(s *db.Store) error {
		b, err := s.CreateBody(ctx, workflow.Body{Code: *code, Name: *name, Kind: workflow.BodyKind(*kind), Board: strings.ToUpper(*board), NoticeDays: days})
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Organ %s (%s) skapat\n", b.Code, b.Name)
		return nil
	})
}

// groupHelp answers a command whose one subcommand is add (board, body):
// its usage and flag.ErrHelp when asked for help, the usage and exit code 2
// without add, nil to go on with add.
func groupHelp(args []string, stderr io.Writer, usage string) error {
	switch {
	case len(args) > 0 && args[0] == "add":
		return nil
	case len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help"):
		fmt.Fprintln(stderr, usage)
		return flag.ErrHelp
	}
	fmt.Fprintln(stderr, usage)
	return exitError{2, "ange add"}
}
