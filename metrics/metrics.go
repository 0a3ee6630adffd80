// Package metrics is the service's Prometheus instrumentation
// (github.com/prometheus/client_golang): HTTP requests by route and status
// with their latency, workflow actions by type and result, the outbox, the
// reminders and their scan, the database pools and an export's progress.
// Each server has its own registry (New), served by Handler in the
// Prometheus text exposition format. The figures of the durable queues are
// read from the database at each scrape (db.Store.OpsStats), so they are
// the same on every instance and right after a restart.
package metrics

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/workflow"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Namespace prefixes the service's own metrics.
const Namespace = "beslutsgang"

// scrapeTimeout bounds the database reads of one scrape.
const scrapeTimeout = 2 * time.Second

// Metrics holds one server's registry and the instruments the HTTP layer,
// the store and the scheduler report to. The zero value is not usable; a
// nil *Metrics ignores every report.
type Metrics struct {
	// Registry holds every collector below, the Go runtime's and the
	// process's; Handler serves it.
	Registry *prometheus.Registry

	requests      *prometheus.CounterVec
	duration      *prometheus.HistogramVec
	actions       *prometheus.CounterVec
	deliveries    *prometheus.CounterVec
	remindersSent prometheus.Counter
	lastScan      prometheus.Gauge
}

// New builds the registry for a server over store: store's queue figures
// and pool statistics are read at each scrape; failures to read them are
// logged to log and reported as beslutsgang_store_up 0.
func New(store *db.Store, log *slog.Logger) *Metrics {
	if log == nil {
		log = slog.Default()
	}
	reg := prometheus.NewRegistry()
	m := &Metrics{Registry: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: Namespace, Name: "http_requests_total",
			Help: "HTTP requests answered, by method, route pattern (never the raw path) and status code."},
			[]string{"method", "route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: Namespace, Name: "http_request_duration_seconds",
			Help:    "Time from a request's arrival to its answer, by method and route pattern, in seconds.",
			Buckets: []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}},
			[]string{"method", "route"}),
		actions: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: Namespace, Name: "actions_total",
			Help: "Changes to cases: create, update (a draft) and the workflow actions (submit, approve, ...), by action and result: ok, or the domain error code (invalid, conflict, forbidden, not_found, internal, ...)."},
			[]string{"action", "result"}),
		deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: Namespace, Name: "outbox_deliveries_total",
			Help: "Outbox messages handled by this instance's delivery: sent, retried (failed, to be tried again) or failed (given up)."},
			[]string{"result"}),
		remindersSent: prometheus.NewCounter(prometheus.CounterOpts{Namespace: Namespace, Name: "reminders_sent_total",
			Help: "Reminders the reminder scan of this instance has sent (queued as mail or shown in the UI)."}),
		lastScan: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: Namespace, Name: "reminder_scan_last_success_timestamp_seconds",
			Help: "When this instance last finished a reminder scan without error, in Unix seconds; 0 if it has not (only the scheduler's leader scans)."}),
	}
	for _, r := range []string{"sent", "retried", "failed"} {
		m.deliveries.WithLabelValues(r)
	}
	reg.MustRegister(m.requests, m.duration, m.actions, m.deliveries, m.remindersSent, m.lastScan,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		&storeCollector{store: store, log: log}, exportCollector{})
	reg.MustRegister(
		prometheus.NewCounterFunc(prometheus.CounterOpts{Namespace: Namespace, Name: "list_cache_hits_total",
			Help: "Pages of the case list and the diary, their searches, and cases read by staff, this instance answered from its cache, the database unchanged since they were read."},
			func() float64 { return float64(store.ListCacheStats().Hits) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Namespace: Namespace, Name: "list_cache_misses_total",
			Help: "Pages of the case list and the diary, their searches, and cases read by staff, this instance read from the database: asked for the first time, or since a change."},
			func() float64 { return float64(store.ListCacheStats().Misses) }))
	for name, pool := range store.Pools() {
		reg.MustRegister(collectors.NewDBStatsCollector(pool, name))
	}
	return m
}

