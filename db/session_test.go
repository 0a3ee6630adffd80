package db_test

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/db"
)

func openStore(t *testing.T) *db.Store {
	t.Helper()
	s, err := db.Open(filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestSessions(t *testing.T) {
	s := openStore(t)
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { return now }
	ss := s.Sessions()

	if v, err := ss.Get("missing"); v != nil || err != nil {
		t.Errorf("Get of a missing key: %q, %v", v, err)
	}
	if err := ss.Set("a", []byte("first"), time.Hour); err != nil {
		t.Fatal(err)
	}
	if err := ss.Set("a", []byte("second"), time.Hour); err != nil {
		t.Fatal(err)
	}
	if err := ss.Set("forever", []byte("kept"), 0); err != nil {
		t.Fatal(err)
	}
	if err := ss.Set("", []byte("ignored"), time.Hour); err != nil {
		t.Fatal(err)
	}
	if v, _ := ss.Get("a"); !bytes.Equal(v, []byte("second")) {
		t.Errorf("Get after overwrite: %q", v)
	}

	// An expired session is gone for Get at once, and from the table on the sweep.
	now = now.Add(time.Hour)
	if v, _ := ss.Get("a"); v != nil {
		t.Errorf("an expired session still reads as %q", v)
	}
	n, err := ss.DeleteExpired(context.Background())
	if err != nil || n != 1 {
		t.Errorf("DeleteExpired: %d, %v; want 1", n, err)
	}
	if v, _ := ss.Get("forever"); !bytes.Equal(v, []byte("kept")) {
		t.Errorf("a session without expiry: %q", v)
	}

	if err := ss.Delete("forever"); err != nil {
		t.Fatal(err)
	}
	if err := ss.Delete("forever"); err != nil {
		t.Errorf("deleting a missing key: %v", err)
	}
	if v, _ := ss.Get("forever"); v != nil {
		t.Errorf("a deleted session still reads as %q", v)
	}

	ss.Set("b", []byte("x"), time.Hour)
	ss.Set("c", []byte("y"), time.Hour)
	if err := ss.Reset(); err != nil {
		t.Fatal(err)
	}
	if v, _ := ss.Get("b"); v != nil {
		t.Error("Reset left a session")
	}
}

// A session outlives the process: a store opened again on the file finds it.
func TestSessionsSurviveReopen(t *testing.T) {
	file := filepath.Join(t.TempDir(), "test.db")
	s, err := db.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Sessions().Set("key", []byte("value"), time.Hour); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = db.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v, _ := s.Sessions().Get("key"); !bytes.Equal(v, []byte("value")) {
		t.Errorf("after reopening: %q", v)
	}
}
