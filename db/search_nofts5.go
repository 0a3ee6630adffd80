//go:build !sqlite_fts5

package db

// Without the build tag sqlite_fts5 the driver has no FTS5: search on
// SQLite falls back to LIKE on the number and, where the reader may see it,
// the title (PostgreSQL's index, search_postgres.go, needs no tag).
// The index tables an FTS5 build made are left alone (this build cannot
// read them) but marked stale, since changes made here do not reach them:
// the next FTS5 build reindexes at Open.

import (
	"context"
	"database/sql"
	"html/template"

	"github.com/kommun/beslutsgang/workflow"
)

// FullTextSearch reports whether this build has SQLite's full-text index
// (the build tag sqlite_fts5); without it, search on SQLite looks at numbers
// and titles only. PostgreSQL's index is in every build.
const FullTextSearch = false

func (s *Store) ftsEnsureSearchIndex(ctx context.Context) error {
	var n int
	if err := s.w.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'search_index'`).Scan(&n); err != nil || n == 0 {
		return err
	}
	_, err := s.w.ExecContext(ctx, `UPDATE search_index SET version = 0 WHERE version <> 0`)
	return err
}

// ftsReindex: the index needs FTS5, which this build lacks.
func (s *Store) ftsReindex(ctx context.Context, progress func(done, total int)) error {
	return workflow.Errorf(workflow.EINVALID, "Sökindexet kräver att beslutsgang är byggt med -tags sqlite_fts5")
}

func (s *Store) ftsIndexCase(ctx context.Context, tx *sql.Tx, caseID int64) error { return nil }

// caseSearch: every word in the number, or in the title of a case the
// viewer may see; the list applies its filters as for any list.
func caseSearch(query string, viewer *workflow.User, _ searchFilter) searchPlan {
	return likeSearch(query, visibleTo(viewer))
}

// diarySearch: every word in the number, or in the title of a case that is not secret.
func diarySearch(query string, _ searchFilter) searchPlan {
	return likeSearch(query, "NOT cases.secret")
}

func (s *Store) ftsSnippetsOf(ctx context.Context, q queryer, sq *searchQuery, hits []searchHit) (map[int64]template.HTML, error) {
	return nil, nil
}

// dropSearchTables: a build without FTS5 makes no index tables to drop.
func dropSearchTables() []string { return nil }
