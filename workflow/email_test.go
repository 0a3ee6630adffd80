package workflow

import (
	"strings"
	"testing"
)

func TestCheckEmail(t *testing.T) {
	long := strings.Repeat("a", 64)
	for _, tc := range []struct {
		in, want, ascii string // want "" means refused
		reason          string
	}{
		{in: "anna@kommun.example", want: "anna@kommun.example", ascii: "anna@kommun.example"},
		{in: "  anna@kommun.example \n", want: "anna@kommun.example", ascii: "anna@kommun.example"},
		// The domain is case-insensitive (RFC 5321 2.4), the local part is not.
		{in: "Anna.Berg@Kommun.Example", want: "Anna.Berg@kommun.example", ascii: "Anna.Berg@kommun.example"},
		{in: "anna+asn@kommun.example", want: "anna+asn@kommun.example", ascii: "anna+asn@kommun.example"},
		{in: "beslutsgang@localhost", want: "beslutsgang@localhost", ascii: "beslutsgang@localhost"},
		// An internationalised domain is kept as U-labels and sent as A-labels (RFC 5890/5891).
		{in: "anna@åkerö.example", want: "anna@åkerö.example", ascii: "anna@xn--ker-tla2g.example"},
		{in: "anna@ÅKERÖ.example", want: "anna@åkerö.example", ascii: "anna@xn--ker-tla2g.example"},
		{in: "anna@xn--ker-tla2g.example", want: "anna@åkerö.example", ascii: "anna@xn--ker-tla2g.example"},
		{in: "anna@xn--ker-tla2g.EXAMPLE", want: "anna@åkerö.example", ascii: "anna@xn--ker-tla2g.example"},
		{in: "a@" + long[:63] + ".example", want: "a@" + long[:63] + ".example", ascii: "a@" + long[:63] + ".example"},
		{in: long + "@kommun.example", want: long + "@kommun.example", ascii: long + "@kommun.example"},

		{in: "", reason: "Ange en e-postadress"},
		{in: "inte en adress", reason: "ingen giltig e-postadress"},
		{in: "anna", reason: "ingen giltig e-postadress"},
		{in: "anna@", reason: "ingen giltig e-postadress"},
		{in: "@kommun.example", reason: "ingen giltig e-postadress"},
		{in: "Anna <anna@kommun.example>", reason: "ingen giltig e-postadress"},
		{in: `"anna berg"@kommun.example`, reason: "ingen giltig e-postadress"},
		{in: "anna@kommun..example", reason: "ingen giltig e-postadress"},
		{in: "anna@kommun.example.", reason: "ingen giltig e-postadress"},
		{in: "anna@kommun.example, bo@kommun.example", reason: "ingen giltig e-postadress"},
		{in: "=?UTF-8?q?anna@=C3=A5ker=C3=B6.example?=", reason: "domänen"},
		// A local part outside ASCII needs SMTPUTF8 (RFC 6531), which the service does not use.
		{in: "åsa@kommun.example", reason: "delen före @"},
		{in: "Åsa.Öberg@åkerö.example", reason: "delen före @"},
		{in: long + "a@kommun.example", reason: "64 tecken"},
		// Domains that are no valid IDNA hostnames (RFC 5891 and UTS #46).
		{in: "anna@-kommun.example", reason: "domänen"},
		{in: "anna@kommun-.example", reason: "domänen"},
		{in: "anna@kom_mun.example", reason: "domänen"},
		{in: "anna@xn--zz.example", reason: "domänen"},
		{in: "anna@ab--cd.example", reason: "domänen"},
		{in: "anna@[127.0.0.1]", reason: "domänen"},
		{in: "a@" + long + ".example", reason: "63 tecken"},
		{in: "a@" + strings.Repeat(long[:60]+".", 5) + "example", reason: "253 tecken"},
		{in: long + "@" + strings.Repeat(long[:60]+".", 3) + "xn--ker-tla2g.example", reason: "254 tecken"},
	} {
		got, err := CheckEmail(tc.in)
		if tc.want == "" {
			if err == nil {
				t.Errorf("CheckEmail(%q) = %q, want refused", tc.in, got)
				continue
			}
			if ErrorCode(err) != EINVALID || !strings.Contains(err.Error(), tc.reason) {
				t.Errorf("CheckEmail(%q): %v (%s), want an invalid error saying %q", tc.in, err, ErrorCode(err), tc.reason)
			}
			if tc.in != "" && !strings.HasPrefix(err.Error(), "E-postadressen ") || tc.in != "" && !strings.Contains(err.Error(), "kan inte ta emot e-post: ") {
				t.Errorf("CheckEmail(%q): %q, want it to start \"E-postadressen … kan inte ta emot e-post: \"", tc.in, err)
			}
			if _, err := ASCIIEmail(tc.in); err == nil {
				t.Errorf("ASCIIEmail(%q) accepted an address CheckEmail refuses", tc.in)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("CheckEmail(%q) = %q, %v, want %q", tc.in, got, err, tc.want)
		}
		if a, err := ASCIIEmail(tc.in); err != nil || a != tc.ascii {
			t.Errorf("ASCIIEmail(%q) = %q, %v, want %q", tc.in, a, err, tc.ascii)
		}
		// The normalised form is a fixed point.
		if again, err := CheckEmail(got); err != nil || again != got {
			t.Errorf("CheckEmail(CheckEmail(%q)) = %q, %v, want %q", tc.in, again, err, got)
		}
	}
}
