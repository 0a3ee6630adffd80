package cluster

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/bench/rig"
	"github.com/kommun/beslutsgang/internal/pgtest"
	"github.com/kommun/beslutsgang/notify/notifytest"
)

// binary is the real beslutsgang, built once for the package's tests with
// the test's own build tags.
var binary string

func TestMain(m *testing.M) { os.Exit(rig.TestMain(m, &binary, pgtest.Run)) }

// Three instances on one PostgreSQL database lose nothing, double nothing
// and keep leading the scheduled work when the leader dies by SIGKILL.
func TestThreeInstancesSurviveTheLeadersDeath(t *testing.T) {
	mp := notifytest.StartMailpit(t, "--max", "0") // keep every message: the clients' actions mail thousands
	rep, err := Run(context.Background(), Config{Binary: binary, DB: pgtest.DatabaseURL(t), SMTPURL: mp.SMTPURL(),
		Mailed: func() map[string]int { return Mailed(mp.Subjects()) },
		Log:    t.Logf})
	t.Logf("%+v", rep)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Failover > 30*time.Second {
		t.Errorf("another instance led %v after the kill, want within 30 s", rep.Failover)
	}
	if rep.Acked == 0 || rep.Refused == 0 {
		t.Errorf("%d changes acknowledged and %d refused: the clients did not race", rep.Acked, rep.Refused)
	}
}
