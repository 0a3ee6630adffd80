package workflow

import (
	"slices"
	"strings"
)

// Administration is per board: an administrator of KS manages the people of
// KS, not those of ASN, since a role on ASN opens ASN's secret cases
// (Case.Involves). These rules say what an administrator may change.

// CheckGrantChange says why admin may not change a user's roles from current
// to next, or returns nil: every board whose roles change must be one the
// admin administers (EFORBIDDEN otherwise, naming the boards).
func CheckGrantChange(admin User, current, next []Grant) error {
	var foreign []string
	for _, g := range symmetricDifference(current, next) {
		if !admin.Has(g.Board, RoleAdmin) && !slices.Contains(foreign, g.Board) {
			foreign = append(foreign, g.Board)
		}
	}
	if len(foreign) > 0 {
		return Errorf(EFORBIDDEN, "Du är inte administratör för %s och kan inte ändra roller där", strings.Join(foreign, ", "))
	}
	return nil
}

// CheckAccountChange says why admin may not change the account (password,
// active) of a user holding grants, or returns nil: the admin must administer
// every board the user has a role on.
func CheckAccountChange(admin User, grants []Grant) error {
	var foreign []string
	for _, g := range grants {
		if !admin.Has(g.Board, RoleAdmin) && !slices.Contains(foreign, g.Board) {
			foreign = append(foreign, g.Board)
		}
	}
	if len(foreign) > 0 {
		return Errorf(EFORBIDDEN, "Användaren har roller i %s, där du inte är administratör; be en administratör där", strings.Join(foreign, ", "))
	}
	return nil
}

func symmetricDifference(a, b []Grant) []Grant {
	var out []Grant
	for _, g := range a {
		if !slices.Contains(b, g) {
			out = append(out, g)
		}
	}
	for _, g := range b {
		if !slices.Contains(a, g) {
			out = append(out, g)
		}
	}
	return out
}
