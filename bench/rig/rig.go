// Package rig is what the harnesses that kill the real binary share
// (bench/crash, bench/cluster): building it, the organisation their clients
// work in, their API calls, and the check that every acknowledged change is
// in its case's history.
package rig

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/workflow"
)

// Build builds cmd/beslutsgang to path with the build tags of the running
// test binary (they choose what SQLite has), returning go build's output on
// failure.
func Build(path string) error {
	tags := ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "-tags" {
				tags = s.Value
			}
		}
	}
	out, err := exec.Command("go", "build", "-tags", tags, "-o", path, "github.com/kommun/beslutsgang/cmd/beslutsgang").CombinedOutput()
	if err != nil {
		return fmt.Errorf("go build: %v\n%s", err, out)
	}
	return nil
}

// Staff are the e-mail addresses of the organisation's officer, approver
// and secretary, who all log in with one password.
type Staff struct {
	Officer, Approver, Secretary, Password string
}

// Org makes the organisation in an empty store: the nämnd ASN with its
// arbetsutskott, the staff with their roles, and two meetings four and five
// weeks ahead, which it returns as the route every case takes; users are
// the staff by e-mail.
func Org(ctx context.Context, s *db.Store, staff Staff) (route []db.StepInput, users map[string]workflow.User, err error) {
	if _, err := s.CreateBoard(ctx, workflow.Board{Code: "ASN", Name: "Arbetsmarknads- och socialnämnden"}); err != nil {
		return nil, nil, err
	}
	for _, b := range []workflow.Body{
		{Code: "ASN-AU", Name: "ASN arbetsutskott", Kind: workflow.KindWorkingCommittee, Board: "ASN"},
		{Code: "ASN", Name: "Arbetsmarknads- och socialnämnden", Kind: workflow.KindBoard, Board: "ASN"},
	} {
		if _, err := s.CreateBody(ctx, b); err != nil {
			return nil, nil, err
		}
	}
	users = map[string]workflow.User{}
	for _, u := range []struct {
		email, name string
		role        workflow.Role
	}{{staff.Officer, "Sara Lind", workflow.RoleOfficer}, {staff.Approver, "Lena Holm", workflow.RoleApprover},
		{staff.Secretary, "Erik Nyström", workflow.RoleSecretary}} {
		user, err := s.CreateUser(ctx, db.NewUser{Email: u.email, Name: u.name, Password: staff.Password,
			Grants: []workflow.Grant{{Board: "ASN", Role: u.role}}})
		if err != nil {
			return nil, nil, err
		}
		users[u.email] = user
	}
	au := workflow.NextWorkday(workflow.Today(time.Now()).AddDays(28))
	board := workflow.NextWorkday(au.AddDays(7))
	for _, m := range []struct {
		body string
		date workflow.Date
	}{{"ASN-AU", au}, {"ASN", board}} {
		if _, err := s.CreateMeeting(ctx, db.NewMeetingInput{Body: m.body, Date: m.date, Start: "13:00"}, users[staff.Secretary]); err != nil {
			return nil, nil, err
		}
		route = append(route, db.StepInput{Body: m.body, Date: m.date.String()})
	}
	return route, users, nil
}

// Call sends one API request to base (http://host:port) with a bearer token
// and a JSON body (nil: none), decoding a 2xx answer into out (nil: not).
// err is set when no whole answer came: the change may or may not have
// happened.
func Call(client *http.Client, base, method, path, token string, body, out any) (int, error) {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, base+path, rd)
	if err != nil {
		return 0, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, err // cut off mid-answer: not acknowledged
	}
	if out != nil && resp.StatusCode/100 == 2 {
		if err := json.Unmarshal(b, out); err != nil {
			return 0, err
		}
	}
	return resp.StatusCode, nil
}

// Ack is a change the service acknowledged (a 2xx answer): the case's event
// at Seq records it as Action.
type Ack struct {
	Number string
	Seq    int
	Action string
}

// CheckAcks reads every event of the database d and returns how many there
// are, or an error naming the first acknowledged change that is not the
// event at its place in its case's history.
func CheckAcks(ctx context.Context, d *sql.DB, acks []Ack) (events int, err error) {
	type key struct {
		number string
		seq    int
	}
	found := map[key]string{}
	rows, err := d.QueryContext(ctx, `SELECT c.number, e.seq, e.action FROM events e JOIN cases c ON c.id = e.case_id`)
	if err != nil {
		return 0, err
	}
	for rows.Next() {
		var k key
		var action string
		if err := rows.Scan(&k.number, &k.seq, &action); err != nil {
			rows.Close()
			return 0, err
		}
		found[k] = action
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, a := range acks {
		if got := found[key{a.Number, a.Seq}]; got != a.Action {
			return len(found), fmt.Errorf("acknowledged %s on %s (event %d) is not in its history (found %q)", a.Action, a.Number, a.Seq, got)
		}
	}
	return len(found), nil
}

// FreePort is a loopback address no one listens on now.
func FreePort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// TestMain builds the binary into a new temporary folder, sets *binary to
// it, runs the package's tests with run (nil: m.Run) and removes the folder;
// a package's TestMain is then os.Exit(rig.TestMain(m, &binary, nil)).
func TestMain(m *testing.M, binary *string, run func(*testing.M) int) int {
	dir, err := os.MkdirTemp("", "beslutsgang-rig-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	*binary = filepath.Join(dir, "beslutsgang")
	if err := Build(*binary); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if run == nil {
		run = (*testing.M).Run
	}
	return run(m)
}
