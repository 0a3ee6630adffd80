package public

import (
	"encoding/xml"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"regexp"
	"strings"

	"github.com/gorilla/feeds"
)

// The Atom feed's ids are tag URIs (RFC 4151): tag:{authority},{date}:{path}.
// They must never change, so the authority comes from the configuration
// only, never from a request's Host header: the configured FeedAuthority,
// else the host name of the configured base URL when it is a domain name,
// else NoFeedAuthority. An IP address is no authority (RFC 4151 2.1: a DNS
// name or an e-mail address) and a default base URL holds one.

// NoFeedAuthority is the authority of the feed's tag URIs when neither
// --feed-authority nor a --base-url with a domain name is set. It is in the
// reserved top-level domain .invalid (RFC 2606), so no one mistakes it for
// the kommun's own; it stays the same across restarts and addresses.
const NoFeedAuthority = "beslutsgang.invalid"

// FeedTagDate is the date of the feed's own tag URI: 2018-01-01, the day the
// digital anslagstavla of Kommunallagen (2017:725) came into force. An
// entry's tag carries the day its notice went up instead.
const FeedTagDate = "2018-01-01"

// dnsName is a host name of letters, digits and hyphens in dot-separated
// labels (RFC 1035 2.3.1, as RFC 4151 2.1 asks), at least two labels.
var dnsName = regexp.MustCompile(`^(?i:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.(?i:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?))+$`)

// CheckFeedAuthority reports what is wrong, in Swedish, with an authority
// for the feed's tag URIs: it must be a domain name (kommun.se) or an
// e-mail address (anslagstavla@kommun.se), in ASCII (RFC 4151 2.1).
func CheckFeedAuthority(s string) error {
	if net.ParseIP(s) != nil {
		return fmt.Errorf("%q är en IP-adress; ange ett domännamn (t.ex. kommun.se) eller en e-postadress", s)
	}
	if dnsName.MatchString(s) && len(s) <= 253 {
		return nil
	}
	if a, err := mail.ParseAddress(s); err == nil && a.Address == s && a.Name == "" {
		if _, domain, _ := strings.Cut(s, "@"); dnsName.MatchString(domain) && isASCII(s) && !strings.ContainsAny(s, ",:") {
			return nil
		}
	}
	return fmt.Errorf("%q är varken ett domännamn (t.ex. kommun.se) eller en e-postadress med ASCII-tecken", s)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// FeedAuthority is the authority of the feed's tag URIs: configured, else
// the base URL's host name when it is a domain name (not an IP address),
// else NoFeedAuthority.
func FeedAuthority(configured, baseURL string) string {
	if configured != "" {
		return strings.ToLower(configured)
	}
	if u, err := url.Parse(baseURL); err == nil {
		if h := u.Hostname(); net.ParseIP(h) == nil && dnsName.MatchString(h) {
			return strings.ToLower(h)
		}
	}
	return NoFeedAuthority
}

// atomFeed is gorilla/feeds' Atom feed with room for more than one link:
// RFC 4287 4.2.7.2 asks for a rel="self" link beside the alternate one,
// and feeds.AtomFeed holds one.
type atomFeed struct {
	XMLName  xml.Name          `xml:"feed"`
	Xmlns    string            `xml:"xmlns,attr"`
	Title    string            `xml:"title"`
	ID       string            `xml:"id"`
	Updated  string            `xml:"updated"`
	Subtitle string            `xml:"subtitle,omitempty"`
	Links    []feeds.AtomLink  `xml:"link"`
	Author   *feeds.AtomAuthor `xml:"author,omitempty"`
	Entries  []*feeds.AtomEntry
}

// FeedXml makes atomFeed a feeds.XmlFeed, for feeds.ToXML.
func (f *atomFeed) FeedXml() any { return f }

// withSelf is f as Atom with its id and a rel="self" link to self.
func withSelf(f *feeds.Feed, id, self string) *atomFeed {
	a := (&feeds.Atom{Feed: f}).AtomFeed()
	return &atomFeed{Xmlns: a.Xmlns, Title: a.Title, ID: id, Updated: a.Updated, Subtitle: a.Subtitle,
		Links: []feeds.AtomLink{{Href: a.Link.Href, Rel: "alternate", Type: "text/html"},
			{Href: self, Rel: "self", Type: "application/atom+xml"}},
		Author: a.Author, Entries: a.Entries}
}
