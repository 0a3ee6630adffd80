package httpx

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"testing/fstest"
)

// A page is drawn inside the layout where it says {{template "embed" .}},
// alone without a layout; a partial alone too, and each page escapes its
// values in its own context.
func TestPagesRender(t *testing.T) {
	fsys := fstest.MapFS{
		"layout.html":         {Data: []byte(`<main>{{template "embed" .}}</main>`)},
		"partials/link.html":  {Data: []byte(`<a href="/x?q={{.}}">{{.}}</a>`)},
		"case.html":           {Data: []byte(`<h1>{{.}}</h1>{{template "partials/link" .}}`)},
		"print.html":          {Data: []byte(`<p>{{up .}}</p>`)},
		"static/ignored.css":  {Data: []byte(`{{`)},
		"partials/notes.txt":  {Data: []byte(`{{`)},
		"partials/empty.html": {Data: []byte(``)},
	}
	v, err := NewPages(fsys, map[string]any{"up": strings.ToUpper})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, layout, want string
	}{
		{"case", "layout", `<main><h1>a&lt;b</h1><a href="/x?q=a%3cb">a&lt;b</a></main>`},
		{"case", "", `<h1>a&lt;b</h1><a href="/x?q=a%3cb">a&lt;b</a>`},
		{"print", "layout", `<main><p>A&lt;B</p></main>`},
		{"partials/link", "", `<a href="/x?q=a%3cb">a&lt;b</a>`},
	} {
		var out bytes.Buffer
		if err := v.Render(&out, c.name, "a<b", c.layout); err != nil || out.String() != c.want {
			t.Errorf("%s in %q: %q, %v; want %q", c.name, c.layout, out.String(), err, c.want)
		}
	}
	for _, c := range [][2]string{{"missing", ""}, {"case", "other"}, {"partials/link", "layout"}} {
		if err := v.Render(io.Discard, c[0], "x", c[1]); err == nil {
			t.Errorf("%s in %q: no error", c[0], c[1])
		}
	}
	if _, err := NewPages(fstest.MapFS{"case.html": {Data: []byte(`x`)}}, nil); err == nil {
		t.Error("no layout: no error")
	}
	if _, err := NewPages(fstest.MapFS{"layout.html": {Data: []byte(`x`)}, "case.html": {Data: []byte(`{{.`)}}, nil); err == nil || !strings.Contains(err.Error(), "case.html") {
		t.Errorf("a page that does not parse: %v", err)
	}
}

// BenchmarkRenderPage draws a page of 200 rows inside the layout from every
// core at once (b.RunParallel), as concurrent requests do.
func BenchmarkRenderPage(b *testing.B) {
	views := PageViews()
	type kept struct{ Label, Text string }
	page := struct {
		Detail string
		Status int
		Kept   []kept
	}{Detail: "Sidan finns inte", Status: 404}
	for i := range 200 {
		page.Kept = append(page.Kept, kept{Label: "Fält " + strings.Repeat("x", i%7), Text: "Text <med> tecken & annat"})
	}
	v := &View{Title: "Sidan finns inte", Page: page}
	b.RunParallel(func(pb *testing.PB) {
		var out bytes.Buffer
		for pb.Next() {
			out.Reset()
			if err := views.Render(&out, "error", v, "layout"); err != nil {
				b.Fatal(err)
			}
		}
	})
}