// Handler serves the registry in the Prometheus text format (or
// OpenMetrics, when the scraper asks for it).
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{Registry: m.Registry, ErrorHandling: promhttp.ContinueOnError, EnableOpenMetrics: true})
}

// Request counts one answered HTTP request: method, the route pattern it
// matched (e.g. /api/v1/cases/:number; "unmatched" when none did), its
// status code and how long it took.
func (m *Metrics) Request(method, route string, status int, took time.Duration) {
	if m == nil {
		return
	}
	m.requests.WithLabelValues(method, route, statusLabel(status)).Inc()
	m.duration.WithLabelValues(method, route).Observe(took.Seconds())
}

// Action counts one workflow action that ended with err (nil: recorded).
// An action name the workflow does not know is counted as "other", so a
// client cannot invent label values.
func (m *Metrics) Action(action string, err error) {
	if m == nil {
		return
	}
	if _, ok := workflow.EventLabels[action]; !ok {
		action = "other"
	}
	// The registry keeps the label for good; the caller's string may be
	// over a buffer the next request reuses (Fiber's c.Params).
	action = strings.Clone(action)
	result := "ok"
	if err != nil {
		result = workflow.ErrorCode(err)
	}
	m.actions.WithLabelValues(action, result).Inc()
}

// ScanDone records a successful reminder scan at at that sent reminders
// (schedule.Observer).
func (m *Metrics) ScanDone(at time.Time, reminders int) {
	if m == nil {
		return
	}
	m.lastScan.Set(float64(at.UnixNano()) / 1e9)
	m.remindersSent.Add(float64(reminders))
}

// Delivered counts one drain of the outbox (schedule.Observer).
func (m *Metrics) Delivered(sent, retried, failed int) {
	if m == nil {
		return
	}
	m.deliveries.WithLabelValues("sent").Add(float64(sent))
	m.deliveries.WithLabelValues("retried").Add(float64(retried))
	m.deliveries.WithLabelValues("failed").Add(float64(failed))
}

func statusLabel(code int) string {
	if code < 100 || code > 999 {
		return "0"
	}
	return string([]byte{byte('0' + code/100), byte('0' + code/10%10), byte('0' + code%10)})
}

// storeCollector reads the outbox and reminder figures at each scrape.
type storeCollector struct {
	store *db.Store
	log   *slog.Logger
}

var (
	descUp = prometheus.NewDesc(Namespace+"_store_up",
		"1 if the last scrape read the outbox and reminder figures from the database, else 0.", nil, nil)
	descOutbox = prometheus.NewDesc(Namespace+"_outbox_messages",
		"Messages in the outbox waiting to be sent (queued) or given up on (failed), in the whole installation; sent mail is counted by outbox_deliveries_total.", []string{"state"}, nil)
	descOldest = prometheus.NewDesc(Namespace+"_outbox_oldest_queued_age_seconds",
		"Age of the oldest message still queued in the outbox, in seconds; 0 when none is queued.", nil, nil)
	descDue = prometheus.NewDesc(Namespace+"_reminders_due",
		"Reminders whose time has come and that no scan has sent yet.", nil, nil)
)

func (c *storeCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- descUp
	ch <- descOutbox
	ch <- descOldest
	ch <- descDue
}

func (c *storeCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	now := c.store.Now()
	st, err := c.store.OpsStats(ctx, now)
	if err != nil {
		c.log.Error("metrics: reading the outbox and reminders failed", "err", err)
		ch <- prometheus.MustNewConstMetric(descUp, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(descUp, prometheus.GaugeValue, 1)
	for state, n := range st.Outbox {
		ch <- prometheus.MustNewConstMetric(descOutbox, prometheus.GaugeValue, float64(n), state)
	}
	age := 0.0
	if !st.OldestQueued.IsZero() {
		age = max(0, now.Sub(st.OldestQueued).Seconds())
	}
	ch <- prometheus.MustNewConstMetric(descOldest, prometheus.GaugeValue, age)
	ch <- prometheus.MustNewConstMetric(descDue, prometheus.GaugeValue, float64(st.RemindersDue))
}
