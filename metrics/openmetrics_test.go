package metrics_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// The handler speaks OpenMetrics to a scraper that asks for it, as the
// README says, and the Prometheus text format otherwise.
func TestHandlerOpenMetrics(t *testing.T) {
	m, _ := newMetrics(t)
	for _, tc := range []struct{ accept, ctype string }{
		{"application/openmetrics-text; version=1.0.0", "application/openmetrics-text"},
		{"", "text/plain"},
	} {
		req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
		if tc.accept != "" {
			req.Header.Set("Accept", tc.accept)
		}
		rec := httptest.NewRecorder()
		m.Handler().ServeHTTP(rec, req)
		if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, tc.ctype) {
			t.Errorf("Accept %q: Content-Type %q, want %s", tc.accept, ct, tc.ctype)
		}
		if eof := strings.HasSuffix(rec.Body.String(), "# EOF\n"); eof != (tc.accept != "") {
			t.Errorf("Accept %q: ends with # EOF: %v", tc.accept, eof)
		}
	}
}
