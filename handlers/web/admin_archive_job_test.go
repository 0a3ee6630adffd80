package web

import (
	"errors"
	"os"
	"testing"

	"github.com/kommun/beslutsgang/earchive"
	"github.com/kommun/beslutsgang/workflow"
)

// TestArchiveOneAtATime: while a delivery runs, another is refused before
// anything is started or written, and the running one's status stays.
func TestArchiveOneAtATime(t *testing.T) {
	running := archiveStatus{Board: "ASN", Done: 3, Total: 9}
	w := &web{archive: &archiveJob{running: true, status: running}}
	dir := t.TempDir() + "/paket"
	err := w.startArchive(workflow.User{Name: "Admin"}, "KS", workflow.MustDate("2026-01-01"), earchive.FormatERMS, dir)
	if !errors.Is(err, errArchiveRunning) {
		t.Fatalf("second delivery: %v", err)
	}
	if st, on := w.archive.snapshot(); !on || st != running {
		t.Errorf("the running delivery's status changed: %+v, %v", st, on)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the refused delivery made its folder: %v", err)
	}
}
