package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/kommun/beslutsgang/db"
)

// personas are two generated users with the longest history of their kind,
// measured besides the load test's own logins (which have little): the
// manager with the most sign-offs, and the person responsible for the most
// deadlines. A page whose cost grows with the viewer's own history (every
// sign-off read for each row of a list; every deadline one ever had read for
// the last fortnight's reminders: issue 10) shows as them, not as the bench
// logins. Empty when the tool has no database to look in (-url).
type personas struct {
	manager, holder string // e-mail addresses
}

// findPersonas finds the personas in the database at dsn and gives them
// the bench password, which changes the database (bench/gen's, made for
// this). The load test's own users are left out: the deadlines of their
// drafts are the tool's, not history. A database without sign-offs or
// deadlines has no personas: empty, and no error.
func findPersonas(ctx context.Context, dsn, password string) (personas, error) {
	s, err := db.Open(dsn)
	if err != nil {
		return personas{}, err
	}
	defer s.Close()
	raw, err := db.OpenRaw(dsn)
	if err != nil {
		return personas{}, err
	}
	defer raw.Close()
	var p personas
	for _, q := range []struct {
		email *string
		sql   string
	}{
		{&p.manager, `SELECT u.email FROM case_approvers ca JOIN users u ON u.id = ca.user_id
			WHERE u.email NOT LIKE 'lasttest.%' GROUP BY u.id, u.email ORDER BY COUNT(*) DESC, u.id LIMIT 1`},
		{&p.holder, `SELECT u.email FROM deadlines d JOIN users u ON u.id = d.responsible_id
			WHERE u.email NOT LIKE 'lasttest.%' GROUP BY u.id, u.email ORDER BY COUNT(*) DESC, u.id LIMIT 1`},
	} {
		err := raw.QueryRowContext(ctx, q.sql).Scan(q.email)
		if errors.Is(err, sql.ErrNoRows) {
			return personas{}, nil // nobody to measure as: the two scenarios are left out
		}
		if err != nil {
			return personas{}, fmt.Errorf("hitta personer med lång historik: %w", err)
		}
		u, err := s.UserByEmail(ctx, *q.email)
		if err != nil {
			return personas{}, err
		}
		if err := s.SetPassword(ctx, u.ID, password); err != nil {
			return personas{}, fmt.Errorf("lösenord för %s: %w", *q.email, err)
		}
	}
	return p, nil
}
