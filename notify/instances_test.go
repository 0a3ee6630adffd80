package notify_test

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/internal/pgtest"
	"github.com/kommun/beslutsgang/notify"
	"github.com/kommun/beslutsgang/notify/notifytest"
	"github.com/kommun/beslutsgang/workflow"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

// Two instances drain one outbox on PostgreSQL at the same time, each into
// its own folder: every message goes out once, through one of them.
func TestInstancesSendEachMessageOnce(t *testing.T) {
	w := notifytest.NewWorldAt(t, pgtest.DatabaseURL(t))
	c, err := notify.NewComposer(mailTemplates(t), baseURL, workflow.DefaultPolicy)
	if err != nil {
		t.Fatal(err)
	}
	w.Store.Composer = c
	const cases = 12
	for i := range cases {
		k := w.Case(fmt.Sprintf("Ärende %d", i), "2026-04-16", "2026-04-30", w.Approver)
		w.Act(k, w.Officer, workflow.Command{Action: workflow.ActSubmit}) // mails the approver
	}
	other, err := db.Open(w.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	other.Now = w.Clock.Now
	var dirs []string
	var wg sync.WaitGroup
	for _, s := range []*db.Store{w.Store, other} {
		dir := t.TempDir()
		dirs = append(dirs, dir)
		d, err := notify.NewFolderDelivery(s, dir, "beslut@kommun.example")
		if err != nil {
			t.Fatal(err)
		}
		d.Now, d.Batch = w.Clock.Now, 2 // small batches, so the drains interleave
		wg.Go(func() {
			if _, err := d.Drain(context.Background()); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	sent := map[string]int{}
	for _, dir := range dirs {
		files, err := notify.MailFiles(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			sent[f.Name]++
		}
	}
	for name, n := range sent {
		if n != 1 {
			t.Errorf("%s went out %d times", name, n)
		}
	}
	if len(sent) != cases {
		t.Errorf("%d messages went out, want %d", len(sent), cases)
	}
	for _, m := range w.Outbox() {
		if m.State != db.MailSent {
			t.Errorf("message %d is %s, want sent", m.ID, m.State)
		}
	}
}
