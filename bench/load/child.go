package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/db"
)

// The tool runs its floors as children of its own binary, pinned to the
// server's core like the service: a bare Fiber "hello" server and a loop of
// bare SQLite commits.

// serveHello answers GET /hello on addr until it is told to stop. The
// app has the service's Fiber settings (handlers.New), without its
// middleware, templates and routes: what is left is the cost of Fiber itself.
func serveHello(addr string, stdout io.Writer) error {
	app := fiber.New(fiber.Config{
		BodyLimit:             int(db.MaxAttachmentSize) + 1<<20,
		DisableStartupMessage: true,
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          60 * time.Second,
		IdleTimeout:           120 * time.Second,
		UnescapePath:          true,
	})
	app.Get("/hello", func(c *fiber.Ctx) error { return c.SendString("Hello, World!") })
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, ln.Addr().String())
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, os.Interrupt)
	go func() {
		<-stop
		app.ShutdownWithTimeout(5 * time.Second)
	}()
	return app.Listener(ln)
}

// bareCommitResult is what the bare-commit child reports.
type bareCommitResult struct {
	Times []time.Duration `json:"times"`
}

// runBareCommits makes one-row commits in a new database at path through
// the store (db.Store.BareCommits: its DSN, pragmas and writer) and prints
// their times as JSON.
func runBareCommits(path string, n int, d time.Duration, stdout io.Writer) error {
	s, err := db.Open(path)
	if err != nil {
		return err
	}
	defer s.Close()
	times, err := s.BareCommits(context.Background(), n, d)
	if err != nil {
		return err
	}
	return json.NewEncoder(stdout).Encode(bareCommitResult{Times: times})
}
