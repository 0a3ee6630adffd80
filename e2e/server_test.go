package e2e

import (
	"context"
	"io"
	"net"
	"path/filepath"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/demo"
	"github.com/kommun/beslutsgang/handlers"
	"github.com/kommun/beslutsgang/observe"
	"golang.org/x/crypto/bcrypt"
)

// startServer runs the real service on a loopback port, on a fresh SQLite file
// filled with the demo data, and returns its address.
func startServer(t *testing.T) string {
	t.Helper()
	base, _ := startService(t, handlers.Config{}, nil, nil)
	return base
}

// startService is startServer with a configuration (the base URL and log are
// set here); now, when given, is the store's clock from the demo data on; and
// setup runs on the seeded store, given the service's address, before the
// service starts. It returns the address and the store.
func startService(t *testing.T, cfg handlers.Config, now func() time.Time, setup func(store *db.Store, base string)) (string, *db.Store) {
	t.Helper()
	db.BcryptCost = bcrypt.MinCost // the demo passwords are published; hashing them slowly proves nothing here
	store, err := db.Open(filepath.Join(t.TempDir(), "e2e.db"))
	if err != nil {
		t.Fatal(err)
	}
	if now != nil {
		store.Now = now
	}
	if _, err := demo.Seed(context.Background(), store); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	// Every server logs JSON into the run's log, which TestMain searches
	// for what must never be logged (logs_test.go).
	var w io.Writer = &runLog
	if testing.Verbose() {
		w = io.MultiWriter(&runLog, testWriter{t})
	}
	log, err := observe.NewLogger(w, "json", nil)
	if err != nil {
		t.Fatal(err)
	}
	store.Log = log
	if setup != nil {
		setup(store, base)
	}
	noteSecrets(t, store)
	cfg.BaseURL, cfg.Log = base, log
	app := handlers.New(store, cfg)
	done := make(chan error, 1)
	go func() { done <- app.Listener(ln) }()
	t.Cleanup(func() {
		if err := app.Shutdown(); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		ln.Close() // a Listener that had not started yet returns at once
		<-done
		store.Close()
	})
	return base, store
}

// testWriter sends the server's log to the test's log.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(string(p))
	return len(p), nil
}
