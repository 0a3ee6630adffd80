package notify

import (
	"crypto/tls"
	"fmt"
	"net"
	"net/smtp"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/go-mail/mail"
	"github.com/kommun/beslutsgang/db"
)

// SMTP is where mail is delivered, read from BESLUTSGANG_SMTP_URL:
//
//	smtp://user:pass@host:587?starttls=mandatory
//	smtps://user:pass@host:465
//	smtp://127.0.0.1:1025?starttls=none
//
// Query parameters: starttls (mandatory, opportunistic or none; default
// mandatory when a user is given, else opportunistic), timeout (a Go duration,
// default 10s) and helo (the name sent in EHLO, default localhost).
type SMTP struct {
	Host      string
	Port      int
	User      string
	Password  string
	SSL       bool // smtps: TLS from the first byte
	StartTLS  gomail.StartTLSPolicy
	Timeout   time.Duration
	LocalName string
}

// ParseSMTPURL reads an SMTP URL and says in Swedish what is wrong with a bad one.
func ParseSMTPURL(raw string) (SMTP, error) {
	bad := func(format string, args ...any) (SMTP, error) {
		return SMTP{}, fmt.Errorf("SMTP-adressen: "+format, args...)
	}
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return bad("%q kan inte läsas (%v); skriv t.ex. smtp://user:pass@host:587?starttls=mandatory", redact(raw), err)
	}
	s := SMTP{Host: u.Hostname(), Timeout: 10 * time.Second}
	switch u.Scheme {
	case "smtp":
		s.Port = 587
	case "smtps":
		s.Port, s.SSL = 465, true
	default:
		return bad("%q ska börja med smtp:// eller smtps://", redact(raw))
	}
	if s.Host == "" {
		return bad("värdnamnet saknas i %q", redact(raw))
	}
	if u.Path != "" && u.Path != "/" {
		return bad("%q ska inte ha någon sökväg efter värden", redact(raw))
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return bad("porten %q ska vara ett tal 1–65535", p)
		}
		s.Port = n
	}
	if u.User != nil {
		s.User = u.User.Username()
		s.Password, _ = u.User.Password()
		if s.User == "" || s.Password == "" {
			return bad("ange både användarnamn och lösenord, eller inget av dem")
		}
	}
	s.StartTLS = gomail.OpportunisticStartTLS
	if s.User != "" {
		s.StartTLS = gomail.MandatoryStartTLS
	}
	for key, vals := range u.Query() {
		v := vals[len(vals)-1]
		switch key {
		case "starttls":
			switch v {
			case "mandatory":
				s.StartTLS = gomail.MandatoryStartTLS
			case "opportunistic":
				s.StartTLS = gomail.OpportunisticStartTLS
			case "none":
				s.StartTLS = gomail.NoStartTLS
			default:
				return bad("starttls=%q: välj mandatory, opportunistic eller none", v)
			}
		case "timeout":
			d, err := time.ParseDuration(v)
			if err != nil || d < time.Second || d > 5*time.Minute {
				return bad("timeout=%q: ange en tid mellan 1s och 5m, t.ex. 10s", v)
			}
			s.Timeout = d
		case "helo":
			if v == "" || strings.ContainsAny(v, " \r\n") {
				return bad("helo=%q ska vara ett värdnamn", v)
			}
			s.LocalName = v
		default:
			return bad("okänd parameter %q; tillåtna är starttls, timeout och helo", key)
		}
	}
	if s.User != "" && !s.SSL && s.StartTLS != gomail.MandatoryStartTLS && !isLoopback(s.Host) {
		return bad("lösenordet skulle skickas okrypterat; använd starttls=mandatory eller smtps://")
	}
	return s, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// redact hides a password in a URL shown in an error.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// String describes the server without the password, for logs.
func (s SMTP) String() string {
	scheme := "smtp"
	if s.SSL {
		scheme = "smtps"
	}
	user := ""
	if s.User != "" {
		user = s.User + "@"
	}
	return fmt.Sprintf("%s://%s%s", scheme, user, net.JoinHostPort(s.Host, strconv.Itoa(s.Port)))
}

// dialer builds the go-mail dialer. Timeout and Auth are set here, once:
// Dial would otherwise write Auth itself, which races between goroutines.
func (s SMTP) dialer() *gomail.Dialer {
	d := &gomail.Dialer{Host: s.Host, Port: s.Port, SSL: s.SSL, StartTLSPolicy: s.StartTLS, Timeout: s.Timeout,
		LocalName: s.LocalName, TLSConfig: &tls.Config{ServerName: s.Host, MinVersion: tls.VersionTLS12}}
	if s.User != "" {
		d.Username, d.Password = s.User, s.Password
		d.Auth = smtp.PlainAuth("", s.User, s.Password, s.Host)
	}
	return d
}

// smtpTransport sends over one SMTP connection, opened on first use and kept
// for the messages that follow. After any error the connection is closed and
// the next message dials afresh: SMTP has no reliable reset after a failed
// transaction, and the server may have hung up.
type smtpTransport struct {
	server SMTP
	dialer *gomail.Dialer
	conn   gomail.SendCloser
}

func newSMTPTransport(s SMTP) *smtpTransport {
	return &smtpTransport{server: s, dialer: s.dialer()}
}

func (t *smtpTransport) send(_ *db.OutboxMail, from string, rcpt []string, msg *gomail.Message) error {
	if t.conn == nil {
		c, err := t.dialer.Dial()
		if err != nil {
			return connError{fmt.Errorf("anslut till %s: %w", t.server, err)}
		}
		t.conn = c
	}
	if err := t.conn.Send(from, rcpt, msg); err != nil {
		t.Close()
		return err
	}
	return nil
}

// Close ends the connection politely; a connection that already failed is
// just dropped.
func (t *smtpTransport) Close() error {
	if t.conn == nil {
		return nil
	}
	err := t.conn.Close()
	t.conn = nil
	return err
}

// connError is a failure to reach the server at all: no message was tried, so
// the drain stops and the rest wait for the next one.
type connError struct{ error }

func (e connError) Unwrap() error { return e.error }
