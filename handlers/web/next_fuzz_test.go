package web

import (
	"net/url"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// browserHost is the host a browser on base goes to when a redirect names
// ref, read as the WHATWG URL standard does: leading and trailing C0 controls
// and spaces trimmed, every tab, CR and LF removed, and a backslash taken as a
// slash (the path is then an "http(s)" special URL's).
func browserHost(t *testing.T, base *url.URL, ref string) string {
	t.Helper()
	ref = strings.TrimFunc(ref, func(r rune) bool { return r <= 0x20 })
	ref = strings.NewReplacer("\t", "", "\r", "", "\n", "", "\\", "/").Replace(ref)
	u, err := url.Parse(ref)
	if err != nil {
		t.Fatalf("the browser's reading of %q does not parse: %v", ref, err)
	}
	return base.ResolveReference(u).Host
}

func checkLocalPath(t *testing.T, in string) {
	out := localPath(in)
	if out == "/" {
		return
	}
	if out != in {
		t.Fatalf("localPath(%q) = %q: a kept path must be kept as it is", in, out)
	}
	if !strings.HasPrefix(out, "/") || strings.HasPrefix(out, "//") || strings.HasPrefix(out, "/\\") {
		t.Fatalf("localPath(%q) = %q: not a path from the root", in, out)
	}
	if !utf8.ValidString(out) {
		t.Fatalf("localPath(%q) = %q: not UTF-8", in, out)
	}
	for _, r := range out {
		if unicode.IsControl(r) || unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) || r == '\\' {
			t.Fatalf("localPath(%q) = %q: holds %U", in, out, r)
		}
	}
	u, err := url.Parse(out)
	if err != nil {
		t.Fatalf("localPath(%q) = %q: net/url: %v", in, out, err)
	}
	if u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		t.Fatalf("localPath(%q) = %q: parses as scheme %q, host %q", in, out, u.Scheme, u.Host)
	}
	base, _ := url.Parse("https://beslut.kommun.example/cases")
	if h := browserHost(t, base, out); h != base.Host {
		t.Fatalf("localPath(%q) = %q: a browser goes to %q", in, out, h)
	}
	if again := localPath(out); again != out {
		t.Fatalf("localPath(%q) = %q, but localPath of that is %q", in, out, again)
	}
}

// FuzzLocalPath: whatever comes in, out comes "/" or a plain path on this
// site, for net/url and for a browser.
func FuzzLocalPath(f *testing.F) {
	for _, s := range []string{"/", "", "/cases?stage=board", "/cases/MÖN-2026-1#bevakningar", "/\t/evil.example",
		"//evil.example", "/\\evil.example", "\t", "\r\n", "/\u00a0/x", "https://x", "javascript:alert(1)",
		"/%09/x", "/x\\y", "/x?y=//z", "/\xff", "/%zz", "/a:b", "/\u2028/x", " //x", "/.//x", "/..//x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) { checkLocalPath(t, in) })
}

func TestLocalPathStrict(t *testing.T) {
	for in, want := range map[string]string{
		"/": "/", "/cases?stage=board": "/cases?stage=board", "/cases/MÖN-2026-1": "/cases/MÖN-2026-1",
		"/cases/ASN-2026-1#bevakningar": "/cases/ASN-2026-1#bevakningar",
		"/\t/evil.example":              "/", "//x": "/", "/\\x": "/", "\t": "/", "\r\n": "/", "/\u00a0/x": "/",
		"https://x": "/", "javascript:alert(1)": "/", "/x\\y": "/", "/x y": "/", "/\xff": "/", "/%zz": "/",
	} {
		if got := localPath(in); got != want {
			t.Errorf("localPath(%q) = %q, want %q", in, got, want)
		}
		checkLocalPath(t, in)
	}
}
