package demo

import (
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/workflow"
)

// A demo case: its report, its route in days from today (nil: not yet dated),
// and what happened to it so far.
type demoCase struct {
	board      string
	title      string
	summary    string
	proposals  []string
	background string
	route      []demoStep
	approvers  []string
	history    []demoAct
	secret     bool // sekretess: the public diary withholds what it is about
}

type demoStep struct {
	body string
	day  *int
}

type demoAct struct {
	day    int // days from today the action was taken
	by     string
	action workflow.Action
	reason string
	moveTo int // for postpone: new date in days from today
	text   string
	// meeting: the decision is taken at the step's meeting, with a paragraph,
	// and the protokoll is justerat and posted.
	meeting bool
}

func day(n int) *int { return &n }

const (
	officer   = "handlaggare@kommun.example"
	manager   = "chef@kommun.example"
	secretary = "sekreterare@kommun.example"
	director  = "britt-marie.pettersson@kommun.example"
)

var demoCases = []demoCase{
	{
		board: "ASN", title: "Yttrande över motion om feriearbete för fler unga",
		summary:   "Kommunstyrelsen har remitterat en motion om att erbjuda feriearbete till alla ungdomar i årskurs 9 och gymnasiet. Förvaltningen har tagit fram ett förslag till yttrande.",
		proposals: []string{"Arbetsmarknads- och socialnämnden föreslås besluta att översända yttrandet till kommunstyrelsen"},
		background: "Motionären föreslår att feriearbete ska erbjudas alla ungdomar som söker.\n\n" +
			"Förvaltningen bedömer att ett utökat antal platser kräver ytterligare finansiering och fler handledare.",
		route:     []demoStep{{"ASN-AU", day(14)}, {"ASN", day(28)}, {"KS", nil}},
		approvers: []string{manager},
		history:   []demoAct{{day: -2, by: officer, action: workflow.ActSubmit}},
	},
	{
		board: "ASN", title: "Revidering av riktlinjer för ekonomiskt bistånd",
		summary:    "Riktlinjerna för ekonomiskt bistånd har setts över med anledning av ändrade riksnormer och nya domar.",
		proposals:  []string{"Arbetsmarknads- och socialnämnden föreslås besluta att anta reviderade riktlinjer för ekonomiskt bistånd", "Riktlinjerna gäller från och med 1 januari 2027"},
		background: "Socialstyrelsen har uppdaterat sina allmänna råd om ekonomiskt bistånd. Förvaltningen föreslår ändringar i avsnitten om boendekostnader och hemutrustning.",
		route:      []demoStep{{"ASN-PB", day(4)}, {"ASN-AU", day(11)}, {"ASN", day(25)}},
		approvers:  []string{manager, director},
		history: []demoAct{{day: -10, by: officer, action: workflow.ActSubmit},
			{day: -9, by: manager, action: workflow.ActApprove}, {day: -8, by: director, action: workflow.ActApprove}},
	},
	{
		board: "ASN", title: "Uppföljning av internkontrollplan 2026",
		summary:   "Förvaltningen redovisar uppföljningen av nämndens internkontrollplan för 2026.",
		proposals: []string{"Arbetsmarknads- och socialnämnden föreslås besluta att godkänna uppföljningen av internkontrollplanen"},
		route:     []demoStep{{"ASN-PB", day(-5)}, {"ASN-AU", day(2)}, {"ASN", day(16)}},
		approvers: []string{manager},
		history: []demoAct{{day: -20, by: officer, action: workflow.ActSubmit},
			{day: -19, by: manager, action: workflow.ActApprove}, {day: -5, by: secretary, action: workflow.ActAdvance}},
	},
	{
		board: "ASN", title: "Delårsrapport augusti 2026",
		summary:   "Delårsrapporten beskriver nämndens verksamhet och ekonomi till och med augusti 2026 med helårsprognos.",
		proposals: []string{"Arbetsmarknads- och socialnämnden föreslås besluta att godkänna delårsrapporten", "Arbetsmarknads- och socialnämnden skickar delårsrapporten till kommunstyrelsen"},
		route:     []demoStep{{"ASN-PB", day(-16)}, {"ASN-AU", day(-8)}, {"ASN", day(0)}, {"KS", day(14)}},
		approvers: []string{manager, director},
		history: []demoAct{{day: -30, by: officer, action: workflow.ActSubmit},
			{day: -29, by: manager, action: workflow.ActApprove}, {day: -28, by: director, action: workflow.ActApprove},
			{day: -16, by: secretary, action: workflow.ActAdvance}, {day: -8, by: secretary, action: workflow.ActAdvance}},
	},
	{
		board: "ASN", title: "Avgifter inom hemtjänsten 2027",
		summary:   "Förslag till avgifter för hemtjänst och trygghetslarm för 2027 enligt maxtaxan.",
		proposals: []string{"Arbetsmarknads- och socialnämnden föreslås besluta att anta avgifterna för 2027"},
		route:     []demoStep{{"ASN-PB", day(-30)}, {"ASN-AU", day(-22)}, {"ASN", day(-8)}, {"KS", day(9)}},
		approvers: []string{manager},
		history: []demoAct{{day: -45, by: officer, action: workflow.ActSubmit},
			{day: -44, by: manager, action: workflow.ActApprove}, {day: -30, by: secretary, action: workflow.ActAdvance},
			{day: -22, by: secretary, action: workflow.ActAdvance},
			{day: -8, by: secretary, action: workflow.ActDecide, meeting: true, text: "Arbetsmarknads- och socialnämnden beslutar att anta avgifterna för 2027 enligt förslaget."},
			{day: -6, by: secretary, action: workflow.ActDispatch}},
	},
	{
		board: "ASN", title: "Verksamhetsberättelse 2025",
		summary:   "Nämndens verksamhetsberättelse för 2025.",
		proposals: []string{"Arbetsmarknads- och socialnämnden föreslås besluta att godkänna verksamhetsberättelsen"},
		route:     []demoStep{{"ASN-PB", day(-50)}, {"ASN-AU", day(-43)}, {"ASN", day(-36)}},
		approvers: []string{manager},
		history: []demoAct{{day: -58, by: officer, action: workflow.ActSubmit},
			{day: -57, by: manager, action: workflow.ActApprove}, {day: -50, by: secretary, action: workflow.ActAdvance},
			{day: -43, by: secretary, action: workflow.ActAdvance},
			{day: -36, by: secretary, action: workflow.ActDecide, text: "Arbetsmarknads- och socialnämnden beslutar att godkänna verksamhetsberättelsen."},
			{day: -35, by: secretary, action: workflow.ActDispatch}, {day: -34, by: secretary, action: workflow.ActClose}},
	},
	{
		board: "ASN", title: "Samverkansavtal med Region Skåne om unga vuxna",
		summary:   "Förslag till samverkansavtal om insatser för unga vuxna med samsjuklighet.",
		proposals: []string{"Arbetsmarknads- och socialnämnden föreslås besluta att godkänna samverkansavtalet"},
		route:     []demoStep{{"ASN-PB", day(-12)}, {"ASN-AU", day(-5)}, {"ASN", day(23)}},
		approvers: []string{manager},
		history: []demoAct{{day: -25, by: officer, action: workflow.ActSubmit},
			{day: -24, by: manager, action: workflow.ActApprove}, {day: -12, by: secretary, action: workflow.ActAdvance},
			{day: -5, by: secretary, action: workflow.ActPostpone, moveTo: 9, reason: "Regionen har begärt mer tid för att förankra avtalet"}},
	},
	{
		board: "ASN", title: "Lokal överenskommelse med idéburen sektor",
		summary:   "Förslag till lokal överenskommelse om samverkan med idéburna organisationer.",
		proposals: []string{"Arbetsmarknads- och socialnämnden föreslås besluta att godkänna överenskommelsen"},
		route:     []demoStep{{"ASN-PB", day(-10)}, {"ASN-AU", day(-3)}, {"ASN", day(11)}},
		approvers: []string{manager},
		history: []demoAct{{day: -20, by: officer, action: workflow.ActSubmit},
			{day: -19, by: manager, action: workflow.ActApprove}, {day: -10, by: secretary, action: workflow.ActAdvance},
			{day: -3, by: secretary, action: workflow.ActReturn, reason: "Arbetsutskottet vill att konsekvenserna för föreningsbidragen beskrivs"}},
	},
	{
		board: "ASN", title: "Ansökan om EU-medel för AMIF-projekt med förskoleförvaltningen",
		summary:   "Förvaltningen avsåg att tillsammans med förskoleförvaltningen söka medel ur Asyl-, migrations- och integrationsfonden.",
		proposals: []string{"Arbetsmarknads- och socialnämnden föreslås besluta att godkänna ansökan"},
		route:     []demoStep{{"ASN-AU", day(6)}, {"ASN", day(20)}},
		approvers: []string{manager},
		history:   []demoAct{{day: -3, by: officer, action: workflow.ActWithdraw, reason: "Partnerskapet söker inte medel i år"}},
	},
	{
		board: "ASN", title: "Yttrande till förvaltningsrätten i mål om ekonomiskt bistånd för enskild",
		summary:   "Förvaltningsrätten har förelagt nämnden att yttra sig i ett mål om ekonomiskt bistånd. Uppgifter om den enskilde omfattas av sekretess.",
		proposals: []string{"Arbetsmarknads- och socialnämnden föreslås besluta att avge yttrande enligt förvaltningens förslag"},
		route:     []demoStep{{"ASN-AU", day(6)}, {"ASN", day(20)}},
		approvers: []string{manager},
		history: []demoAct{{day: -4, by: officer, action: workflow.ActSubmit},
			{day: -3, by: manager, action: workflow.ActApprove}},
		secret: true,
	},
	{
		board: "KS", title: "Riktlinjer för lokalförsörjning",
		summary:   "Förslag till stadsövergripande riktlinjer för planering och försörjning av verksamhetslokaler.",
		proposals: []string{"Kommunstyrelsen föreslår kommunfullmäktige att anta riktlinjerna för lokalförsörjning"},
		route:     []demoStep{{"KS", day(10)}, {"KF", day(30)}},
		approvers: []string{manager},
		history: []demoAct{{day: -12, by: officer, action: workflow.ActSubmit},
			{day: -11, by: manager, action: workflow.ActApprove}},
	},
}

