package observe

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

func TestValidRequestID(t *testing.T) {
	for id, want := range map[string]bool{
		"0f8fad5b-d9cb-469f-a165-70867728950e": true,
		"abc_DEF.1:2=":                         true,
		strings.Repeat("a", 64):                true,
		strings.Repeat("a", 65):                false,
		"":                                     false,
		"två":                                  false,
		"a b":                                  false,
		"a\nb":                                 false,
		`a"b`:                                  false,
	} {
		if got := ValidRequestID(id); got != want {
			t.Errorf("ValidRequestID(%q) = %v", id, got)
		}
	}
	if a, b := NewRequestID(), NewRequestID(); a == b || !ValidRequestID(a) || len(a) != 32 {
		t.Errorf("NewRequestID: %q, %q", a, b)
	}
}

// A line logged with a request's context names its id once, whether the
// logger came from Logger or the ...Context methods, in either format.
func TestLoggerRequestID(t *testing.T) {
	var buf bytes.Buffer
	log, err := NewLogger(&buf, "json", nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := WithRequestID(context.Background(), "r-1")
	log.InfoContext(ctx, "a")
	Logger(log, ctx).InfoContext(ctx, "b")
	Logger(log, ctx).Info("c")
	log.Info("d")
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 4 {
		t.Fatalf("%d lines: %s", len(lines), buf.String())
	}
	for i, want := range []string{"r-1", "r-1", "r-1", ""} {
		var m map[string]any
		if err := json.Unmarshal([]byte(lines[i]), &m); err != nil {
			t.Fatalf("line %d: %v", i, err)
		}
		if got, _ := m["request_id"].(string); got != want || strings.Count(lines[i], "request_id") > 1 {
			t.Errorf("line %d: %s; want request_id %q once", i, lines[i], want)
		}
	}
	buf.Reset()
	text, _ := NewLogger(&buf, "text", nil)
	text.InfoContext(ctx, "e")
	if !strings.Contains(buf.String(), "request_id=r-1") {
		t.Errorf("text: %s", buf.String())
	}
	if _, err := NewLogger(&buf, "xml", nil); err == nil || !strings.Contains(err.Error(), "json eller text") {
		t.Errorf("an unknown format: %v", err)
	}
}
