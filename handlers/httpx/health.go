package httpx

import "github.com/gofiber/fiber/v2"

// Healthz is /healthz: it says whether this instance answers and its database too, and
// whether it leads the scheduled work (schedule/leader.go).
func (s *Server) Healthz(c *fiber.Ctx) error {
	if err := s.Store.Ping(c.UserContext()); err != nil {
		return fiber.NewError(fiber.StatusServiceUnavailable, "Databasen svarar inte")
	}
	v, err := s.Store.SchemaVersion(c.UserContext())
	if err != nil {
		return err
	}
	leader := s.Config.Leader != nil && s.Config.Leader()
	return c.JSON(fiber.Map{"status": "ok", "schema_version": v, "engine": s.Store.Engine().String(), "leader": leader})
}

// Readyz is /readyz: it says whether this instance may take requests: its database answers
// and has this program's whole schema. The port opens only after Open has
// migrated, so while migrations run (on this instance or, on PostgreSQL,
// another one that holds the migration lock) a load balancer's check of
// /Readyz fails; an instance of an older program on a newer schema is ready.
func (s *Server) Readyz(c *fiber.Ctx) error {
	if err := s.Store.Ping(c.UserContext()); err != nil {
		return fiber.NewError(fiber.StatusServiceUnavailable, "Databasen svarar inte")
	}
	ok, err := s.Store.Migrated(c.UserContext())
	if err != nil {
		return err
	}
	if !ok {
		return fiber.NewError(fiber.StatusServiceUnavailable, "Databasens schema är inte uppdaterat")
	}
	return c.JSON(fiber.Map{"status": "ready"})
}
