package handlers_test

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/demo"
)

// uploadFile posts one file as multipart/form-data in the field "field".
func uploadFile(s *server, email, number, field, filename string, data []byte) response {
	s.T.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	part, err := w.CreateFormFile(field, filename)
	if err != nil {
		s.T.Fatal(err)
	}
	part.Write(data)
	w.Close()
	req, err := http.NewRequest("POST", s.Base+"/api/v1/cases/"+number+"/attachments", &body)
	if err != nil {
		s.T.Fatal(err)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+s.Token(email))
	return s.Do(req)
}

// announceBody sends only the headers of an upload far over the body limit,
// as a client does before it streams the file: the server answers from the
// Content-Length alone, without reading the body.
func announceBody(s *server, email, number string, size int) response {
	s.T.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(s.Base, "http://"))
	if err != nil {
		s.T.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /api/v1/cases/%s/attachments HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n"+
		"Content-Type: multipart/form-data; boundary=x\r\nContent-Length: %d\r\n\r\n", number, conn.RemoteAddr(), s.Token(email), size)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		s.T.Fatalf("announced upload of %d bytes: %v", size, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return response{Status: resp.StatusCode, Header: resp.Header, Body: data}
}

func TestAttachmentUploadAndDownload(t *testing.T) {
	s := startServer(t)
	c := apiCreate(s, newCase())
	pdf := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("Redovisning av internationellt arbete 2026\n"), 100)...)
	r := uploadFile(s, officer, c.Number, "file", `C:\Users\sara\Redovisning 2026.pdf`, pdf)
	if r.Status != http.StatusCreated {
		t.Fatalf("upload: %d %s", r.Status, r.Body)
	}
	var att attachmentJSON
	r.Decode(t, &att)
	sum := sha256.Sum256(pdf)
	if att.Name != "Redovisning 2026.pdf" || att.SHA256 != hex.EncodeToString(sum[:]) || att.Size != int64(len(pdf)) ||
		!att.HasContent || att.ContentType != "application/pdf" {
		t.Errorf("uploaded = %+v", att)
	}
	loc := r.Header.Get("Location")
	if loc != "/api/v1/cases/"+c.Number+"/attachments/"+strconv.FormatInt(att.ID, 10) {
		t.Errorf("Location %q", loc)
	}
	got := s.As(jonas, "GET", loc, nil)
	if got.Status != http.StatusOK || !bytes.Equal(got.Body, pdf) {
		t.Fatalf("download: %d, %d bytes, want the %d uploaded", got.Status, len(got.Body), len(pdf))
	}
	disposition, params, err := mime.ParseMediaType(got.Header.Get("Content-Disposition"))
	if err != nil || disposition != "attachment" || params["filename"] != "Redovisning 2026.pdf" {
		t.Errorf("Content-Disposition %q", got.Header.Get("Content-Disposition"))
	}
	if got.Header.Get("Content-Type") != "application/pdf" || got.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("Content-Type %q, X-Content-Type-Options %q", got.Header.Get("Content-Type"), got.Header.Get("X-Content-Type-Options"))
	}
	if d := got.Header.Get("Digest"); d != "sha-256="+base64.StdEncoding.EncodeToString(sum[:]) {
		t.Errorf("Digest %q", d)
	}
	// The case lists it and its history records it.
	if cs := s.GetCase(officer, c.Number); len(cs.Attachments) != 1 || cs.Attachments[0].SHA256 != att.SHA256 || cs.Version != c.Version+1 {
		t.Errorf("case after upload: %+v v%d", cs.Attachments, cs.Version)
	}
	// An HTML file is still a download, never a page of this origin.
	r = uploadFile(s, officer, c.Number, "file", "../../etc/sida.html", []byte("<html><script>alert(1)</script></html>"))
	r.Decode(t, &att)
	if r.Status != http.StatusCreated || att.Name != "sida.html" {
		t.Fatalf("html upload: %d %s", r.Status, r.Body)
	}
	got = s.As(officer, "GET", r.Header.Get("Location"), nil)
	if !strings.HasPrefix(got.Header.Get("Content-Disposition"), "attachment") || got.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("html served with %q", got.Header.Get("Content-Disposition"))
	}
	// An empty file is accepted as one.
	r = uploadFile(s, officer, c.Number, "file", "tom.txt", nil)
	r.Decode(t, &att)
	if r.Status != http.StatusCreated || att.Size != 0 || !att.HasContent {
		t.Errorf("empty file: %d %s", r.Status, r.Body)
	}
}

