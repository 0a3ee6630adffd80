package observe

import (
	"context"
	"fmt"
	"io"
	"log/slog"
)

// LogFormats are the values of --log-format.
var LogFormats = []string{"text", "json"}

// NewLogger returns a logger writing to w as format, lines at level and
// above (nil: Info): "json" (one JSON object a line, slog.JSONHandler) or
// "text" (slog.TextHandler's key=value lines).
// Every line logged with a context that carries a request id (the
// ...Context methods, or a logger from Logger) gets it as request_id. An
// unknown format is an error in Swedish, for the command line.
func NewLogger(w io.Writer, format string, level slog.Leveler) (*slog.Logger, error) {
	var h slog.Handler
	opts := &slog.HandlerOptions{Level: level}
	switch format {
	case "json":
		h = slog.NewJSONHandler(w, opts)
	case "text", "":
		h = slog.NewTextHandler(w, opts)
	default:
		return nil, fmt.Errorf("okänt loggformat %q; välj json eller text", format)
	}
	return slog.New(contextHandler{Handler: h}), nil
}

// Logger is log with the request id of ctx on every line; without one, log.
func Logger(log *slog.Logger, ctx context.Context) *slog.Logger {
	if id := RequestID(ctx); id != "" {
		return log.With("request_id", id)
	}
	return log
}

// contextHandler adds the request id of the record's context, unless the
// logger has one already (Logger) or the line names one itself.
type contextHandler struct {
	slog.Handler
	hasID bool
}

func (h contextHandler) Handle(ctx context.Context, r slog.Record) error {
	if id := RequestID(ctx); id != "" && !h.hasID {
		seen := false
		r.Attrs(func(a slog.Attr) bool {
			seen = a.Key == "request_id"
			return !seen
		})
		if !seen {
			r.AddAttrs(slog.String("request_id", id))
		}
	}
	return h.Handler.Handle(ctx, r)
}

func (h contextHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	has := h.hasID
	for _, a := range attrs {
		has = has || a.Key == "request_id"
	}
	return contextHandler{h.Handler.WithAttrs(attrs), has}
}

func (h contextHandler) WithGroup(name string) slog.Handler {
	return contextHandler{h.Handler.WithGroup(name), h.hasID}
}
