package db

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"

	"github.com/kommun/beslutsgang/workflow"
	sqlite3 "github.com/mattn/go-sqlite3"
)

// Backup copies the database to dest with SQLite's online backup API. The copy
// is taken in one step inside one read transaction, so it is consistent even
// while the server keeps writing (WAL lets writers go on meanwhile).
//
// On PostgreSQL the database server keeps the data, and its own tools back it
// up (pg_dump, or pg_basebackup with WAL archiving; README): Backup says so.
func (s *Store) Backup(ctx context.Context, dest string) error {
	if s.engine == PostgreSQL {
		return workflow.Errorf(workflow.EINVALID, "En PostgreSQL-databas säkerhetskopieras med PostgreSQLs egna verktyg, t.ex. pg_dump (se README)")
	}
	// The name goes into a DSN, where ? and # would be read as options.
	if dest == "" || strings.ContainsAny(dest, "?#") {
		return fmt.Errorf("säkerhetskopian: %q ska vara ett filnamn utan ? och #", dest)
	}
	if _, err := os.Stat(dest); err == nil {
		return fmt.Errorf("säkerhetskopian: %s finns redan; välj ett nytt filnamn", dest)
	}
	dst, err := sql.Open("sqlite3", "file:"+dest)
	if err != nil {
		return err
	}
	defer dst.Close()
	dconn, err := dst.Conn(ctx)
	if err != nil {
		return fmt.Errorf("backup: open %s: %w", dest, err)
	}
	defer dconn.Close()
	sconn, err := s.r.Conn(ctx)
	if err != nil {
		return err
	}
	defer sconn.Close()
	return dconn.Raw(func(d any) error {
		return sconn.Raw(func(src any) error {
			b, err := d.(*sqlite3.SQLiteConn).Backup("main", src.(*sqlite3.SQLiteConn), "main")
			if err != nil {
				return fmt.Errorf("backup: %w", err)
			}
			if _, err := b.Step(-1); err != nil {
				b.Finish()
				return fmt.Errorf("backup: %w", err)
			}
			return b.Finish()
		})
	})
}
