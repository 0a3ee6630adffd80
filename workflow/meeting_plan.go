package workflow

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// A sammanträdesplan is a body's meetings for the year, planned ahead and
// entered as a list, one meeting a line:
//
//	2027-01-14 13:00 Stadshuset, sal Malmöhus
//	2027-01-28 13:00–16:00 Stadshuset
//	2027-02-11
//
// Time and place are optional, a time may be written 13.00, and blank lines
// and lines starting with # or // are skipped.

// PlannedMeeting is one line of a sammanträdesplan.
type PlannedMeeting struct {
	Line  int    `json:"line"` // the line of the text it was read from, from 1
	Date  Date   `json:"date"`
	Start string `json:"time"`     // "HH:MM" or empty
	End   string `json:"end_time"` // "HH:MM" or empty
	Place string `json:"place"`
}

// MaxPlanMeetings bounds one plan: more than a year of weekly meetings.
const MaxPlanMeetings = 120

// PlanLineField is the field of the errors about line n of a plan: "line-3".
func PlanLineField(n int) string { return "line-" + strconv.Itoa(n) }

// PlanLine is the line number of a plan error's field, 0 for other fields.
func PlanLine(field string) int {
	n, err := strconv.Atoi(strings.TrimPrefix(field, "line-"))
	if err != nil || !strings.HasPrefix(field, "line-") {
		return 0
	}
	return n
}

var (
	// planTime is a time or a span at the start of what follows the date:
	// "13:00", "13.00", "kl. 9.30", "13:00–16:00", "13.00 - 16.00".
	planTime = regexp.MustCompile(`^(?i:kl\.?\s*)?(\d{1,2}[:.]\d{2})(?:\s*[–—-]\s*(?i:kl\.?\s*)?(\d{1,2}[:.]\d{2}))?(?:$|[\s,;]+)`)
	// planTimeLike is what a person meant as a time: it starts with a digit or "kl".
	planTimeLike = regexp.MustCompile(`^(?i:\d|kl[.\s])`)
	planSpaces   = regexp.MustCompile(`[ \t\p{Zs}]+`)
)

// ParseMeetingPlan reads a plan. It returns every line it could read, and,
// when any line could not be read, an error naming each such line with what
// is wrong with it ("Rad 3: 2027-02-30 finns inte; …"), all at once. It
// checks what the text alone shows (dates the calendar has, times as
// checkTimes wants them); NewMeetingPlan checks the rest.
func ParseMeetingPlan(text string) ([]PlannedMeeting, error) {
	var lines []PlannedMeeting
	var p Problems
	text = strings.TrimPrefix(text, "\ufeff")
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	for i, raw := range strings.Split(text, "\n") {
		n := i + 1
		s := strings.TrimSpace(raw)
		if s == "" || strings.HasPrefix(s, "#") || strings.HasPrefix(s, "//") {
			continue
		}
		pm, msgs := parsePlanLine(n, s)
		for _, m := range msgs {
			p.Add(PlanLineField(n), "Rad %d: %s", n, m)
		}
		if len(msgs) == 0 {
			lines = append(lines, pm)
		}
	}
	if len(lines) == 0 && len(p) == 0 {
		p.Add("text", "Skriv eller klistra in minst ett sammanträde, ett per rad: datum, tid och plats")
	}
	return lines, p.Err()
}

// parsePlanLine reads one non-blank line; msgs says what is wrong with it.
func parsePlanLine(n int, s string) (pm PlannedMeeting, msgs []string) {
	pm.Line = n
	cut := strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == ',' || r == ';' })
	word, rest := s, ""
	if cut >= 0 {
		word, rest = s[:cut], strings.TrimLeft(s[cut:], " \t,;\u00a0")
	}
	if datePattern.MatchString(word) {
		d, err := ParseDate(word)
		if err != nil {
			msgs = append(msgs, err.Error())
		}
		pm.Date = d
	} else {
		msgs = append(msgs, fmt.Sprintf("”%s” är inget datum; börja raden med datumet som ÅÅÅÅ-MM-DD, t.ex. 2027-01-14", shorten(word)))
	}
	if m := planTime.FindStringSubmatch(rest); m != nil {
		pm.Start, pm.End = clockOf(m[1]), clockOf(m[2])
		rest = rest[len(m[0]):]
		for _, t := range []string{pm.Start, pm.End} {
			if t != "" && !clockTime.MatchString(t) {
				msgs = append(msgs, fmt.Sprintf("%s är ingen tid på dygnet; skriv TT:MM, t.ex. 13:00 eller 13:00–16:00", t))
			}
		}
	} else if planTimeLike.MatchString(rest) {
		word, _, _ := strings.Cut(rest, " ")
		msgs = append(msgs, fmt.Sprintf("”%s” är ingen tid; skriv TT:MM, t.ex. 13:00 eller 13:00–16:00, före platsen", shorten(word)))
		return pm, msgs
	}
	pm.Place = planPlace(rest)
	if len(msgs) > 0 {
		return pm, msgs
	}
	for _, f := range checkTimes(MeetingInput{Date: pm.Date, Start: pm.Start, End: pm.End, Place: pm.Place}) {
		msgs = append(msgs, f.Message)
	}
	return pm, msgs
}

// clockOf writes a time as HH:MM: "9.30" is "09:30".
func clockOf(s string) string {
	if s == "" {
		return ""
	}
	s = strings.Replace(s, ".", ":", 1)
	if len(s) == 4 {
		s = "0" + s
	}
	return s
}

// planPlace is the place as written, columns pasted from a spreadsheet (tabs)
// joined with commas and runs of spaces made one.
func planPlace(s string) string {
	var parts []string
	for _, col := range strings.Split(s, "\t") {
		if col = strings.Trim(planSpaces.ReplaceAllString(col, " "), " ,;"); col != "" {
			parts = append(parts, col)
		}
	}
	return strings.Join(parts, ", ")
}

