// Package templates holds the embedded page and e-mail templates.
package templates

import "embed"

// Mail holds the e-mail templates, mail/KIND.txt (the "subject" and "text"
// templates) and mail/KIND.html (the "body" of mail/layout.html), one pair per
// notification kind plus reminder and digest. notify parses and checks them
// when the service starts.
//
//go:embed mail
var Mail embed.FS
