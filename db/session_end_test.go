package db

import (
	"bytes"
	"context"
	"testing"
	"time"
)

// A session that has ended stays ended: a request that read it before the
// logout (or the login that replaced its id, or a Reset) and saves it
// afterwards does not bring it back. The ended rows go with the sweep.
func TestEndedSessionIsNotWrittenBack(t *testing.T) {
	s, clk := mustOpenClock(t)
	ss := s.Sessions()
	loggedIn := []byte("uid=7")

	// A logout between a request's read and its save.
	if err := ss.Set("a", loggedIn, time.Hour); err != nil {
		t.Fatal(err)
	}
	read, _ := ss.Get("a")
	if err := ss.Delete("a"); err != nil {
		t.Fatal(err)
	}
	if err := ss.Set("a", read, time.Hour); err != nil {
		t.Fatal(err)
	}
	if v, err := ss.Get("a"); v != nil || err != nil {
		t.Errorf("a session saved back after its logout reads as %q, %v; want none", v, err)
	}

	// The same for everyone logged out at once.
	ss.Set("b", loggedIn, time.Hour)
	read, _ = ss.Get("b")
	if err := ss.Reset(); err != nil {
		t.Fatal(err)
	}
	ss.Set("b", read, time.Hour)
	if v, _ := ss.Get("b"); v != nil {
		t.Errorf("a session saved back after Reset reads as %q", v)
	}

	// Other sessions are made and saved as before.
	if err := ss.Set("c", []byte("new"), time.Hour); err != nil {
		t.Fatal(err)
	}
	ss.Set("c", []byte("newer"), time.Hour)
	if v, _ := ss.Get("c"); !bytes.Equal(v, []byte("newer")) {
		t.Errorf("a live session after a save: %q", v)
	}

	// The ended rows are swept once no request can still be saving them.
	clk.Set(start.Add(endedSessionKept + 2*time.Hour))
	n, err := ss.DeleteExpired(context.Background())
	if err != nil || n != 3 {
		t.Errorf("DeleteExpired: %d, %v; want the 2 ended rows and the expired live one", n, err)
	}
}
