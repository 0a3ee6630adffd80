package handlers_test

import (
	"context"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/demo"
	"github.com/kommun/beslutsgang/handlers"
	"github.com/kommun/beslutsgang/internal/pgtest"
	"github.com/kommun/beslutsgang/internal/syncbuf"
	"github.com/kommun/beslutsgang/observe"
)

// A request that fails is logged by its route pattern, never its path: the
// path of a personal calendar feed is its secret token. (The error lines
// used to name the path.)
func TestFailedRequestLogsNoPath(t *testing.T) {
	store, err := db.Open(pgtest.DSN(t, "logpaths.db"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := demo.Seed(ctx, store); err != nil {
		t.Fatal(err)
	}
	u, err := store.UserByEmail(ctx, secretary)
	if err != nil {
		t.Fatal(err)
	}
	token, err := store.CreateCalendarToken(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	var logs syncbuf.Buffer
	log, _ := observe.NewLogger(&logs, "json", nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	app := handlers.New(store, handlers.Config{BaseURL: base, Log: log})
	done := make(chan error, 1)
	go func() { done <- app.Listener(ln) }()
	defer func() { app.Shutdown(); <-done }()

	r := (&server{T: t, Base: base}).Request("GET", "/calendar/user/"+token+".ics", "", nil)
	if r.Status != http.StatusOK {
		t.Fatalf("the feed: %d", r.Status)
	}
	store.Close() // every request now fails in the store
	r = (&server{T: t, Base: base}).Request("GET", "/calendar/user/"+token+".ics", "", nil)
	if r.Status < 500 {
		t.Fatalf("the feed with the store closed: %d", r.Status)
	}
	all := logs.String()
	if !strings.Contains(all, `"level":"ERROR"`) || !strings.Contains(all, `"route":"/calendar/user/:token.ics"`) {
		t.Errorf("no error line naming the route:\n%s", all)
	}
	if strings.Contains(all, token) {
		t.Errorf("the log holds the feed's token:\n%s", all)
	}
}
