package demo

import (
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

// demoStep is a route step at the body's meeting in slot k of the
// sammanträdesplan (see plan.go); nil: not yet dated.
type demoStep struct {
	body string
	slot *int
}

type demoAct struct {
	day    int // days from today the action was taken; ignored for a meeting's act
	by     string
	action workflow.Action
	reason string
	moveTo int // for a bordläggning: the slot of the later meeting
	text   string
	// meeting: the act is the step's meeting handling the case (advance: the
	// body's proposal; decide: the decision with its §; return: återremiss;
	// postpone: bordläggning), taken that evening by the secretary.
	meeting bool
	// reroute: the officer edits the draft's route to these steps (after an
	// återremiss, the meetings it goes to next); action is then empty.
	reroute []demoStep
}

func slot(k int) *int { return &k }

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
		route:     []demoStep{{"ASN-AU", slot(2)}, {"ASN", slot(2)}, {"KS", nil}},
		approvers: []string{manager},
		history:   []demoAct{{day: -2, by: officer, action: workflow.ActSubmit}},
	},
	{
		board: "ASN", title: "Revidering av riktlinjer för ekonomiskt bistånd",
		summary:    "Riktlinjerna för ekonomiskt bistånd har setts över med anledning av ändrade riksnormer och nya domar.",
		proposals:  []string{"Arbetsmarknads- och socialnämnden föreslås besluta att anta reviderade riktlinjer för ekonomiskt bistånd", "Riktlinjerna gäller från och med 1 januari 2027"},
		background: "Socialstyrelsen har uppdaterat sina allmänna råd om ekonomiskt bistånd. Förvaltningen föreslår ändringar i avsnitten om boendekostnader och hemutrustning.",
		route:      []demoStep{{"ASN-PB", slot(2)}, {"ASN-AU", slot(2)}, {"ASN", slot(2)}},
		approvers:  []string{manager, director},
		history: []demoAct{{day: -10, by: officer, action: workflow.ActSubmit},
			{day: -9, by: manager, action: workflow.ActApprove}, {day: -8, by: director, action: workflow.ActApprove}},
	},
	{
		board: "ASN", title: "Uppföljning av internkontrollplan 2026",
		summary:   "Förvaltningen redovisar uppföljningen av nämndens internkontrollplan för 2026.",
		proposals: []string{"Arbetsmarknads- och socialnämnden föreslås besluta att godkänna uppföljningen av internkontrollplanen"},
		route:     []demoStep{{"ASN-PB", slot(0)}, {"ASN-AU", slot(1)}, {"ASN", slot(1)}},
		approvers: []string{manager},
		history: []demoAct{{day: -20, by: officer, action: workflow.ActSubmit},
			{day: -19, by: manager, action: workflow.ActApprove}, {by: secretary, action: workflow.ActAdvance, meeting: true}},
	},
	{
		board: "ASN", title: "Delårsrapport augusti 2026",
		summary:   "Delårsrapporten beskriver nämndens verksamhet och ekonomi till och med augusti 2026 med helårsprognos.",
		proposals: []string{"Arbetsmarknads- och socialnämnden föreslås besluta att godkänna delårsrapporten", "Arbetsmarknads- och socialnämnden skickar delårsrapporten till kommunstyrelsen"},
		route:     []demoStep{{"ASN-PB", slot(0)}, {"ASN-AU", slot(0)}, {"ASN", slot(0)}, {"KS", slot(0)}},
		approvers: []string{manager, director},
		history: []demoAct{{day: -30, by: officer, action: workflow.ActSubmit},
			{day: -29, by: manager, action: workflow.ActApprove}, {day: -28, by: director, action: workflow.ActApprove},
			{by: secretary, action: workflow.ActAdvance, meeting: true}, {by: secretary, action: workflow.ActAdvance, meeting: true}},
	},
	{
		board: "ASN", title: "Avgifter inom hemtjänsten 2027",
		summary:   "Förslag till avgifter för hemtjänst och trygghetslarm för 2027 enligt maxtaxan.",
		proposals: []string{"Arbetsmarknads- och socialnämnden föreslås besluta att anta avgifterna för 2027"},
		route:     []demoStep{{"ASN-PB", slot(-1)}, {"ASN-AU", slot(-1)}, {"ASN", slot(-1)}, {"KS", slot(0)}},
		approvers: []string{manager},
		history: []demoAct{{day: -45, by: officer, action: workflow.ActSubmit},
			{day: -44, by: manager, action: workflow.ActApprove}, {by: secretary, action: workflow.ActAdvance, meeting: true},
			{by: secretary, action: workflow.ActAdvance, meeting: true},
			{by: secretary, action: workflow.ActDecide, meeting: true, text: "Arbetsmarknads- och socialnämnden beslutar att anta avgifterna för 2027 enligt förslaget."},
			{day: -11, by: secretary, action: workflow.ActDispatch}},
	},
	{
		board: "ASN", title: "Verksamhetsberättelse 2025",
		summary:   "Nämndens verksamhetsberättelse för 2025.",
		proposals: []string{"Arbetsmarknads- och socialnämnden föreslås besluta att godkänna verksamhetsberättelsen"},
		route:     []demoStep{{"ASN-PB", slot(-2)}, {"ASN-AU", slot(-2)}, {"ASN", slot(-2)}},
		approvers: []string{manager},
		history: []demoAct{{day: -52, by: officer, action: workflow.ActSubmit},
			{day: -51, by: manager, action: workflow.ActApprove}, {by: secretary, action: workflow.ActAdvance, meeting: true},
			{by: secretary, action: workflow.ActAdvance, meeting: true},
			{by: secretary, action: workflow.ActDecide, meeting: true, text: "Arbetsmarknads- och socialnämnden beslutar att godkänna verksamhetsberättelsen."},
			{day: -25, by: secretary, action: workflow.ActDispatch}, {day: -24, by: secretary, action: workflow.ActClose}},
	},
	{
		board: "ASN", title: "Samverkansavtal med Region Skåne om unga vuxna",
		summary:   "Förslag till samverkansavtal om insatser för unga vuxna med samsjuklighet.",
		proposals: []string{"Arbetsmarknads- och socialnämnden föreslås besluta att godkänna samverkansavtalet"},
		route:     []demoStep{{"ASN-PB", slot(0)}, {"ASN-AU", slot(0)}, {"ASN", slot(2)}},
		approvers: []string{manager},
		history: []demoAct{{day: -25, by: officer, action: workflow.ActSubmit},
			{day: -24, by: manager, action: workflow.ActApprove}, {by: secretary, action: workflow.ActAdvance, meeting: true},
			{by: secretary, action: workflow.ActPostpone, meeting: true, moveTo: 1, reason: "Regionen har begärt mer tid för att förankra avtalet"}},
	},
	{
		board: "ASN", title: "Lokal överenskommelse med idéburen sektor",
		summary:   "Förslag till lokal överenskommelse om samverkan med idéburna organisationer.",
		proposals: []string{"Arbetsmarknads- och socialnämnden föreslås besluta att godkänna överenskommelsen"},
		route:     []demoStep{{"ASN-PB", slot(0)}, {"ASN-AU", slot(0)}, {"ASN", slot(1)}},
		approvers: []string{manager},
		history: []demoAct{{day: -20, by: officer, action: workflow.ActSubmit},
			{day: -19, by: manager, action: workflow.ActApprove}, {by: secretary, action: workflow.ActAdvance, meeting: true},
			{by: secretary, action: workflow.ActReturn, meeting: true, reason: "Arbetsutskottet vill att konsekvenserna för föreningsbidragen beskrivs"},
			{day: -5, by: officer, reroute: []demoStep{{"ASN-AU", slot(3)}, {"ASN", slot(3)}}}},
	},
	{
		board: "ASN", title: "Ansökan om EU-medel för AMIF-projekt med förskoleförvaltningen",
		summary:   "Förvaltningen avsåg att tillsammans med förskoleförvaltningen söka medel ur Asyl-, migrations- och integrationsfonden.",
		proposals: []string{"Arbetsmarknads- och socialnämnden föreslås besluta att godkänna ansökan"},
		route:     []demoStep{{"ASN-AU", slot(1)}, {"ASN", slot(1)}},
		approvers: []string{manager},
		history:   []demoAct{{day: -3, by: officer, action: workflow.ActWithdraw, reason: "Partnerskapet söker inte medel i år"}},
	},
	{
		board: "ASN", title: "Yttrande till förvaltningsrätten i mål om ekonomiskt bistånd för enskild",
		summary:   "Förvaltningsrätten har förelagt nämnden att yttra sig i ett mål om ekonomiskt bistånd. Uppgifter om den enskilde omfattas av sekretess.",
		proposals: []string{"Arbetsmarknads- och socialnämnden föreslås besluta att avge yttrande enligt förvaltningens förslag"},
		route:     []demoStep{{"ASN-AU", slot(1)}, {"ASN", slot(1)}},
		approvers: []string{manager},
		history: []demoAct{{day: -4, by: officer, action: workflow.ActSubmit},
			{day: -3, by: manager, action: workflow.ActApprove}},
		secret: true,
	},
	{
		board: "KS", title: "Riktlinjer för lokalförsörjning",
		summary:   "Förslag till stadsövergripande riktlinjer för planering och försörjning av verksamhetslokaler.",
		proposals: []string{"Kommunstyrelsen föreslår kommunfullmäktige att anta riktlinjerna för lokalförsörjning"},
		route:     []demoStep{{"KS", slot(1)}, {"KF", slot(1)}},
		approvers: []string{manager},
		history: []demoAct{{day: -12, by: officer, action: workflow.ActSubmit},
			{day: -11, by: manager, action: workflow.ActApprove}},
	},
}
