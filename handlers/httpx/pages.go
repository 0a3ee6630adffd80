package httpx

import (
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path"
	"strings"
)

// Pages renders the web UI's templates (templates.Pages) for Fiber
// (fiber.Views): each page parsed once at start into a set of its own with
// the layout and the partials, so a render takes no lock and changes no
// template. gofiber/template's html engine held one mutex through every
// render with a layout, and bound the layout's {{embed}} anew each time: the
// service drew one page at a time, however many cores it had.
//
// A template is named by its path without ".html" (case, partials/input).
// The layout shows the page where it says {{template "embed" .}}.
type Pages struct {
	sets map[string]*template.Template // by page or partial name
}

// layoutName is the page every page is drawn inside.
const layoutName = "layout"

// NewPages parses the templates in fsys with funcs: the layout and the
// partials (partials/*.html) once, then each page into a clone of them.
// Errors: a template that does not parse, or the layout missing.
func NewPages(fsys fs.FS, funcs template.FuncMap) (*Pages, error) {
	base := template.New("").Funcs(funcs)
	var pages []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(p) != ".html" {
			return err
		}
		name := strings.TrimSuffix(p, ".html")
		if name != layoutName && !strings.HasPrefix(name, "partials/") {
			pages = append(pages, name)
			return nil
		}
		return parseInto(base, fsys, p, name)
	})
	if err != nil {
		return nil, err
	}
	if base.Lookup(layoutName) == nil {
		return nil, fmt.Errorf("%s.html saknas", layoutName)
	}
	v := &Pages{sets: map[string]*template.Template{}}
	for _, t := range base.Templates() {
		if t.Name() != "" {
			v.sets[t.Name()] = base // a partial drawn alone
		}
	}
	for _, name := range pages {
		set, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if err := parseInto(set, fsys, name+".html", name); err != nil {
			return nil, err
		}
		if _, err := set.New("embed").Parse(`{{template "` + name + `" .}}`); err != nil {
			return nil, err
		}
		v.sets[name] = set
	}
	return v, nil
}

func parseInto(set *template.Template, fsys fs.FS, file, name string) error {
	b, err := fs.ReadFile(fsys, file)
	if err != nil {
		return err
	}
	if _, err := set.New(name).Parse(string(b)); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	return nil
}

// Load is fiber.Views' Load: the templates were parsed by NewPages.
func (v *Pages) Load() error { return nil }

// Render draws the page or partial name with binding to out: inside the
// layout when layout names it (the only layout there is), else alone.
func (v *Pages) Render(out io.Writer, name string, binding any, layout ...string) error {
	set := v.sets[name]
	if set == nil {
		return fmt.Errorf("mallen %q finns inte", name)
	}
	if len(layout) > 0 && layout[0] != "" {
		if layout[0] != layoutName {
			return fmt.Errorf("layouten %q finns inte", layout[0])
		}
		if set.Lookup("embed") == nil {
			return fmt.Errorf("%q är en del av sidor, ingen sida", name)
		}
		return set.ExecuteTemplate(out, layoutName, binding)
	}
	return set.ExecuteTemplate(out, name, binding)
}
