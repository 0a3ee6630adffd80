package httpx

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
)

// memberProblem finds the first object member of body that repeats a name
// of its object (want "": duplicateKey), or, with t the type DecodeJSON
// decodes into, that names a field of t only when upper and lower case are
// ignored ({"ACTION": …} for the field "action"; want: the field's name).
// encoding/json matches names that way and keeps the last of
// {"action":"withdraw","ACTION":"submit"}, while every other reader of the
// same body (a proxy's rule, an audit log, a client library) sees "action"
// as withdraw. It returns the member's path, or "" when there is none.
// Members of maps, of values with their own UnmarshalJSON and of unknown
// fields are not matched against fields. The body is valid JSON when this
// is called.
func memberProblem(body []byte, t reflect.Type) (path, want string) {
	dec := json.NewDecoder(bytes.NewReader(body))
	var walk func(t reflect.Type, at string) (string, string)
	walk = func(t reflect.Type, at string) (string, string) {
		tok, err := dec.Token()
		if err != nil {
			return "", ""
		}
		t = plain(t)
		switch tok {
		case json.Delim('{'):
			var fields map[string]reflect.Type
			var elem reflect.Type
			switch {
			case t != nil && t.Kind() == reflect.Struct:
				fields = map[string]reflect.Type{}
				jsonFields(t, fields)
			case t != nil && t.Kind() == reflect.Map:
				elem = t.Elem()
			}
			seen := map[string]bool{}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return "", ""
				}
				k, _ := kt.(string)
				name := k
				if at != "" {
					name = at + "." + k
				}
				if seen[k] {
					return name, ""
				}
				seen[k] = true
				next := elem
				if fields != nil {
					ft, exact := fields[k]
					if !exact {
						for f := range fields {
							if strings.EqualFold(f, k) {
								return name, f
							}
						}
					}
					next = ft
				}
				if p, w := walk(next, name); p != "" {
					return p, w
				}
			}
			dec.Token() // the closing brace
		case json.Delim('['):
			var elem reflect.Type
			if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
				elem = t.Elem()
			}
			for i := 0; dec.More(); i++ {
				if p, w := walk(elem, fmt.Sprintf("%s[%d]", at, i)); p != "" {
					return p, w
				}
			}
			dec.Token()
		}
		return "", ""
	}
	return walk(t, "")
}

// plain is t without pointers, or nil for a type that decodes itself (its
// names are its own business) or for any.
func plain(t reflect.Type) reflect.Type {
	for t != nil {
		if t.Implements(unmarshalerType) || reflect.PointerTo(t).Implements(unmarshalerType) {
			return nil
		}
		if t.Kind() != reflect.Pointer {
			return t
		}
		t = t.Elem()
	}
	return nil
}

var unmarshalerType = reflect.TypeFor[json.Unmarshaler]()

// jsonFields adds the fields encoding/json decodes into a value of the
// struct type t to fields, by their JSON names: the tag's name, else the Go
// name; the fields of an embedded struct without a tag as its own.
func jsonFields(t reflect.Type, fields map[string]reflect.Type) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			if ft := f.Type; ft.Kind() == reflect.Struct || ft.Kind() == reflect.Pointer && ft.Elem().Kind() == reflect.Struct {
				jsonFields(plainStruct(ft), fields)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if _, ok := fields[name]; !ok {
			fields[name] = f.Type
		}
	}
}

func plainStruct(t reflect.Type) reflect.Type {
	if t.Kind() == reflect.Pointer {
		return t.Elem()
	}
	return t
}
