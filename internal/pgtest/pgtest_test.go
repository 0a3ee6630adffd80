package pgtest

import (
	"context"
	"fmt"
	"net"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

func TestMain(m *testing.M) {
	code := m.Run()
	if err := Shutdown(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}

// connect opens a connection to dbURL, closed when t finishes.
func connect(t *testing.T, dbURL string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

func TestDatabasesAreSeparate(t *testing.T) {
	t.Parallel()
	urlA, urlB := DatabaseURL(t), DatabaseURL(t)
	if urlA == urlB {
		t.Fatalf("two databases with the same URL %s", urlA)
	}
	a, b := connect(t, urlA), connect(t, urlB)

	if _, err := a.Exec(t.Context(), "CREATE TABLE thing (id bigint PRIMARY KEY, name text NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Exec(t.Context(), "INSERT INTO thing VALUES (1, 'ett')"); err != nil {
		t.Fatal(err)
	}
	var inA, inB bool
	const exists = "SELECT to_regclass('public.thing') IS NOT NULL"
	if err := a.QueryRow(t.Context(), exists).Scan(&inA); err != nil {
		t.Fatal(err)
	}
	if err := b.QueryRow(t.Context(), exists).Scan(&inB); err != nil {
		t.Fatal(err)
	}
	if !inA || inB {
		t.Errorf("table thing exists in A: %v, in B: %v; want true, false", inA, inB)
	}
}

func TestListensOnlyOnLoopback(t *testing.T) {
	t.Parallel()
	conn := connect(t, DatabaseURL(t))
	if err := conn.Ping(t.Context()); err != nil {
		t.Fatal(err)
	}
	s, err := Shared()
	if err != nil {
		t.Fatal(err)
	}
	if s.external {
		t.Log("external server: not checking where it listens")
		return
	}
	if host := conn.Config().Host; host != "127.0.0.1" {
		t.Errorf("connected to %s, want 127.0.0.1", host)
	}
	var listen string
	if err := conn.QueryRow(t.Context(), "SHOW listen_addresses").Scan(&listen); err != nil {
		t.Fatal(err)
	}
	if listen != "127.0.0.1" {
		t.Errorf("listen_addresses = %q, want 127.0.0.1", listen)
	}
	// Nothing on the IPv6 loopback, nor on the machine's other addresses.
	addrs := []string{"::1"}
	if ifaddrs, err := net.InterfaceAddrs(); err == nil {
		for _, a := range ifaddrs {
			if ipnet, ok := a.(*net.IPNet); ok && !ipnet.IP.IsLoopback() && !ipnet.IP.IsLinkLocalUnicast() {
				addrs = append(addrs, ipnet.IP.String())
			}
		}
	}
	for _, a := range addrs {
		c, err := net.DialTimeout("tcp", net.JoinHostPort(a, strconv.Itoa(s.port)), time.Second)
		if err == nil {
			c.Close()
			t.Errorf("server port %d accepts connections on %s", s.port, a)
		}
	}
}

func TestDatabaseCollationIsC(t *testing.T) {
	t.Parallel()
	conn := connect(t, DatabaseURL(t))
	var collate, ctype, encoding string
	if err := conn.QueryRow(t.Context(),
		"SELECT datcollate, datctype, pg_encoding_to_char(encoding) FROM pg_database WHERE datname = current_database()",
	).Scan(&collate, &ctype, &encoding); err != nil {
		t.Fatal(err)
	}
	if collate != "C" || ctype != "C" || encoding != "UTF8" {
		t.Errorf("collate %q, ctype %q, encoding %q; want C, C, UTF8", collate, ctype, encoding)
	}
}

func TestDropDatabaseRefusesOthers(t *testing.T) {
	t.Parallel()
	s, err := Shared()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.DropDatabase(t.Context(), s.URL()); err == nil {
		t.Error("DropDatabase of the postgres database did not fail")
	}
}

func TestVersionLess(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"9.6", "15", true},
		{"15", "9.6", false},
		{"13", "15", true},
		{"15", "15", false},
	} {
		if got := versionLess(c.a, c.b); got != c.want {
			t.Errorf("versionLess(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}
