package httpx

import (
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
)

// Public requests share a bounded part of the readers: while the share is
// taken, the next public request waits, then gets 503 with Retry-After in
// Swedish; once a slot is free again, it is served.
func TestPublicShare(t *testing.T) {
	defer func(w time.Duration) { publicWait = w }(publicWait)
	publicWait = 20 * time.Millisecond
	s := &Server{Config: Config{Log: slog.New(slog.NewTextHandler(io.Discard, nil))}, public: make(chan struct{}, 1)}
	app := fiber.New(fiber.Config{ErrorHandler: s.HandleError, DisableStartupMessage: true})
	holding, release := make(chan struct{}), make(chan struct{})
	app.Get("/slow", s.PublicShare, func(c *fiber.Ctx) error {
		close(holding)
		<-release
		return c.SendString("klar")
	})
	app.Get("/diary", s.PublicShare, func(c *fiber.Ctx) error { return c.SendString("diariet") })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go app.Listener(ln)
	defer app.Shutdown()
	base := "http://" + ln.Addr().String()
	slow := make(chan error, 1)
	go func() {
		resp, err := http.Get(base + "/slow")
		if err == nil {
			resp.Body.Close()
		}
		slow <- err
	}()
	<-holding
	resp, err := http.Get(base + "/diary")
	if err != nil {
		t.Fatal(err)
	}
	var p Problem
	json.NewDecoder(resp.Body).Decode(&p)
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" || !strings.Contains(p.Detail, "försök igen") {
		t.Errorf("with the share taken: %d, Retry-After %q, %+v", resp.StatusCode, resp.Header.Get("Retry-After"), p)
	}
	close(release)
	if err := <-slow; err != nil {
		t.Fatal(err)
	}
	resp, err = http.Get(base + "/diary")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || string(body) != "diariet" {
		t.Errorf("with the share free: %d %s", resp.StatusCode, body)
	}
}
