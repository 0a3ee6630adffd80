package notify

import (
	"strings"
	"testing"
	"time"

	gomail "github.com/go-mail/mail"
)

func TestParseSMTPURL(t *testing.T) {
	good := []struct {
		raw  string
		want SMTP
	}{
		{"smtp://user:p%40ss@mail.kommun.se:587?starttls=mandatory",
			SMTP{Host: "mail.kommun.se", Port: 587, User: "user", Password: "p@ss", StartTLS: gomail.MandatoryStartTLS, Timeout: 10 * time.Second}},
		{"smtp://user:pass@mail.kommun.se",
			SMTP{Host: "mail.kommun.se", Port: 587, User: "user", Password: "pass", StartTLS: gomail.MandatoryStartTLS, Timeout: 10 * time.Second}},
		{"smtps://user:pass@mail.kommun.se",
			SMTP{Host: "mail.kommun.se", Port: 465, User: "user", Password: "pass", SSL: true, StartTLS: gomail.MandatoryStartTLS, Timeout: 10 * time.Second}},
		{"smtp://relay.kommun.se:25?timeout=30s&helo=beslut.kommun.se",
			SMTP{Host: "relay.kommun.se", Port: 25, StartTLS: gomail.OpportunisticStartTLS, Timeout: 30 * time.Second, LocalName: "beslut.kommun.se"}},
		{"smtp://127.0.0.1:1025?starttls=none",
			SMTP{Host: "127.0.0.1", Port: 1025, StartTLS: gomail.NoStartTLS, Timeout: 10 * time.Second}},
		{"smtp://u:p@localhost:1025?starttls=none",
			SMTP{Host: "localhost", Port: 1025, User: "u", Password: "p", StartTLS: gomail.NoStartTLS, Timeout: 10 * time.Second}},
	}
	for _, tt := range good {
		got, err := ParseSMTPURL(tt.raw)
		if err != nil || got != tt.want {
			t.Errorf("ParseSMTPURL(%q) = %+v, %v; want %+v", tt.raw, got, err, tt.want)
		}
	}
	bad := []struct{ raw, says string }{
		{"", "smtp://"},
		{"mail.kommun.se:587", "smtp://"},
		{"http://mail.kommun.se", "smtp://"},
		{"smtp://", "värdnamnet"},
		{"smtp://mail.kommun.se:0", "porten"},
		{"smtp://mail.kommun.se:70000", "porten"},
		{"smtp://mail.kommun.se/x", "sökväg"},
		{"smtp://user@mail.kommun.se", "både användarnamn och lösenord"},
		{"smtp://mail.kommun.se?starttls=maybe", "starttls"},
		{"smtp://mail.kommun.se?timeout=forever", "timeout"},
		{"smtp://mail.kommun.se?timeout=1ms", "timeout"},
		{"smtp://mail.kommun.se?tls=on", "okänd parameter"},
		{"smtp://user:hemligt@mail.kommun.se?starttls=none", "okrypterat"},
		{"smtp://user:hemligt@mail.kommun.se?starttls=opportunistic", "okrypterat"},
	}
	for _, tt := range bad {
		_, err := ParseSMTPURL(tt.raw)
		if err == nil || !strings.Contains(err.Error(), tt.says) {
			t.Errorf("ParseSMTPURL(%q) = %v, want an error saying %q", tt.raw, err, tt.says)
			continue
		}
		if strings.Contains(err.Error(), "hemligt") {
			t.Errorf("the error shows the password: %v", err)
		}
	}
}

func TestDialerHasTimeoutAndAuthSet(t *testing.T) {
	s, err := ParseSMTPURL("smtp://user:pass@mail.kommun.se:587")
	if err != nil {
		t.Fatal(err)
	}
	d := s.dialer()
	if d.Timeout != 10*time.Second || d.Auth == nil || d.StartTLSPolicy != gomail.MandatoryStartTLS {
		t.Errorf("dialer %+v: want a timeout, Auth set and STARTTLS mandatory", d)
	}
	s, _ = ParseSMTPURL("smtp://relay.kommun.se:25")
	if d := s.dialer(); d.Auth != nil || d.Timeout == 0 {
		t.Errorf("dialer without a user %+v: want no Auth and a timeout", d)
	}
}

func TestMessageIDIsStable(t *testing.T) {
	a, b := MessageID("ASN-2026-1/2/submitted/jonas@kommun.example", "kommun.example"), MessageID("ASN-2026-1/2/submitted/jonas@kommun.example", "kommun.example")
	c := MessageID("ASN-2026-1/3/submitted/jonas@kommun.example", "kommun.example")
	if a != b || a == c || !strings.HasPrefix(a, "<") || !strings.HasSuffix(a, "@kommun.example>") || len(a) != 1+64+1+len("kommun.example")+1 {
		t.Errorf("MessageID = %q, %q, %q", a, b, c)
	}
}

func TestParseFrom(t *testing.T) {
	for _, ok := range []string{"beslut@kommun.se", "Beslutsgång <beslut@kommun.se>"} {
		if a, err := ParseFrom(ok); err != nil || a.Address != "beslut@kommun.se" || a.Name == "" {
			t.Errorf("ParseFrom(%q) = %v, %v", ok, a, err)
		}
	}
	for _, bad := range []string{"", "beslut", "Beslutsgång", "a@b@c"} {
		if _, err := ParseFrom(bad); err == nil || !strings.Contains(err.Error(), "BESLUTSGANG_MAIL_FROM") {
			t.Errorf("ParseFrom(%q) = %v, want refused", bad, err)
		}
	}
}
