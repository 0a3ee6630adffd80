package workflow

import (
	"fmt"
	"net/mail"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// Lengths of an address as SMTP carries it (RFC 5321 4.5.3.1): the path
// "<local@domain>" holds at most 256 octets, so the address 254.
const (
	maxLocalPart = 64
	maxDomain    = 253 // RFC 1035 2.3.4: 255 octets on the wire
	maxLabel     = 63
	maxAddress   = 254
)

// CheckEmail is the one check of an e-mail address that enters Beslutsgång (a
// user, a member of a body, a recipient of a decision, the sender): it accepts
// only addresses the service can send to, and returns the form to store.
//
// The address is a bare addr-spec (RFC 5322 3.4.1), without a display name or
// quotes. Its local part must be ASCII: one with å, ä or ö can only be sent
// with the SMTPUTF8 extension (RFC 6531), which the service does not use. Its
// domain may be ASCII or Unicode, but must be a valid internationalised
// domain name (IDNA2008, RFC 5890 and 5891, as mapped by UTS #46 for lookup)
// whose A-label form fits the lengths of RFC 5321 4.5.3.1.
//
// The normalised form keeps the local part as typed (it is case-sensitive,
// RFC 5321 2.4) and writes the domain in lower case as U-labels, so
// "Anna@ÅKERÖ.example" and "Anna@xn--ker-tla2g.example" are both stored as
// "Anna@åkerö.example". ASCIIEmail gives the form to send.
//
// A refused address is an EINVALID *Error whose message, in Swedish, says why.
func CheckEmail(s string) (string, error) {
	local, domain, _, err := splitEmail(s)
	if err != nil {
		return "", err
	}
	return local + "@" + domain, nil
}

// ASCIIEmail returns the address as it goes on the wire: the local part as is
// and the domain as A-labels (punycode, RFC 5890 2.3.2.1 and RFC 5891 4.4).
// Without SMTPUTF8 that is the only form allowed in the SMTP envelope, MAIL
// FROM and RCPT TO (RFC 5321 4.1.2), and in the addr-spec of a From, To or Cc
// header (RFC 5322 3.4.1), where RFC 2047 encoded-words are forbidden (RFC
// 2047 section 5). It refuses what CheckEmail refuses, with the same message.
func ASCIIEmail(s string) (string, error) {
	local, _, ascii, err := splitEmail(s)
	if err != nil {
		return "", err
	}
	return local + "@" + ascii, nil
}

// splitEmail checks s and returns its local part, its domain as U-labels and
// its domain as A-labels.
func splitEmail(s string) (local, domain, ascii string, err error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", "", "", Errorf(EINVALID, "Ange en e-postadress")
	}
	refuse := func(format string, args ...any) (string, string, string, error) {
		return "", "", "", Errorf(EINVALID, "E-postadressen %q kan inte ta emot e-post: %s", s, fmt.Sprintf(format, args...))
	}
	a, perr := mail.ParseAddress(s)
	if perr != nil || a.Name != "" || a.Address != s {
		return refuse("det är ingen giltig e-postadress; skriv den som namn@kommun.se")
	}
	at := strings.LastIndexByte(s, '@')
	local, domain = s[:at], s[at+1:]
	if !isASCII(local) {
		return refuse("delen före @ får inte ha å, ä, ö eller andra tecken utanför a–z, 0–9 och vanliga skiljetecken (sådana adresser kräver SMTPUTF8, som tjänsten inte använder)")
	}
	if len(local) > maxLocalPart {
		return refuse("delen före @ är längre än %d tecken", maxLocalPart)
	}
	ascii, ierr := idna.Lookup.ToASCII(domain)
	if ierr != nil || ascii == "" {
		return refuse("domänen %q är inget giltigt domännamn", domain)
	}
	for label := range strings.SplitSeq(ascii, ".") {
		if len(label) > maxLabel {
			return refuse("en del av domänen är längre än %d tecken", maxLabel)
		}
	}
	if len(ascii) > maxDomain {
		return refuse("domänen är längre än %d tecken", maxDomain)
	}
	if len(local)+1+len(ascii) > maxAddress {
		return refuse("adressen är längre än %d tecken", maxAddress)
	}
	u, ierr := idna.Lookup.ToUnicode(ascii)
	if ierr != nil {
		return refuse("domänen %q är inget giltigt domännamn", domain)
	}
	return local, u, ascii, nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
