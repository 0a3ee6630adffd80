package httpx

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"slices"
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
	s := &Server{Config: Config{Log: slog.New(slog.NewTextHandler(io.Discard, nil))}, public: make(chan struct{}, 1), reads: make(chan struct{}, 2)}
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

// Reads beyond the turns wait, and are served in the order they came: not
// in random order, as database/sql's pool hands out a freed connection.
func TestReadGateInOrder(t *testing.T) {
	s := &Server{Config: Config{Log: slog.New(slog.NewTextHandler(io.Discard, nil))}, reads: make(chan struct{}, 1)}
	app := fiber.New(fiber.Config{ErrorHandler: s.HandleError, DisableStartupMessage: true})
	holding, release := make(chan struct{}), make(chan struct{})
	app.Get("/slow", s.ReadGate, func(c *fiber.Ctx) error {
		close(holding)
		<-release
		return c.SendString("klar")
	})
	served := make(chan string, 3)
	app.Get("/read/:n", s.ReadGate, func(c *fiber.Ctx) error {
		served <- c.Params("n")
		return c.SendString("läst")
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go app.Listener(ln)
	defer app.Shutdown()
	base := "http://" + ln.Addr().String()
	get := func(path string, done chan<- error) {
		resp, err := http.Get(base + path)
		if err == nil {
			if resp.StatusCode != http.StatusOK {
				err = fmt.Errorf("%s: %s", path, resp.Status)
			}
			resp.Body.Close()
		}
		done <- err
	}
	done := make(chan error, 4)
	go get("/slow", done)
	<-holding
	for _, n := range []string{"1", "2", "3"} {
		go get("/read/"+n, done)
		time.Sleep(50 * time.Millisecond) // each waits before the next comes
	}
	select {
	case n := <-served:
		t.Fatalf("read %s served while the only turn was taken", n)
	default:
	}
	close(release)
	for range 4 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if got := []string{<-served, <-served, <-served}; !slices.Equal(got, []string{"1", "2", "3"}) {
		t.Errorf("served in the order %q, want 1, 2, 3", got)
	}
}
