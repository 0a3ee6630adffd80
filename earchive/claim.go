package earchive

import (
	"context"
	"time"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/workflow"
)

// claimTTL is how long a board's claim lasts without renewal: an export
// renews it with every case, so only an export killed outright leaves it
// behind, and then for at most this long (or until it is resumed).
const claimTTL = 10 * time.Minute

// claim is an export's hold on its board (a lease in the store, shared by
// every instance and process): two deliveries of one board at once would
// put the same cases into two packages. The store refuses to record a case
// as delivered twice anyway (db.Store.NoteDelivered); the claim refuses
// the second export before it writes anything.
type claim struct {
	s      *db.Store
	name   string
	holder string // the package id, so a resumed export takes its own claim back
	at     time.Time
}

// claimBoard takes the claim on st's board for st's package; a claim held
// by another package is a Problem saying until when it runs.
func claimBoard(ctx context.Context, s *db.Store, st state) (*claim, error) {
	c := &claim{s: s, name: "export:" + st.Board, holder: st.ID}
	ok, err := s.TryLease(ctx, c.name, c.holder, claimTTL)
	if err != nil {
		return nil, err
	}
	if !ok {
		_, until, _ := s.LeaseHolder(ctx, c.name)
		return nil, problem("en annan arkivleverans av %s pågår redan (eller avbröts för mindre än %d minuter sedan, till %s); "+
			"vänta tills den är klar, eller fortsätt den avbrutna med samma val i dess mapp",
			st.Board, int(claimTTL/time.Minute), until.In(workflow.Stockholm).Format("15:04"))
	}
	c.at = time.Now()
	return c, nil
}

// renew extends the claim when a third of its time has passed; a claim
// lost meanwhile (the export stalled past claimTTL and another took the
// board) stops this export.
func (c *claim) renew(ctx context.Context) error {
	if time.Since(c.at) < claimTTL/3 {
		return nil
	}
	ok, err := c.s.TryLease(ctx, c.name, c.holder, claimTTL)
	if err != nil {
		return err
	}
	if !ok {
		return problem("en annan arkivleverans av samma nämnd tog över medan den här stod still; börja om i en tom mapp")
	}
	c.at = time.Now()
	return nil
}

// release gives the board back, also when the export failed.
func (c *claim) release() {
	_ = c.s.ReleaseLease(context.Background(), c.name, c.holder)
}
