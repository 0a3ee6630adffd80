package observe

import (
	"io"
	"sync"
)

// maxPending is how many bytes of log lines may wait for the writer
// before Write blocks: a stuck stderr slows the service down rather than
// filling its memory.
const maxPending = 1 << 20

// BatchWriter is an io.Writer for log lines that hands them to one
// goroutine, which writes everything that has arrived since its last write
// in one call. A request then no longer waits for its own write(2), and a
// busy server writes many lines per system call; an idle one writes each
// line at once, so little is pending when the process is killed.
// Each Write is kept whole (slog writes one line per call), in order.
// Close writes what is pending and waits; Writes after Close go straight
// to the underlying writer. Errors of the underlying writer are dropped, as
// slog's handlers' are.
type BatchWriter struct {
	w      io.Writer
	mu     sync.Mutex
	space  *sync.Cond // signalled when the writer has taken the pending lines
	buf    []byte     // lines not yet taken by the writer
	wake   chan struct{}
	done   chan struct{}
	closed bool
}

// NewBatchWriter starts the writing goroutine for w; Close stops it.
func NewBatchWriter(w io.Writer) *BatchWriter {
	b := &BatchWriter{w: w, wake: make(chan struct{}, 1), done: make(chan struct{})}
	b.space = sync.NewCond(&b.mu)
	go b.loop()
	return b
}

// Write queues p (copied) and returns len(p), nil.
func (b *BatchWriter) Write(p []byte) (int, error) {
	b.mu.Lock()
	for !b.closed && len(b.buf) > 0 && len(b.buf)+len(p) > maxPending {
		b.space.Wait()
	}
	if b.closed {
		b.mu.Unlock()
		<-b.done // after the lines queued before Close
		_, _ = b.w.Write(p)
		return len(p), nil
	}
	b.buf = append(b.buf, p...)
	select {
	case b.wake <- struct{}{}:
	default: // a wake-up is already due
	}
	b.mu.Unlock()
	return len(p), nil
}

// loop writes the pending lines each time it is woken, until Close.
func (b *BatchWriter) loop() {
	defer close(b.done)
	var out []byte
	for range b.wake {
		b.mu.Lock()
		out, b.buf = b.buf, out[:0]
		b.space.Broadcast()
		b.mu.Unlock()
		if len(out) > 0 {
			_, _ = b.w.Write(out)
		}
	}
}

// Close writes the pending lines and stops the goroutine. It is safe to
// call more than once.
func (b *BatchWriter) Close() error {
	b.mu.Lock()
	if !b.closed {
		b.closed = true
		close(b.wake) // under the lock: no Write sends after this
	}
	b.space.Broadcast()
	b.mu.Unlock()
	<-b.done
	b.mu.Lock()
	rest := b.buf
	b.buf = nil
	b.mu.Unlock()
	if len(rest) > 0 {
		_, _ = b.w.Write(rest)
	}
	return nil
}
