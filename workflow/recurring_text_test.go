package workflow

import (
	"strings"
	"testing"
)

func TestDescribeSchedule(t *testing.T) {
	tests := []struct{ expr, want string }{
		{"0 8 15 1 *", "Kl. 08.00 den 15 januari varje år."},
		{"@yearly", "Kl. 00.00 den 1 januari varje år."},
		{"@monthly", "Kl. 00.00 den 1 varje månad."},
		{"@weekly", "Kl. 00.00 varje söndag."},
		{"@daily", "Kl. 00.00 varje dag."},
		{"0 7 * * 1-5", "Kl. 07.00 måndag–fredag."},
		{"0 7 * * mon-fri", "Kl. 07.00 måndag–fredag."},
		{"30 9 * * 1", "Kl. 09.30 varje måndag."},
		{"0 6 * * 0,6", "Kl. 06.00 varje lördag och söndag."},
		{"0 6 * * 0,1,2", "Kl. 06.00 varje måndag, tisdag och söndag."},
		{"0 8 1 * *", "Kl. 08.00 den 1 varje månad."},
		{"0 8,13 1,15 1,7 *", "Kl. 08.00 och 13.00 den 1 och 15 i januari och juli."},
		{"0 8 * 3-5 *", "Kl. 08.00 varje dag i mars–maj."},
		{"0 8 * 3-5 1", "Kl. 08.00 varje måndag i mars–maj."},
		{"*/15 8-17 * * 1-5", "Minut 0, 15, 30 och 45 under timme 8–17, måndag–fredag."},
		{"* 9 * * *", "Varje minut under timme 9, varje dag."},
		// cron's rule: a restricted day of month and weekday each select days.
		{"0 8 1-7 * 1", "Kl. 08.00 den 1–7 samt varje måndag."},
		// Written out in full, the day of month is restricted, not a star.
		{"0 8 1-31 * 1", "Kl. 08.00 den 1–31 samt varje måndag."},
	}
	for _, tt := range tests {
		got, err := DescribeSchedule(tt.expr)
		if err != nil || got != tt.want {
			t.Errorf("DescribeSchedule(%q) = %q, %v; want %q", tt.expr, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "0 2 * * *", "@every 1h", "60 8 * * *"} {
		if got, err := DescribeSchedule(bad); err == nil || got != "" {
			t.Errorf("DescribeSchedule(%q) = %q, %v; want the parser's error", bad, got, err)
		}
	}
	if _, err := DescribeSchedule("0 2 * * *"); err == nil || !strings.Contains(err.Error(), "02.00") {
		t.Errorf("a schedule in the DST hour: %v", err)
	}
}
