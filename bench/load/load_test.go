package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/bench/fill"
	"github.com/kommun/beslutsgang/db"
	"golang.org/x/crypto/bcrypt"
)

// The tool runs its floors as children of its own binary; in a test that
// binary is the test, which then plays the child.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == "child" {
		if err := child(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// One short run over a small generated database measures every scenario
// without an error and prints the ratios and the conditions.
func TestLoadRunsEveryScenario(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "bench.db")
	s, err := db.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	cost := db.BcryptCost
	db.BcryptCost = bcrypt.MinCost
	_, err = fill.Run(context.Background(), s, fill.Options{Cases: 300, Years: 1, Fixtures: true})
	db.BcryptCost = cost
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	var out, log bytes.Buffer
	err = run(context.Background(), []string{"-db", path, "-clients", "4", "-warmup", "0s", "-duration", "300ms",
		"-max", "40", "-history-max", "6", "-server-cpu", "-1", "-load-cpu", "-1"}, &out, &log)
	if err != nil {
		t.Fatalf("%v\n%s", err, log.String())
	}
	report := out.String()
	t.Log(report)
	for _, name := range []string{"hello", "bare-commit", "case", "list-first", "list-last", "list-board", "search", "diary",
		"diarium", "list-manager", "reminders", "oparl-meetings", "oparl-items", "transitions", "history-10", "history-10000"} {
		var line string
		for _, l := range strings.Split(report, "\n") {
			if f := strings.Fields(l); len(f) > 0 && f[0] == name {
				line = l
			}
		}
		f := strings.Fields(line)
		if len(f) < 9 || f[len(f)-1] != "0" || f[len(f)-2] == "0" {
			t.Errorf("%s: no requests, or some failed: %q", name, line)
		}
	}
	for _, want := range []string{"GET /api/v1/cases/{n} ÷ hello", "övergångar över HTTP", "Förhållanden:", fmt.Sprintf("%d ärenden i listan", 300+fill.TransitionCases+2)} {
		if !strings.Contains(report, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
}

// -instances over 1 is for PostgreSQL only: a SQLite file is refused (in
// Swedish), a postgres:// URL is taken without looking for a file, and the
// report's name of it has no password. -list-cache is for a service the
// tool starts.
func TestInstancesFlag(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bench.db")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	pg := "postgres://beslut:hemligt@127.0.0.1:5432/beslut?sslmode=disable"
	for _, c := range []struct {
		args []string
		want string // "" for accepted
	}{
		{[]string{"-db", path}, ""},
		{[]string{"-db", path, "-instances", "2"}, "kräver PostgreSQL"},
		{[]string{"-db", pg, "-instances", "2"}, ""},
		{[]string{"-db", pg, "-instances", "0"}, "-instances ska vara 1–16"},
		{[]string{"-url", "http://127.0.0.1:8080", "-instances", "2"}, "utelämna -url"},
		{[]string{"-db", path, "-list-cache", "0"}, ""},
		{[]string{"-db", path, "-list-cache", "200000"}, "-list-cache ska vara 0–100000"},
		{[]string{"-url", "http://127.0.0.1:8080", "-list-cache", "0"}, "utelämna -url"},
	} {
		o, err := parseFlags(append(c.args, "-server-cpu", "-1", "-load-cpu", "-1"), io.Discard)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%q: %v", c.args, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%q: got %v, want an error with %q", c.args, err, c.want)
		case err == nil && o.postgres() && strings.Contains(o.dbName(), "hemligt"):
			t.Errorf("the report would show the password: %s", o.dbName())
		}
	}
}
