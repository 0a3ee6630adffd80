package fill

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// The words of generated cases: titles, reports and decisions as a Swedish
// municipality writes them, varied enough that full-text search has
// something to find (and to miss), with "EU-projekt" in a few per cent.

var topics = []string{
	"försörjningsstöd", "ekonomiskt bistånd", "arbetsmarknadsinsatser", "feriearbete för ungdomar", "feriepraktik",
	"språkstöd för nyanlända", "etableringsinsatser", "hemlöshet", "bostad först", "våld i nära relationer",
	"förebyggande socialt arbete", "familjecentraler", "barn i ekonomisk utsatthet", "förskolans lokaler",
	"grundskolans resultat", "elevhälsa", "skolskjuts", "fritidshem", "gymnasieskolans programutbud",
	"vuxenutbildning", "yrkesvux", "svenska för invandrare", "kulturskolan", "bibliotekens öppettider",
	"offentlig konst", "föreningsbidrag", "idrottsanläggningar", "simhallar", "spontanidrottsplatser",
	"parkförvaltning", "gatubelysning", "vinterväghållning", "cykelvägar", "kollektivtrafik", "parkeringsnormer",
	"dagvattenhantering", "klimatanpassning", "luftkvalitet", "buller", "livsmedelskontroll", "tillsyn enligt miljöbalken",
	"avfallshantering", "energieffektivisering", "solceller på kommunala tak", "hemtjänst", "särskilt boende",
	"äldreomsorgens bemanning", "LSS-boenden", "personlig assistans", "digitalisering av ärendehantering",
	"e-tjänster", "informationssäkerhet", "upphandling av livsmedel", "lokalförsörjning", "internkontroll",
	"budgetuppföljning", "investeringsplan", "taxor och avgifter", "brottsförebyggande arbete", "trygghetsvandringar",
	"civilsamhällets organisationer", "idéburet offentligt partnerskap", "barnkonventionen", "jämställdhetsintegrering",
	"tillgänglighet", "krisberedskap", "säkerhetsskydd", "bostadsanpassning", "hyresgästinflytande", "godmanskap",
}

var places = []string{
	"Rosengård", "Limhamn", "Hyllie", "Fosie", "Husie", "Oxie", "Kirseberg", "Västra hamnen", "Södra innerstaden",
	"Centrum", "Bunkeflostrand", "Slottsstaden", "Möllevången", "Lindängen", "Holma", "Kroksbäck", "Augustenborg",
	"Sorgenfri", "Nydala", "Hermodsdal", "Tygelsjö", "Klagshamn", "Bulltofta", "Värnhem", "Ribersborg", "Heleneholm",
	"Jägersro", "Segevång", "Kastanjegården", "Svågertorp",
}

var projects = []string{
	"Vägen till arbete", "Grön omställning", "Unga in", "Kompetenslyftet", "Trygg stad", "Hållbar mobilitet",
	"Digital inkludering", "Stärkt föräldraskap", "Cirkulär stad", "Nya vägar", "Kunskapsbron", "Framtidens välfärd",
}

var months = []string{"januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"}

// title is a case title of year for a board (its name, for the forms that name it).
func title(r *rand.Rand, board string, year int) string {
	topic, place := pick(r, topics), pick(r, places)
	if r.IntN(40) == 0 {
		proj := pick(r, projects)
		return pick(r, []string{
			"Ansökan om medel för EU-projekt " + proj,
			"Slutrapport för EU-projekt " + proj + " " + fmt.Sprint(year),
			"Medfinansiering av EU-projekt " + proj,
			"Lägesrapport EU-projekt " + proj + " i " + place,
		})
	}
	switch r.IntN(22) {
	case 0:
		return fmt.Sprintf("Delårsrapport %s %d", pick(r, []string{"april", "augusti"}), year)
	case 1:
		return fmt.Sprintf("Årsanalys och årsrapport %d för %s", year-1, board)
	case 2:
		return fmt.Sprintf("Internkontrollplan %d", year+1)
	case 3:
		return fmt.Sprintf("Yttrande över remiss om %s", topic)
	case 4:
		return fmt.Sprintf("Motion om %s i %s", topic, place)
	case 5:
		return fmt.Sprintf("Medborgarförslag om %s i %s", topic, place)
	case 6:
		return fmt.Sprintf("Redovisning av %s %d", topic, year)
	case 7:
		return fmt.Sprintf("Upphandling av %s", topic)
	case 8:
		return fmt.Sprintf("Riktlinjer för %s", topic)
	case 9:
		return fmt.Sprintf("Taxa för %s %d", topic, year+1)
	case 10:
		return fmt.Sprintf("Revisionsrapport om %s", topic)
	case 11:
		return fmt.Sprintf("Svar på skrivelse om %s i %s", topic, place)
	case 12:
		return fmt.Sprintf("Uppföljning av %s %s %d", topic, pick(r, months), year)
	case 13:
		return fmt.Sprintf("Handlingsplan för %s", topic)
	case 14:
		return fmt.Sprintf("Överenskommelse om %s med %s", topic, pick(r, []string{"Region Skåne", "Polisen", "Arbetsförmedlingen", "Försäkringskassan", "Trafikverket"}))
	case 15:
		return fmt.Sprintf("Lokalbehov för %s i %s", topic, place)
	case 16:
		return fmt.Sprintf("Ansökan om statsbidrag för %s %d", topic, year)
	case 17:
		return fmt.Sprintf("Detaljplan för del av %s", place)
	case 18:
		return fmt.Sprintf("Utredning om %s", topic)
	case 19:
		return fmt.Sprintf("Rapport om %s i %s", topic, place)
	case 20:
		return fmt.Sprintf("Förslag till mål för %s %d", topic, year+1)
	default:
		return fmt.Sprintf("Information om %s", topic)
	}
}

