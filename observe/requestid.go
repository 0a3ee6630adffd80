// Package observe carries what makes one request traceable through the logs
// and the audit trail: its request id in the context, and loggers (log/slog)
// that write that id on every line. It imports nothing of the service, so
// the store can read the request id of the change it writes.
package observe

import (
	"context"
	"crypto/rand"
	"encoding/hex"
)

// HeaderRequestID is the header a request id arrives in and is answered in.
const HeaderRequestID = "X-Request-Id"

// MaxRequestIDLength is the longest request id taken from a client or a
// proxy; a longer one is replaced by a new id.
const MaxRequestIDLength = 64

type requestIDKey struct{}

// WithRequestID returns ctx carrying the request id id.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// RequestID is the request id ctx carries, or "" outside a request
// (scheduled jobs, the CLI).
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// NewRequestID returns a new random request id: 16 random bytes as 32
// lower-case hex digits.
func NewRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(b[:])
}

// ValidRequestID reports whether id, sent by a client or a proxy, is taken
// as the request's id: 1 to MaxRequestIDLength characters, each an ASCII
// letter, digit or one of - _ . : = (a UUID, a proxy's hex or base64 id). Anything else
// could forge log lines or carry text nobody should log, and is replaced.
func ValidRequestID(id string) bool {
	if id == "" || len(id) > MaxRequestIDLength {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == ':' || c == '=') {
			return false
		}
	}
	return true
}
