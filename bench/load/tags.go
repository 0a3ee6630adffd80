package main

import "runtime/debug"

// buildTags are the build tags this tool was built with (go run -tags …),
// for building the service the same way: the tags choose what SQLite has
// (sqlite_fts5: full-text search).
func buildTags() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "-tags" {
				return s.Value
			}
		}
	}
	return ""
}
