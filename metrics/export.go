package metrics

import (
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// The progress of an export (beslutsgang export, the e-archive) in this
// process, read by every registry at its scrape. An export reports with
// ExportProgress; there is at most one export per process.
var export struct {
	sync.Mutex
	done, total int
	at          time.Time
}

// ExportProgress records that an export has written done of total items
// (cases) so far; call it as the export goes, with done == total at its end.
// Exposed as beslutsgang_export_items_done, beslutsgang_export_items_total
// and beslutsgang_export_last_progress_timestamp_seconds.
func ExportProgress(done, total int) {
	export.Lock()
	defer export.Unlock()
	export.done, export.total, export.at = done, total, time.Now()
}

var (
	descExportDone = prometheus.NewDesc(Namespace+"_export_items_done",
		"Cases the running or last export of this process has written.", nil, nil)
	descExportTotal = prometheus.NewDesc(Namespace+"_export_items_total",
		"Cases the running or last export of this process is to write; 0 when none has run.", nil, nil)
	descExportAt = prometheus.NewDesc(Namespace+"_export_last_progress_timestamp_seconds",
		"When the export of this process last reported progress, in Unix seconds; 0 when none has run.", nil, nil)
)

// exportCollector exposes the export's progress.
type exportCollector struct{}

func (exportCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- descExportDone
	ch <- descExportTotal
	ch <- descExportAt
}

func (exportCollector) Collect(ch chan<- prometheus.Metric) {
	export.Lock()
	done, total, at := export.done, export.total, export.at
	export.Unlock()
	ts := 0.0
	if !at.IsZero() {
		ts = float64(at.UnixNano()) / 1e9
	}
	ch <- prometheus.MustNewConstMetric(descExportDone, prometheus.GaugeValue, float64(done))
	ch <- prometheus.MustNewConstMetric(descExportTotal, prometheus.GaugeValue, float64(total))
	ch <- prometheus.MustNewConstMetric(descExportAt, prometheus.GaugeValue, ts)
}
