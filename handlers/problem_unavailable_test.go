package handlers

import (
	"testing"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/handlers/httpx"
)

// A database that cannot be reached is 503 in Swedish, not 500.
func TestUnavailableDatabaseIs503(t *testing.T) {
	_, err := db.Open("postgres://beslut@127.0.0.1:1/beslut?sslmode=disable&connect_timeout=2")
	if err == nil {
		t.Fatal("Open of a closed port succeeded")
	}
	p := httpx.ToProblem(err)
	if p.Status != 503 || p.Type != "urn:beslutsgang:problem:unavailable" || p.Detail == "" {
		t.Errorf("toProblem = %+v", p)
	}
}
