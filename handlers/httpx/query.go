package httpx

import (
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/workflow"
)

// QueryInt reads the positive integer query parameter name, def when it is
// absent; a bad value is noted in p and gives def.
func QueryInt(c *fiber.Ctx, name string, def int, p *workflow.Problems) int {
	v := c.Query(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		label := name
		if l, ok := queryLabels[name]; ok {
			label = l + " (" + name + ")"
		}
		p.Add(name, "%s ska vara ett positivt heltal, t.ex. 2", label)
		return def
	}
	return n
}

// queryLabels name the paging parameters in Swedish for the messages a
// person reads, beside the parameter's own name an API client knows.
var queryLabels = map[string]string{"page": "Sidnumret", "per_page": "Antalet per sida"}
