package observe

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// recorder is a slow underlying writer that remembers each call.
type recorder struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	calls int
	delay time.Duration
}

func (r *recorder) Write(p []byte) (int, error) {
	time.Sleep(r.delay)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls++
	return r.buf.Write(p)
}

// Lines from many goroutines arrive whole, each goroutine's in its order,
// in fewer writes than lines when they come together; Close writes the
// rest, and a line after Close still arrives.
func TestBatchWriter(t *testing.T) {
	rec := &recorder{delay: time.Millisecond}
	b := NewBatchWriter(rec)
	const writers, lines = 8, 200
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range lines {
				fmt.Fprintf(b, "w=%d i=%d %s\n", w, i, strings.Repeat("x", 40))
			}
		}()
	}
	wg.Wait()
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(b, "efter\n")
	b.Close()
	got := strings.Split(strings.TrimSuffix(rec.buf.String(), "\n"), "\n")
	if len(got) != writers*lines+1 || got[len(got)-1] != "efter" {
		t.Fatalf("%d lines, last %q; want %d and \"efter\"", len(got), got[len(got)-1], writers*lines+1)
	}
	next := make([]int, writers)
	for _, l := range got[:len(got)-1] {
		var w, i int
		var rest string
		if _, err := fmt.Sscanf(l, "w=%d i=%d %s", &w, &i, &rest); err != nil || len(rest) != 40 {
			t.Fatalf("line torn: %q", l)
		}
		if i != next[w] {
			t.Fatalf("writer %d: line %d after %d", w, i, next[w]-1)
		}
		next[w]++
	}
	if rec.calls >= writers*lines {
		t.Errorf("%d writes for %d lines: nothing was batched", rec.calls, writers*lines)
	}
}

// A writer that cannot keep up holds Write back at maxPending: what waits
// in memory stays bounded.
func TestBatchWriterBounded(t *testing.T) {
	block := make(chan struct{})
	var first sync.Once
	w := writerFunc(func(p []byte) (int, error) {
		first.Do(func() { <-block })
		return len(p), nil
	})
	b := NewBatchWriter(w)
	line := []byte(strings.Repeat("y", 1024) + "\n")
	b.Write(line) // taken by the writer, which now blocks
	time.Sleep(10 * time.Millisecond)
	done := make(chan struct{})
	go func() {
		for range 2 * maxPending / len(line) {
			b.Write(line)
		}
		close(done)
	}()
	time.Sleep(50 * time.Millisecond)
	select {
	case <-done:
		t.Fatal("Write queued twice maxPending while the writer was stuck")
	default:
	}
	b.mu.Lock()
	pending := len(b.buf)
	b.mu.Unlock()
	if pending > maxPending {
		t.Errorf("%d bytes pending, more than %d", pending, maxPending)
	}
	close(block)
	<-done
	b.Close()
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
