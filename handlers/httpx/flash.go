package httpx

import (
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/session"
)

// After an action the browser is sent on to a page (303), and that page says
// what happened: which case or meeting, and to whom it went. The text is kept
// in the session as a flash for the page it was meant for, and shown there
// once, as the page's role="status" notice; a reload shows it no more.
const (
	FlashKey     = "flash"      // the notice
	FlashPathKey = "flash_path" // the path of the page it is for
	SessionKey   = "session"    // c.Locals: the session the pages' middleware found
)

// TakeFlash returns the notice left for this page and forgets it; a notice
// left for another page is forgotten unshown. It reads the session
// the pages' session middleware found, and writes it only when there was a notice.
func TakeFlash(c *fiber.Ctx) string {
	sess, ok := c.Locals(SessionKey).(*session.Session)
	if !ok || sess == nil {
		return ""
	}
	notice, _ := sess.Get(FlashKey).(string)
	path, _ := sess.Get(FlashPathKey).(string)
	if notice == "" && path == "" {
		return ""
	}
	c.Locals(SessionKey, nil) // Save releases the session
	sess.Delete(FlashKey)
	sess.Delete(FlashPathKey)
	if err := sess.Save(); err != nil {
		return ""
	}
	if path != c.Path() {
		return ""
	}
	return notice
}

// NoticeOr is the notice left for this page, or else fallback (the fixed
// text a ?done= asks for).
func NoticeOr(c *fiber.Ctx, fallback string) string {
	if n := TakeFlash(c); n != "" {
		return n
	}
	return fallback
}