// report is the summary and background of a case about title.
func report(r *rand.Rand, title string, boardName string, year int) (summary, background string) {
	topic, place, other := pick(r, topics), pick(r, places), pick(r, topics)
	summary = fmt.Sprintf("Ärendet gäller %s. %s har under %d arbetat med %s, och förvaltningen redovisar här hur arbetet har gått och vad som återstår. %s",
		strings.ToLower(title), boardName, year, topic, pick(r, []string{
			"Kostnaderna ryms inom budgetramen.",
			"Förslaget innebär inga ökade kostnader för nämnden.",
			"Förslaget finansieras med statsbidrag.",
			"Förvaltningen bedömer att förslaget stärker barns rättigheter.",
			"Samråd har skett med de fackliga organisationerna.",
		}))
	background = fmt.Sprintf("Bakgrund\nNämnden gav %d förvaltningen i uppdrag att se över %s i %s. Arbetet har skett tillsammans med %s och berör även %s.\n\nFörvaltningens bedömning\n%s Uppföljning sker i samband med %s.",
		year-1, topic, place, pick(r, []string{"stadsområdesförvaltningarna", "Region Skåne", "civilsamhällets organisationer", "fastighets- och gatukontoret", "miljöförvaltningen"}),
		other, pick(r, []string{
			"Förvaltningen bedömer att insatserna har gett avsedd effekt och föreslår att arbetet fortsätter.",
			"Förvaltningen bedömer att arbetet behöver förstärkas under kommande år.",
			"Förvaltningen bedömer att nuvarande arbetssätt är ändamålsenligt.",
			"Förvaltningen föreslår att arbetet avslutas och att erfarenheterna tas tillvara i ordinarie verksamhet.",
		}), pick(r, []string{"delårsrapporten", "årsanalysen", "budgetuppföljningen", "nästa verksamhetsplan"}))
	return summary, background
}

// proposals are the förslag till beslut of a case, as a report writes them.
func proposals(r *rand.Rand, boardName, title string) []string {
	out := []string{fmt.Sprintf("%s föreslås besluta att godkänna %s.", boardName, pick(r, []string{
		"redovisningen", "förvaltningens förslag", "rapporten", "yttrandet som sitt eget", "riktlinjerna"}))}
	if r.IntN(2) == 0 {
		out = append(out, fmt.Sprintf("%s föreslås besluta att överlämna ärendet %s till kommunstyrelsen.", boardName, strings.ToLower(title)))
	}
	return out
}

var firstNames = []string{
	"Anna", "Eva", "Maria", "Karin", "Sara", "Lena", "Kerstin", "Emma", "Ingrid", "Malin", "Sofia", "Linnea", "Fatima", "Amira",
	"Erik", "Lars", "Karl", "Anders", "Johan", "Per", "Mikael", "Jonas", "Ahmed", "Mohammed", "Ali", "Nils", "Björn", "Oskar",
	"Åsa", "Örjan", "Märta", "Gösta", "Zeynep", "Dragana", "Milan", "Jelena", "Hanna", "Elin", "David", "Daniel", "Fredrik",
}

var lastNames = []string{
	"Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Svensson", "Gustafsson",
	"Pettersson", "Jonsson", "Jansson", "Hansson", "Bengtsson", "Lindberg", "Lindqvist", "Magnusson", "Lindström", "Holm",
	"Nyström", "Ström", "Ek", "Åberg", "Öberg", "Hussein", "Ali", "Yilmaz", "Kovačević", "Nowak", "Lindeberg", "Sjöberg",
}

// person is a made-up name.
func person(r *rand.Rand) string { return pick(r, firstNames) + " " + pick(r, lastNames) }

// mailbox is the local part of an address for a name: lower case ASCII.
func mailbox(name string) string {
	repl := strings.NewReplacer("å", "a", "ä", "a", "ö", "o", "é", "e", "č", "c", "ć", "c", " ", ".", "Å", "a", "Ä", "a", "Ö", "o")
	return repl.Replace(strings.ToLower(name))
}

func pick[T any](r *rand.Rand, list []T) T { return list[r.IntN(len(list))] }