// shorten keeps a quoted piece of a line short enough to read in a message.
func shorten(s string) string {
	if r := []rune(s); len(r) > 30 {
		return string(r[:30]) + "…"
	}
	return s
}

// DayOff names why d is not a work day, as a warning says it: "en lördag",
// "juldagen (lördag)", "julafton"; empty on a work day.
func DayOff(d Date) string {
	name, holiday := HolidayName(d)
	wd := d.Weekday()
	weekend := wd == time.Saturday || wd == time.Sunday
	switch {
	case holiday && weekend:
		return holidayName(name) + " (" + weekdayNames[wd] + ")"
	case holiday:
		return holidayName(name)
	case weekend:
		return "en " + weekdayNames[wd]
	}
	return ""
}

// holidayName is a holiday's name inside a sentence: "juldagen", but
// "Sveriges nationaldag" and "Kristi himmelsfärdsdag" keep their capital.
func holidayName(name string) string {
	parts := strings.Split(name, " och ")
	for i, p := range parts {
		if !strings.HasPrefix(p, "Sveriges") && !strings.HasPrefix(p, "Kristi") {
			r := []rune(p)
			r[0] = unicode.ToLower(r[0])
			parts[i] = string(r)
		}
	}
	return strings.Join(parts, " och ")
}

// PlanWarnings are the lines on a day that is not a work day: a Saturday, a
// Sunday, a holiday, midsommarafton, julafton or nyårsafton. The secretary
// must confirm them ("Planera ändå") before NewMeetingPlan accepts them.
func PlanWarnings(lines []PlannedMeeting) Problems {
	var p Problems
	for _, l := range lines {
		if off := DayOff(l.Date); off != "" && !l.Date.IsZero() {
			p.Add(PlanLineField(l.Line), "Rad %d: %s är %s, ingen arbetsdag. Kryssa i ”Planera ändå” om sammanträdet ska hållas den dagen.",
				l.Line, l.Date, off)
		}
	}
	return p
}

// CanPlanMeetings refuses anyone but the board's secretary a body's plan.
func CanPlanMeetings(body Body, u User) error {
	if !isBodySecretary(body, u) {
		return Errorf(EFORBIDDEN, "Bara nämndsekreteraren för %s kan planera sammanträden för %s", body.Board, body.Name)
	}
	return nil
}

// NewMeetingPlan checks a body's plan and returns its meetings, all or none.
// taken are the days the body already has a meeting on. A day in the past, a
// day taken or a day twice in the plan is an error; a day that is not a work
// day is one too until confirmed. Every line's problems are named at once.
func NewMeetingPlan(body Body, lines []PlannedMeeting, taken []Date, confirmed bool, env Env) ([]Meeting, error) {
	if err := CanPlanMeetings(body, env.Actor); err != nil {
		return nil, err
	}
	var p Problems
	switch {
	case len(lines) == 0:
		p.Add("text", "Skriv eller klistra in minst ett sammanträde, ett per rad: datum, tid och plats")
	case len(lines) > MaxPlanMeetings:
		p.Add("text", "Planen har %d sammanträden; lägg in högst %d åt gången", len(lines), MaxPlanMeetings)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	today := Today(env.Now)
	seen := map[Date]int{}
	warnings := map[int]FieldError{}
	if !confirmed {
		for _, w := range PlanWarnings(lines) {
			warnings[PlanLine(w.Field)] = w
		}
	}
	out := make([]Meeting, 0, len(lines))
	for _, l := range lines {
		field := PlanLineField(l.Line)
		dayRefused := true
		switch first, twice := seen[l.Date]; {
		case l.Date.IsZero():
			p.Add(field, "Rad %d: ange sammanträdesdagen som ÅÅÅÅ-MM-DD", l.Line)
		case l.Date.Before(today):
			p.Add(field, "Rad %d: %s har redan passerat", l.Line, l.Date)
		case slices.Contains(taken, l.Date):
			p.Add(field, "Rad %d: %s har redan ett sammanträde den %s", l.Line, body.Name, l.Date)
		case twice:
			p.Add(field, "Rad %d: %s står redan på rad %d", l.Line, l.Date, first)
		default:
			dayRefused = false
			seen[l.Date] = l.Line
		}
		for _, f := range checkTimes(MeetingInput{Date: l.Date, Start: l.Start, End: l.End, Place: l.Place}) {
			p.Add(field, "Rad %d: %s", l.Line, f.Message)
		}
		if w, ok := warnings[l.Line]; ok && !dayRefused {
			p = append(p, w)
		}
		if len(p) > 0 {
			continue
		}
		m, err := NewMeeting(body, MeetingInput{Date: l.Date, Start: l.Start, End: l.End, Place: l.Place}, env)
		if err != nil {
			return nil, err // checked above; the rules are the same
		}
		out = append(out, m)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// JoinPlanErrors puts the errors of reading a plan and of checking the lines
// that could be read into one, in line order. An error that is not about the
// lines (not allowed, no such body) wins.
func JoinPlanErrors(read, check error) error {
	if check == nil || read == nil {
		if check != nil {
			return check
		}
		return read
	}
	if ErrorCode(check) != EINVALID {
		return check
	}
	var fields []FieldError
	for _, err := range []error{read, check} {
		if e := (*Error)(nil); errors.As(err, &e) {
			fields = append(fields, e.Fields...)
		}
	}
	slices.SortStableFunc(fields, func(a, b FieldError) int { return PlanLine(a.Field) - PlanLine(b.Field) })
	return &Error{Code: EINVALID, Message: "Uppgifterna behöver rättas", Fields: fields}
}
