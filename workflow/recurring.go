package workflow

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/robfig/cron/v3"
)

// Recurring is a recurring assignment (återkommande uppdrag): a template that
// creates a draft case on a schedule, such as the yearly "Internationell
// redovisning {year}" every board writes for kommunstyrelsen.
type Recurring struct {
	ID       int64  `json:"id"`
	Title    string `json:"title"` // may hold {year}, {last_year} and {month}
	Summary  string `json:"summary,omitempty"`
	Board    string `json:"board"`
	Officer  Person `json:"officer"`
	Schedule string `json:"schedule"` // a standard five-field cron expression, Stockholm time
	// LeadDays is the work days the officer has, from the day the case is
	// created, until the bevakning the case is created with falls due.
	LeadDays  int       `json:"lead_days"`
	Active    bool      `json:"active"`
	NextRun   time.Time `json:"next_run"`
	CreatedAt time.Time `json:"created_at"`
}

// Limits of a recurring assignment.
const (
	MaxLeadDays = 250 // about a working year
	// MaxCatchUp bounds how many missed periods one scan creates cases for.
	MaxCatchUp = 12
)

// PeriodLayout names one firing of a schedule in Stockholm time; a template
// creates at most one case per period.
const PeriodLayout = "2006-01-02T15:04"

// Period is the name of the firing at t.
func Period(t time.Time) string { return t.In(Stockholm).Format(PeriodLayout) }

// ParseSchedule reads a standard cron expression (minute hour day month
// weekday, or a descriptor such as @yearly) in Stockholm time. It refuses
// expressions that fire between 02:00 and 02:59, the hour daylight saving
// time skips in March and repeats in October, and @every intervals, which
// have no period to name.
func ParseSchedule(expr string) (cron.Schedule, error) {
	expr = strings.TrimSpace(expr)
	switch {
	case expr == "":
		return nil, fmt.Errorf("ange ett schema, t.ex. \"0 8 15 1 *\" (kl. 08.00 den 15 januari)")
	case strings.HasPrefix(expr, "TZ=") || strings.HasPrefix(expr, "CRON_TZ="):
		return nil, fmt.Errorf("schemat gäller alltid svensk tid; ta bort %q", strings.Fields(expr)[0])
	case strings.HasPrefix(expr, "@every"):
		return nil, fmt.Errorf("@every saknar fasta tidpunkter; ange dag och klockslag, t.ex. \"0 8 15 1 *\"")
	}
	sched, err := parseStandard(expr)
	if err != nil {
		return nil, fmt.Errorf("%q är inget giltigt schema (minut timme dag månad veckodag): %s", expr, cronProblem(err))
	}
	spec, ok := sched.(*cron.SpecSchedule)
	if !ok {
		return nil, fmt.Errorf("%q är inget schema med fasta tidpunkter", expr)
	}
	if spec.Hour&(1<<2) != 0 {
		return nil, fmt.Errorf("%q går mellan 02.00 och 02.59, som sommartiden hoppar över eller upprepar; välj en annan timme", expr)
	}
	spec.Location = Stockholm
	// robfig/cron looks five years ahead and then gives up with a zero time:
	// a day that never comes (30 February) would be a run at the year 1.
	if spec.Next(time.Date(2001, 1, 1, 0, 0, 0, 0, Stockholm)).IsZero() {
		return nil, fmt.Errorf("%q inträffar aldrig, eftersom dagen inte finns i månaden; välj en dag som finns", expr)
	}
	return spec, nil
}

// cronProblem says in Swedish what robfig/cron's parser, whose errors are
// English, found wrong.
func cronProblem(err error) string {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "fields"):
		return "det ska ha fem fält, t.ex. \"0 8 15 1 *\" (kl. 08.00 den 15 januari)"
	case strings.Contains(msg, "beyond end of range"):
		return "ett intervall går baklänges; skriv det lägre talet först, t.ex. 1-5"
	case strings.Contains(msg, "step"):
		return "ett steg ska vara ett positivt tal, t.ex. */15"
	case strings.Contains(msg, "maximum") || strings.Contains(msg, "minimum") || strings.Contains(msg, "range"):
		return "ett värde ligger utanför sitt intervall (minut 0–59, timme 0–23, dag 1–31, månad 1–12, veckodag 0–6)"
	case strings.Contains(msg, "descriptor"):
		return "okänd förkortning; använd @yearly, @monthly, @weekly, @daily eller @hourly"
	}
	return "ett fält går inte att läsa; skriv siffror, * , intervall (1-5), listor (1,15) eller steg (*/2)"
}

// parseStandard is cron.ParseStandard, turned into an error should the parser
// panic on input it does not expect.
func parseStandard(expr string) (s cron.Schedule, err error) {
	defer func() {
		if r := recover(); r != nil {
			s, err = nil, fmt.Errorf("%v", r)
		}
	}()
	return cron.ParseStandard(expr)
}

// ValidateRecurring checks a template; officer is the user it names. It returns
// the parsed schedule.
func ValidateRecurring(r *Recurring, officer User) (cron.Schedule, error) {
	var p Problems
	r.Title, r.Summary, r.Schedule = strings.TrimSpace(r.Title), strings.TrimSpace(r.Summary), strings.TrimSpace(r.Schedule)
	switch title := r.TitleFor(time.Date(2030, 12, 31, 0, 0, 0, 0, Stockholm)); {
	case Blank(r.Title):
		p.Add("title", "Ange en rubrik, t.ex. \"Internationell redovisning {year}\"")
	case utf8.RuneCountInString(title) > MaxTitle:
		p.Add("title", "Rubriken får vara högst %d tecken", MaxTitle)
	case strings.ContainsAny(title, "{}"):
		p.Add("title", "Rubriken har en okänd platshållare; tillåtna är {year}, {last_year} och {month}")
	}
	if utf8.RuneCountInString(r.Summary) > MaxText {
		p.Add("summary", "Texten får vara högst %d tecken", MaxText)
	}
	switch {
	case officer.ID == 0:
		p.Add("officer", "Ange handläggaren")
	case !officer.Active:
		p.Add("officer", "%s är inte en aktiv användare", officer.Email)
	case !officer.Has(r.Board, RoleOfficer):
		p.Add("officer", "%s är inte handläggare för %s", officer.Name, r.Board)
	}
	if r.LeadDays < 0 || r.LeadDays > MaxLeadDays {
		p.Add("lead_days", "Ledtiden ska vara 0–%d arbetsdagar", MaxLeadDays)
	}
	sched, err := ParseSchedule(r.Schedule)
	if err != nil {
		p.Add("schedule", "%s", capitalize(err.Error()))
	}
	r.Officer = officer.Person()
	return sched, p.Err()
}

// TitleFor is the case title for the firing at t.
func (r *Recurring) TitleFor(t time.Time) string {
	t = t.In(Stockholm)
	return strings.NewReplacer(
		"{year}", strconv.Itoa(t.Year()),
		"{last_year}", strconv.Itoa(t.Year()-1),
		"{month}", monthNames[t.Month()-1],
	).Replace(r.Title)
}

var monthNames = [...]string{"januari", "februari", "mars", "april", "maj", "juni", "juli",
	"augusti", "september", "oktober", "november", "december"}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return strings.ToUpper(string(r)) + s[n:]
}
