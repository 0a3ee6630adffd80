package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// wcagTags are the axe-core rule tags of WCAG 2.1 levels A and AA, the level
// lag (2018:1937) om tillgänglighet till digital offentlig service asks for.
var wcagTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}

// axeSource reads axe-core from node_modules, where `npm ci` puts it.
func axeSource(t *testing.T) string {
	t.Helper()
	file := filepath.Join(repoRoot(t), "node_modules", "axe-core", "axe.min.js")
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("axe-core is missing (%v). Install it with `npm ci` in the repository root "+
			"(package.json declares it; the CI script .ci/run does so).", err)
	}
	return string(b)
}

type axeResult struct {
	Violations []struct {
		ID     string   `json:"id"`
		Impact string   `json:"impact"`
		Help   string   `json:"help"`
		Tags   []string `json:"tags"`
		Nodes  []struct {
			Target  []any  `json:"target"`
			Summary string `json:"failureSummary"`
		} `json:"nodes"`
	} `json:"violations"`
	Passes []struct {
		ID string `json:"id"`
	} `json:"passes"`
}

// checkAccessibility runs axe-core on the page shown now and fails the test
// for every violation of a WCAG 2.1 A or AA rule.
func (b *browser) checkAccessibility(axe, page string) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](axe)); err != nil {
		b.t.Fatalf("injecting axe-core on %s: %v", page, err)
	}
	tags, _ := json.Marshal(wcagTags)
	run := fmt.Sprintf(`axe.run(document, {runOnly: {type: "tag", values: %s}, resultTypes: ["violations"]})`, tags)
	res, err := chromedp.Run(ctx, chromedp.Evaluate[axeResult](run, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("running axe-core on %s: %v", page, err)
	}
	if len(res.Passes) == 0 {
		b.t.Errorf("axe-core checked no rule on %s: the check itself is broken", page)
	}
	for _, v := range res.Violations {
		var where []string
		for _, n := range v.Nodes {
			where = append(where, fmt.Sprintf("%v: %s", n.Target, n.Summary))
		}
		b.t.Errorf("WCAG violation on %s: %s (%s, %s)\n  %s", page, v.ID, v.Help, v.Impact, strings.Join(where, "\n  "))
	}
}