// cases registers the demo cases and replays their histories through the
// workflow, at the times they happened.
func (d *seeder) cases() error {
	for _, dc := range demoCases {
		if err := d.replay(dc); err != nil {
			return err
		}
	}
	return nil
}

func (d *seeder) date(days int) workflow.Date {
	return workflow.NextWorkday(d.today.AddDays(days))
}

func (d *seeder) replay(dc demoCase) error {
	in := db.CaseInput{Board: dc.board, Title: dc.title, Summary: dc.summary, Proposals: dc.proposals, Secret: dc.secret,
		Background: dc.background, Recipients: []workflow.Recipient{{Name: "Kommunstyrelsen", Email: "kommunstyrelsen@kommun.example"}}}
	for _, st := range dc.route {
		si := db.StepInput{Body: st.body}
		if st.day != nil {
			si.Date = d.date(*st.day).String()
		}
		in.Route = append(in.Route, si)
	}
	for _, a := range dc.approvers {
		in.Approvers = append(in.Approvers, db.ApproverInput{Email: a, Position: d.users[a].Title})
	}
	start := -60
	if len(dc.history) > 0 {
		start = min(start, dc.history[0].day-3)
	}
	d.at(d.date(start), 9)
	c, err := d.s.ImportCase(d.ctx, in, d.users[officer])
	if err != nil {
		return err
	}
	if err := d.schedule(c); err != nil {
		return err
	}
	for _, a := range dc.history {
		d.at(d.date(a.day), 10)
		if a.meeting {
			if c, err = d.decideAtMeeting(c, a); err != nil {
				return err
			}
			continue
		}
		cmd := workflow.Command{Action: a.action, Version: c.Version, Reason: a.reason, Decision: a.text}
		if a.action == workflow.ActPostpone {
			cmd.Date = d.date(a.moveTo)
		}
		if c, err = d.s.Act(d.ctx, c.Number, d.users[a.by], cmd); err != nil {
			return err
		}
	}
	return nil
}
