package crash

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/bench/rig"
)

// binary is the real beslutsgang, built once for the package's tests.
var binary string

func TestMain(m *testing.M) { os.Exit(rig.TestMain(m, &binary, nil)) }

// kills is how many times the server is killed: 10, or BESLUTSGANG_CRASH_KILLS.
func kills(t *testing.T) int {
	v := os.Getenv("BESLUTSGANG_CRASH_KILLS")
	if v == "" {
		return 10
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		t.Fatalf("BESLUTSGANG_CRASH_KILLS=%q: give a number of kills, at least 1", v)
	}
	return n
}

// Every acknowledged change survives SIGKILL at random moments.
func TestAcknowledgedChangesSurviveSIGKILL(t *testing.T) {
	dir := t.TempDir()
	n := kills(t)
	rep, err := Run(context.Background(), Config{Binary: binary, Dir: dir, Kills: n, Clients: 8, Seed: 1, Log: t.Logf})
	t.Logf("%+v", rep)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Kills != n {
		t.Fatalf("killed the server %d times, want %d", rep.Kills, n)
	}
	// A run that changed little, or never cut a request off, proves little.
	if rep.Acked < 2*n || rep.Unknown < 1 {
		t.Fatalf("%d acknowledged changes and %d requests cut off by %d kills: the clients did not keep the server busy", rep.Acked, rep.Unknown, n)
	}
}

// The check finds an acknowledged change that is not in the database.
func TestCheckFindsALostChange(t *testing.T) {
	dir := t.TempDir()
	h := &harness{cfg: Config{Binary: binary, Dir: dir}, path: filepath.Join(dir, "krasch.db")}
	if _, err := setup(context.Background(), h.path); err != nil {
		t.Fatal(err)
	}
	if err := h.check(context.Background(), &Report{}); err != nil {
		t.Fatalf("an untouched database fails the check: %v", err)
	}
	h.acks = []rig.Ack{{Number: "ASN-2026-1", Seq: 1, Action: "create"}}
	err := h.check(context.Background(), &Report{})
	if err == nil || !strings.Contains(err.Error(), "ASN-2026-1") {
		t.Fatalf("a lost create passed the check: %v", err)
	}
}
