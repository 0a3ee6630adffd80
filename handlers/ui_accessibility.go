package handlers

import "github.com/gofiber/fiber/v2"

// showAccessibilityPage is GET /tillganglighet, the accessibility statement
// the law asks of a public digital service; open without login.
func (w *web) showAccessibilityPage(c *fiber.Ctx) error {
	return w.render(c, fiber.StatusOK, "accessibility", &view{Title: "Tillgänglighetsredogörelse"})
}
