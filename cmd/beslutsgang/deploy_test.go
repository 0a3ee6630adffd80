package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"regexp"
	"sort"
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"
)

// The Prometheus rules in deploy/ are valid and fire as their unit tests
// (deploy/alerts_test.yml) say: promtool, Debian package prometheus.
func TestDeployRules(t *testing.T) {
	if _, err := exec.LookPath("promtool"); err != nil {
		t.Fatal("promtool is missing: apt-get install prometheus")
	}
	for _, args := range [][]string{{"check", "rules", "alerts.yml"}, {"test", "rules", "alerts_test.yml"}} {
		cmd := exec.Command("promtool", args...)
		cmd.Dir = "../../deploy"
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("promtool %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}

var metricName = regexp.MustCompile(`\b(?:beslutsgang|go_sql)_[a-z_]+\b`)

// deployMetrics are the metric names the dashboard's queries and the alert
// rules use, each with the file that names it.
func deployMetrics(t *testing.T) map[string]string {
	t.Helper()
	names := map[string]string{}
	rules, err := os.ReadFile("../../deploy/alerts.yml")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(rules), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "#") || strings.Contains(line, "alert:") {
			continue
		}
		for _, n := range metricName.FindAllString(line, -1) {
			names[n] = "alerts.yml"
		}
	}
	b, err := os.ReadFile("../../deploy/grafana-dashboard.json")
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		Panels []struct {
			Title   string
			Targets []struct{ Expr string }
		}
		Templating struct{ List []struct{ Query any } }
	}
	if err := json.Unmarshal(b, &dash); err != nil {
		t.Fatalf("grafana-dashboard.json: %v", err)
	}
	queries := 0
	for _, p := range dash.Panels {
		for _, q := range p.Targets {
			queries++
			for _, n := range metricName.FindAllString(q.Expr, -1) {
				names[n] = "grafana-dashboard.json: " + p.Title
			}
		}
	}
	for _, v := range dash.Templating.List {
		if q, ok := v.Query.(string); ok {
			for _, n := range metricName.FindAllString(q, -1) {
				names[n] = "grafana-dashboard.json: variable"
			}
		}
	}
	if queries < 10 || len(names) < 10 {
		t.Fatalf("the dashboard has %d queries naming %d metrics", queries, len(names))
	}
	return names
}

// checkDeployMetrics says which metric the dashboard or the rules name that
// a real scrape (families) does not have; a histogram's series are its
// _bucket, _sum and _count.
func checkDeployMetrics(t *testing.T, families map[string]*dto.MetricFamily) {
	t.Helper()
	names := deployMetrics(t)
	var missing []string
	for n, where := range names {
		if families[n] != nil {
			continue
		}
		found := false
		for _, suffix := range []string{"_bucket", "_sum", "_count"} {
			if f := families[strings.TrimSuffix(n, suffix)]; strings.HasSuffix(n, suffix) && f != nil &&
				(f.GetType() == dto.MetricType_HISTOGRAM || f.GetType() == dto.MetricType_SUMMARY) {
				found = true
			}
		}
		if !found {
			missing = append(missing, n+" ("+where+")")
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("deploy/ names a metric the service does not export: %s", m)
	}
}
