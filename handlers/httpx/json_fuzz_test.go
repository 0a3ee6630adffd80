package httpx

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http/httptest"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/workflow"
)

// FuzzDecodeCaseInput sends any body with any Content-Type through the input
// check and the strict JSON decoding of a case, as POST /api/v1/cases does.
// Whatever comes in, the answer is the input or a 4xx whose message is
// Swedish (no Go type, no English decoder text), never a panic; and what is
// accepted holds only text a person could have typed.
func FuzzDecodeCaseInput(f *testing.F) {
	for _, seed := range []string{
		`{"board":"ASN","title":"Internationell redovisning 2019","summary":"x","proposals":["att godkänna"],"route":[{"body":"ASN-AU","date":"2027-01-14"}],"approvers":[{"email":"chef@kommun.example"}],"recipients":[{"name":"KS","email":"ks@kommun.example"}],"secret":true}`,
		`{"board":"ASN","title":17}`, `{"approvers":{"email":"x"}}`, `{"title":"\u202egnp.exe"}`, `{"title":"\udc00"}`,
		"{\"title\":\"\xff\"}", `{"board":"ASN",`, `[]`, `null`, `{"x":1}`, `{"title":"a"} {"title":"b"}`, ``,
	} {
		f.Add([]byte(seed), "application/json")
	}
	f.Add([]byte(`{"title":"x"}`), "")
	f.Add([]byte(`{"title":"x"}`), "text/plain")
	f.Add([]byte("hhhhh"), strings.Repeat("h", 5000)) // found by the fuzzer: headers past the server's buffer
	app := fiber.New(fiber.Config{ErrorHandler: func(c *fiber.Ctx, err error) error {
		p := ToProblem(err)
		return c.Status(p.Status).JSON(p)
	}})
	var got db.CaseInput
	app.Post("/", CheckInputText, func(c *fiber.Ctx) error {
		got = db.CaseInput{}
		if err := DecodeJSON(c, &got); err != nil {
			return err
		}
		return c.SendStatus(200)
	})
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		req := httptest.NewRequest("POST", "/", bytes.NewReader(body))
		// Headers past the server's read buffer are refused before any
		// handler (see TestOversizedHeaders); this test is about bodies.
		contentType = contentType[:min(len(contentType), 1024)]
		if contentType != "" && workflow.TextProblem(contentType) == "" && !strings.ContainsAny(contentType, "\r\n") {
			req.Header.Set("Content-Type", contentType)
		}
		resp, err := app.Test(req, -1)
		if err != nil {
			t.Fatalf("%q: %v", body, err)
		}
		msg, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		switch resp.StatusCode {
		case 200:
			walkStrings(reflect.ValueOf(got), func(s string) {
				if why := workflow.TextProblem(s); why != "" {
					t.Errorf("%q accepted holding %q, which %s", body, s, why)
				}
			})
		case 400, 415, 422:
			var p Problem
			if err := json.Unmarshal(msg, &p); err != nil {
				t.Fatalf("%q answered %d %q: %v", body, resp.StatusCode, msg, err)
			}
			text := p.Detail
			for _, f := range p.Errors {
				text += "\n" + f.Message
			}
			// What the input said comes back quoted; the rest is ours.
			ours := quoted.ReplaceAllString(text, `""`)
			for _, english := range []string{"json:", "invalid character", "unexpected", "db.", "workflow.", "[]", "string", "cannot unmarshal", "looking for", "EOF"} {
				if strings.Contains(ours, english) {
					t.Errorf("%q answered %d %q, which is not Swedish", body, resp.StatusCode, text)
				}
			}
		default:
			t.Errorf("%q answered %d %q", body, resp.StatusCode, msg)
		}
	})
}

var quoted = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)

// walkStrings calls fn on every string inside v.
func walkStrings(v reflect.Value, fn func(string)) {
	switch v.Kind() {
	case reflect.String:
		fn(v.String())
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			walkStrings(v.Index(i), fn)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			walkStrings(v.Field(i), fn)
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkStrings(v.Elem(), fn)
		}
	}
}