func TestAttachmentRefusals(t *testing.T) {
	s := startServer(t)
	c := apiCreate(s, newCase())
	for _, who := range []string{officer, jonas, secretary} {
		s.Token(who)
	}
	before := s.Fingerprint(c.Number)
	p := wantProblem(t, uploadFile(s, officer, c.Number, "file", "stor.pdf", make([]byte, maxUpload+1)), http.StatusRequestEntityTooLarge)
	if want := "Filen stor.pdf är 65 kB; största tillåtna är 64 kB"; p["detail"] != want {
		t.Errorf("detail %q, want %q", p["detail"], want)
	}
	wantProblem(t, announceBody(s, officer, c.Number, maxUpload+2<<20), http.StatusRequestEntityTooLarge)
	wantProblem(t, uploadFile(s, officer, c.Number, "document", "fel-fält.pdf", []byte("x")), http.StatusUnprocessableEntity)
	wantProblem(t, uploadFile(s, jonas, c.Number, "file", "chefens.pdf", []byte("x")), http.StatusForbidden)
	wantProblem(t, uploadFile(s, officer, "ASN-2026-999", "file", "x.pdf", []byte("x")), http.StatusNotFound)
	wantProblem(t, uploadFile(s, officer, c.Number, "file", "..", []byte("x")), http.StatusUnprocessableEntity)
	// Downloads that cannot be: a listed document without its file, another
	// case's attachment, an id that is not a number.
	seed := s.GetCase(officer, demo.SeedNumber)
	wantProblem(t, s.As(officer, "GET", "/api/v1/cases/"+demo.SeedNumber+"/attachments/"+strconv.FormatInt(seed.Attachments[0].ID, 10), nil), http.StatusNotFound)
	wantProblem(t, s.As(officer, "GET", "/api/v1/cases/"+c.Number+"/attachments/"+strconv.FormatInt(seed.Attachments[0].ID, 10), nil), http.StatusNotFound)
	wantProblem(t, s.As(officer, "GET", "/api/v1/cases/"+c.Number+"/attachments/abc", nil), http.StatusNotFound)
	if after := s.Fingerprint(c.Number); after != before {
		t.Errorf("refused uploads changed the database:\n%s\n%s", before, after)
	}
}

// A form too large for the server, posted from a browser's page, gets a
// Swedish page (413), not the API's problem+json; the API still gets
// problem+json.
func TestTooLargeFormFromABrowserGetsAPage(t *testing.T) {
	s := startServer(t)
	post := func(path, accept string) response {
		conn, err := net.Dial("tcp", strings.TrimPrefix(s.Base, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: %s\r\nAccept: %s\r\n"+
			"Content-Type: multipart/form-data; boundary=x\r\nContent-Length: %d\r\n\r\n", path, conn.RemoteAddr(), accept, 30<<20)
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatalf("announced upload of 30 MB to %s: %v", path, err)
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		return response{Status: resp.StatusCode, Header: resp.Header, Body: data}
	}
	browserAccept := "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
	for _, path := range []string{"/cases/ASN-2019-17886/attachments", "/cases/new/document", "/anslagstavla/new"} {
		r := post(path, browserAccept)
		body := string(r.Body)
		if r.Status != http.StatusRequestEntityTooLarge || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") ||
			!strings.Contains(body, `lang="sv"`) || !strings.Contains(body, "För stor") || !strings.Contains(body, "En fil får vara högst 64 kB") {
			t.Errorf("%s from a browser: %d %s\n%s", path, r.Status, r.Header.Get("Content-Type"), body)
		}
	}
	wantProblem(t, post("/api/v1/cases/ASN-2019-17886/attachments", browserAccept), http.StatusRequestEntityTooLarge)
	wantProblem(t, post("/cases/ASN-2019-17886/attachments", "application/json"), http.StatusRequestEntityTooLarge)
}

// A page's text form (no file in it) too large for the server is told so
// about its text: the page speaks of no file the person did not send.
func TestTooLargeTextFormFromABrowserSaysText(t *testing.T) {
	s := startServer(t)
	conn, err := net.Dial("tcp", strings.TrimPrefix(s.Base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /anslagstavla/new HTTP/1.1\r\nHost: %s\r\nAccept: text/html\r\n"+
		"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n", conn.RemoteAddr(), 30<<20)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	body := string(data)
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(body, "För stor") ||
		strings.Contains(body, "En fil får") || !strings.Contains(body, "korta texten") {
		t.Errorf("a 30 MB text form: %d\n%s", resp.StatusCode, body)
	}
}
