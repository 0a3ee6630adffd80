package web

import (
	"slices"

	"github.com/gofiber/fiber/v2"
)

// guarded is a router that puts its handlers (a login check, an admin
// check) in front of each route it registers, instead of in front of every
// address under its prefix as a group's middleware would. So only an
// address a route matches asks for a login; any other address goes on to
// the pages' 404 (notFoundPage), for a visitor without a login as well.
// Every way to register a route goes through add; Use, Static, Mount and
// Route would register middleware or sub-apps, which a guarded router does
// not have, and panic.
type guarded struct {
	fiber.Router
	pre []fiber.Handler
}

// guard is r with pre in front of each route registered on it.
func guard(r fiber.Router, pre ...fiber.Handler) guarded { return guarded{Router: r, pre: pre} }

func (g guarded) add(method, path string, h []fiber.Handler) fiber.Router {
	g.Router.Add(method, path, append(slices.Clone(g.pre), h...)...)
	return g
}

func (g guarded) Get(path string, h ...fiber.Handler) fiber.Router {
	// As fiber's own Get: HEAD answers too.
	g.add(fiber.MethodHead, path, h)
	return g.add(fiber.MethodGet, path, h)
}
func (g guarded) Head(path string, h ...fiber.Handler) fiber.Router {
	return g.add(fiber.MethodHead, path, h)
}
func (g guarded) Post(path string, h ...fiber.Handler) fiber.Router {
	return g.add(fiber.MethodPost, path, h)
}
func (g guarded) Put(path string, h ...fiber.Handler) fiber.Router {
	return g.add(fiber.MethodPut, path, h)
}
func (g guarded) Delete(path string, h ...fiber.Handler) fiber.Router {
	return g.add(fiber.MethodDelete, path, h)
}
func (g guarded) Patch(path string, h ...fiber.Handler) fiber.Router {
	return g.add(fiber.MethodPatch, path, h)
}
func (g guarded) Connect(path string, h ...fiber.Handler) fiber.Router {
	return g.add(fiber.MethodConnect, path, h)
}
func (g guarded) Options(path string, h ...fiber.Handler) fiber.Router {
	return g.add(fiber.MethodOptions, path, h)
}
func (g guarded) Trace(path string, h ...fiber.Handler) fiber.Router {
	return g.add(fiber.MethodTrace, path, h)
}
func (g guarded) Add(method, path string, h ...fiber.Handler) fiber.Router {
	return g.add(method, path, h)
}
func (g guarded) All(path string, h ...fiber.Handler) fiber.Router {
	for _, m := range fiber.DefaultMethods {
		g.add(m, path, h)
	}
	return g
}

// Group is a guarded group under prefix whose routes have g's handlers,
// then h, in front of them.
func (g guarded) Group(prefix string, h ...fiber.Handler) fiber.Router {
	return guarded{Router: g.Router.Group(prefix), pre: append(slices.Clone(g.pre), h...)}
}

func (g guarded) Use(...any) fiber.Router {
	panic("web: a guarded router has no middleware of its own; put the handler in front of the routes")
}
func (g guarded) Static(string, string, ...fiber.Static) fiber.Router {
	panic("web: a guarded router serves no files")
}
func (g guarded) Mount(string, *fiber.App) fiber.Router {
	panic("web: a guarded router mounts no app")
}
func (g guarded) Route(string, func(fiber.Router), ...string) fiber.Router {
	panic("web: a guarded router has no Route; use Group")
}
