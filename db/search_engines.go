package db

// The search's entry points, each handing over to the index of the store's
// engine: FTS5 on SQLite (search_fts5.go, or search_nofts5.go in a build
// without it), tsvector and pg_trgm on PostgreSQL (search_postgres*.go),
// which every build has.

import (
	"context"
	"database/sql"
	"fmt"
	"html/template"

	"github.com/kommun/beslutsgang/workflow"
)

// caseSearch is the text query of a case list for viewer, narrowed by the
// list's filters (where, on cases, with args): with a full-text index they
// apply inside the search (searchFilter); without one, likeSearch's
// conditions join the list's.
func (s *Store) caseSearch(query string, viewer *workflow.User, where []string, args []any) searchPlan {
	f := s.searchFilter(where, args)
	switch {
	case s.searchOff:
		return likeSearch(query, visibleTo(viewer))
	case s.engine == PostgreSQL:
		return pgCaseSearch(query, viewer, f)
	}
	return caseSearch(query, viewer, f)
}

// diarySearch is the text query of the public diary, narrowed as caseSearch
// and, when ids is not nil, read within that range of case ids
// (searchFilter.ids).
func (s *Store) diarySearch(query string, where []string, args []any, ids *[2]int64) searchPlan {
	f := s.searchFilter(where, args)
	f.ids = ids
	switch {
	case s.searchOff:
		return likeSearch(query, "NOT cases.secret")
	case s.engine == PostgreSQL:
		return pgDiarySearch(query, f)
	}
	return diarySearch(query, f)
}

// FullTextSearch reports whether this store searches with its full-text
// index: PostgreSQL's always, SQLite's FTS5 in a build with it; without one,
// search looks at numbers and titles.
func (s *Store) FullTextSearch() bool {
	return !s.searchOff && (FullTextSearch || s.engine == PostgreSQL)
}

// ensureSearchIndex builds the index at Open when it is missing or of
// another version.
func (s *Store) ensureSearchIndex(ctx context.Context) error {
	if s.engine == PostgreSQL {
		return s.pgEnsureSearchIndex(ctx)
	}
	return s.ftsEnsureSearchIndex(ctx)
}

// Reindex builds the search index anew from every case, a batch of cases per
// transaction, calling progress (if not nil) after each batch with the cases
// done and the total. While it runs, searches find only the cases indexed so
// far; changes made meanwhile are indexed as usual.
func (s *Store) Reindex(ctx context.Context, progress func(done, total int)) error {
	if s.engine == PostgreSQL {
		return s.pgReindex(ctx, progress)
	}
	return s.ftsReindex(ctx, progress)
}

// reindex is Reindex on either engine: reset, statements run in one
// transaction that leave the index empty and marked stale (version 0); then
// every case, reindexBatch at a time, each batch written by write in a
// transaction of its own, with progress after each; then the index marked
// current (version).
func (s *Store) reindex(ctx context.Context, reset []string, version int, progress func(done, total int),
	write func(ctx context.Context, tx *sql.Tx, srcs []*searchSource) error) error {
	var maxID int64
	var total int
	err := s.tx(ctx, func(tx *sql.Tx) error {
		for _, q := range reset {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("search index: %w", err)
			}
		}
		return tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0), COUNT(*) FROM cases`).Scan(&maxID, &total)
	})
	if err != nil {
		return err
	}
	done := 0
	for from := int64(1); from <= maxID; from += reindexBatch {
		err := s.tx(ctx, func(tx *sql.Tx) error {
			srcs, err := loadSearchSources(ctx, tx, from, from+reindexBatch-1)
			if err != nil {
				return err
			}
			done += len(srcs)
			return write(ctx, tx, srcs)
		})
		if err != nil {
			return err
		}
		if progress != nil {
			progress(done, total)
		}
	}
	// Through the writer, as a change: searches read the version, so the
	// pages the list cache keeps are of the index before.
	return s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE search_index SET version = ?`, version)
		return err
	})
}

// indexCase brings the index rows of one case in line with the case, inside
// the transaction of the change; a scope whose text did not change is not
// written.
func (s *Store) indexCase(ctx context.Context, tx *sql.Tx, caseID int64) error {
	switch {
	case s.searchOff:
		return nil
	case s.engine == PostgreSQL:
		return s.pgIndexCase(ctx, tx, caseID)
	}
	return s.ftsIndexCase(ctx, tx, caseID)
}

// snippetsOf reads the snippets of the listed hits: from Ärendet's short
// columns if a hit is there, else from the long text. A hit in the number or
// title alone has no snippet: the list shows those already.
func (s *Store) snippetsOf(ctx context.Context, sq *searchQuery, hits []searchHit) (map[int64]template.HTML, error) {
	if s.engine == PostgreSQL {
		return s.pgSnippetsOf(ctx, sq, hits)
	}
	return s.ftsSnippetsOf(ctx, s.r, sq, hits)
}
