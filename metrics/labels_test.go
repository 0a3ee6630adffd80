package metrics_test

import (
	"strings"
	"testing"
	"unsafe"

	"github.com/prometheus/client_golang/prometheus/testutil"
)

// An action name that aliases a buffer the caller reuses (Fiber's
// c.Params is such a string, over fasthttp's request buffer) is kept as it
// was when counted: a later request must not rewrite the label, nor put its
// own bytes (a path with a calendar token, a search) into /metrics.
func TestActionLabelSurvivesReusedBuffer(t *testing.T) {
	m, _ := newMetrics(t)
	buf := []byte("withdraw")
	m.Action(unsafe.String(&buf[0], len(buf)), nil)
	copy(buf, "vethdraw") // the next request reuses the buffer
	want := `
# HELP beslutsgang_actions_total Changes to cases: create, update (a draft) and the workflow actions (submit, approve, ...), by action and result: ok, or the domain error code (invalid, conflict, forbidden, not_found, internal, ...).
# TYPE beslutsgang_actions_total counter
beslutsgang_actions_total{action="withdraw",result="ok"} 1
`
	if err := testutil.GatherAndCompare(m.Registry, strings.NewReader(want), "beslutsgang_actions_total"); err != nil {
		t.Error(err)
	}
}
