package intake

import (
	"fmt"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/internal/doctest"
)

// footer is "Exempelkommun" and "Sida N (M)", as most templates print it.
func footer(page, pages int) []string {
	return []string{"Exempelkommun", fmt.Sprintf("Sida %d (%d)", page, pages)}
}

// seedBlocks is the seed's tjänsteskrivelse as a Word document holds it,
// made from its text's parse: headings, numbered proposals, bullets, the EU
// table as a table and Ansvariga in columns.
func seedBlocks(t testing.TB) []doctest.Block {
	r, err := Parse(readSeed(t))
	if err != nil {
		t.Fatal(err)
	}
	b := []doctest.Block{doctest.Para{Text: "Tjänsteskrivelse"}, doctest.Heading{Text: r.Title}, doctest.Para{Text: r.Number},
		doctest.Heading{Text: "Sammanfattning"}, doctest.Para{Text: r.Summary},
		doctest.Heading{Text: "Förslag till beslut"}, doctest.Numbered{Items: r.Proposals},
		doctest.Heading{Text: "Beslutsunderlag"}, doctest.Bullets{Items: r.Attachments},
		doctest.Heading{Text: "Beslutsplanering"}}
	for _, l := range r.Route {
		b = append(b, doctest.Para{Text: l.Body + " " + l.Date})
	}
	b = append(b, doctest.Heading{Text: "Beslutet skickas till"})
	for _, x := range r.Recipients {
		b = append(b, doctest.Para{Text: x})
	}
	b = append(b, doctest.Heading{Text: "Ärendet"})
	for _, block := range strings.Split(r.Background, "\n\n") {
		lines := strings.Split(block, "\n")
		switch {
		case strings.HasPrefix(block, "- "):
			var items []string
			for _, l := range lines {
				items = append(items, strings.TrimPrefix(l, "- "))
			}
			b = append(b, doctest.Bullets{Items: items})
		case len(lines) > 2 && strings.HasPrefix(lines[1], "|"):
			var rows [][]string
			for i, l := range lines[1:] {
				if i == 1 {
					continue // the delimiter row
				}
				rows = append(rows, pipeCells(l))
			}
			b = append(b, doctest.Table{Rows: rows})
		default:
			b = append(b, doctest.Para{Text: block})
		}
	}
	b = append(b, doctest.Heading{Text: "Ansvariga"})
	for _, p := range r.Responsible {
		b = append(b, doctest.Columns{Cells: []string{p.Name, p.Title}})
	}
	return b
}

// corpus is the corpus's documents. Each is an instance of a layout real
// municipalities use; the texts are invented.
func corpus(t *testing.T) []corpusDoc {
	return []corpusDoc{
		{name: "seed-text", kind: "txt", text: readSeed(t)},
		{name: "seed-docx", kind: "docx", docx: seedBlocks(t)},
		{name: "seed-pdf", kind: "pdf", pdf: doctest.PDFSpec{Header: []string{"Tjänsteskrivelse\tASN-2019-17886"}, Footer: footer,
			Blocks: withBlanks(seedBlocks(t)[1:])}},

		// Issue 12, first example: a page break inside Förslag till beslut,
		// footer and a repeated header around it, also in Sammanfattning.
		{name: "pagebreak-proposals", kind: "txt", text: "Tjänsteskrivelse\nASN-2026-900\n\nStöd till föreningar 2027\n\n" +
			"Sammanfattning\nFörvaltningen föreslår att stödet till föreningar för 2027 fördelas enligt\n\n" +
			"Exempelkommun\nSida 1 (3)\n\fTjänsteskrivelse\nASN-2026-900\n\nde riktlinjer nämnden antog 2024.\n\n" +
			"Förslag till beslut\n1. Arbetsmarknads- och socialnämnden föreslås besluta att fördela stödet\n\n" +
			"Exempelkommun\nSida 2 (3)\n\fTjänsteskrivelse\nASN-2026-900\n\n" +
			"enligt bilaga 1.\n2. Arbetsmarknads- och socialnämnden förklarar paragrafen omedelbart justerad.\n\n" +
			"Beslutsplanering\nASN arbetsutskott 2027-01-14\nArbetsmarknads- och socialnämnden 2027-01-28\n\n" +
			"Ärendet\nFöreningar söker stöd varje höst.\n\nExempelkommun\nSida 3 (3)\n"},
		{name: "pagebreak-proposals-pdf", kind: "pdf", pdf: doctest.PDFSpec{Header: []string{"Tjänsteskrivelse", "ASN-2026-900"}, Footer: footer,
			Blocks: []doctest.Block{doctest.Heading{Text: "Stöd till föreningar 2027"}, doctest.Blank{},
				doctest.Heading{Text: "Sammanfattning"}, doctest.Para{Text: "Förvaltningen föreslår att stödet till föreningar för 2027 fördelas enligt de riktlinjer nämnden antog 2024."}, doctest.Blank{},
				doctest.Heading{Text: "Förslag till beslut"},
				doctest.Numbered{Items: []string{"Arbetsmarknads- och socialnämnden föreslås besluta att fördela stödet"}},
				doctest.PageBreak{},
				doctest.Para{Text: "      enligt bilaga 1."},
				doctest.Numbered{Items: []string{"Arbetsmarknads- och socialnämnden förklarar paragrafen omedelbart justerad."}},
				doctest.Blank{}, doctest.Heading{Text: "Ärendet"}, doctest.Para{Text: "Föreningar söker stöd varje höst."}}}},

		// Second example: a stamp over the name, "Name, title".
		{name: "signerad-docx", kind: "docx", docx: []doctest.Block{
			doctest.Para{Text: "Tjänsteskrivelse"}, doctest.Heading{Text: "Uppföljning av försörjningsstöd 2026"}, doctest.Para{Text: "Dnr ASN-2026-311"},
			doctest.Heading{Text: "Förslag till beslut"}, doctest.Numbered{Items: []string{"Arbetsmarknads- och socialnämnden föreslås besluta att godkänna uppföljningen."}},
			doctest.Heading{Text: "Ansvariga"},
			doctest.Para{Text: "SIGNERAD"}, doctest.Para{Text: "Jonas Magnusson, enhetschef"},
			doctest.Para{Text: "SIGNERAD 2026-03-02"}, doctest.Para{Text: "Katarina Lindeberg, avdelningschef"}}},

		// Third example: undated route rows.
		{name: "undated-route", kind: "txt", text: "Tjänsteskrivelse\n2026-05-04\nASN-2026-412\nRiktlinjer för ekonomiskt bistånd\n\n" +
			"Förslag till beslut\nArbetsmarknads- och socialnämnden föreslås besluta att anta riktlinjerna.\n\n" +
			"Beslutsplanering\nASN arbetsutskott\nArbetsmarknads- och socialnämnden\n\n" +
			"Beslutet skickas till\nKommunstyrelsen, Revisionen\n\nAnsvariga\nBritt-Marie Pettersson\nFörvaltningschef\n"},

		// Fourth example: date, Dnr and addressee before the title, layout columns.
		{name: "ks-dnr-first", kind: "pdf", pdf: doctest.PDFSpec{Footer: footer, Blocks: []doctest.Block{
			doctest.Columns{Cells: []string{"TJÄNSTESKRIVELSE", "2017-03-01"}},
			doctest.Columns{Cells: []string{"", "Dnr KS/2017:96"}},
			doctest.Para{Text: "Kommunstyrelsen"}, doctest.Blank{},
			doctest.Heading{Text: "Revidering av delegationsordning för kommunstyrelsen"}, doctest.Blank{},
			doctest.Heading{Text: "Förslag till beslut"},
			doctest.Para{Text: "Kommunstyrelsen föreslås besluta"},
			doctest.Para{Text: "att anta reviderad delegationsordning, och"},
			doctest.Para{Text: "att upphäva delegationsordningen från 2015."}, doctest.Blank{},
			doctest.Heading{Text: "Beslutsplanering"},
			doctest.Columns{Cells: []string{"Kommunstyrelsens arbetsutskott", "2017-03-15"}},
			doctest.Columns{Cells: []string{"Kommunstyrelsen", "2017-04-05"}}, doctest.Blank{},
			doctest.Heading{Text: "Ärendet"},
			doctest.Para{Text: "Delegationsordningen behöver anpassas till den nya organisationen."}, doctest.Blank{},
			doctest.Heading{Text: "Ansvariga"},
			doctest.Columns{Cells: []string{"Anna Berg", "Kommundirektör"}}}}},

		// "att" clauses in capitals' style, headings in capitals, other aliases.
		{name: "att-clauses-caps", kind: "txt", text: "TJÄNSTEUTLÅTANDE\nDnr KS 2018/124\nSida 1 (1)\n\nMedborgarbudget i stadsdelarna\n\n" +
			"SAMMANFATTNING\nStadsledningskontoret föreslår en försöksverksamhet med medborgarbudget.\n\n" +
			"FÖRSLAG TILL BESLUT\nKommunstyrelsen föreslår att kommunfullmäktige beslutar\n" +
			"att genomföra en försöksverksamhet med medborgarbudget under 2019,\n" +
			"att avsätta 2 mnkr för försöket, samt\natt uppdra åt kommunstyrelsen att utvärdera försöket.\n\n" +
			"ÄRENDEBESKRIVNING\nFlera städer har prövat medborgarbudget.\n\n" +
			"BESLUTET SKA SKICKAS TILL\nStadsdelsnämnderna\nStadsledningskontoret\n"},

		// Year first: "2023/KS 0362", signatures side by side.
		{name: "side-by-side-signatures", kind: "pdf", pdf: doctest.PDFSpec{Header: []string{"Kommunledningskontoret\t2023/KS 0362"}, Footer: footer, Blocks: []doctest.Block{
			doctest.Heading{Text: "Tjänsteskrivelse"}, doctest.Heading{Text: "Handlingsplan mot segregation"}, doctest.Blank{},
			doctest.Heading{Text: "Förslag till beslut"}, doctest.Numbered{Items: []string{"Kommunstyrelsen föreslås besluta att anta handlingsplanen."}}, doctest.Blank{},
			doctest.Heading{Text: "Ärendet"}, doctest.Para{Text: "Handlingsplanen bygger på dialog med civilsamhället."}, doctest.Blank{},
			doctest.Heading{Text: "Ansvariga"},
			doctest.Columns{Cells: []string{"Anna Berg", "Erik Lund"}},
			doctest.Columns{Cells: []string{"Kommundirektör", "Utvecklingsstrateg"}}}}},

		// Numbered headings, "KS-2014/742.912", bulleted proposals after "… besluta att".
		{name: "numbered-headings", kind: "docx", docx: []doctest.Block{
			doctest.Para{Text: "Tjänsteskrivelse\tKS-2014/742.912"}, doctest.Heading{Text: "Ny taxa för bygglov"},
			doctest.Heading{Text: "1. Sammanfattning"}, doctest.Para{Text: "Taxan har inte ändrats sedan 2011."},
			doctest.Heading{Text: "2. Förslag till beslut"}, doctest.Para{Text: "Kommunstyrelsen föreslås besluta att"},
			doctest.Bullets{Items: []string{"anta ny taxa för bygglov,", "låta taxan gälla från den 1 januari 2015."}},
			doctest.Heading{Text: "3. Ärendet"}, doctest.Para{Text: "Plan- och bygglagen tillåter avgifter för bygglov."},
			doctest.Heading{Text: "4. Beslutsplanering"}, doctest.Para{Text: "Kommunstyrelsens arbetsutskott, 12 november 2014"}, doctest.Para{Text: "Kommunstyrelsen, 3 december 2014"}}},

		// "IFN 2018/00256-1.6.1", a layout table with a wrapped cell and a wrong total.
		{name: "ifn-table-total", kind: "pdf", pdf: doctest.PDFSpec{Header: []string{"Individ- och familjenämnden\tIFN 2018/00256-1.6.1"}, Footer: footer, Blocks: []doctest.Block{
			doctest.Para{Text: "Tjänsteskrivelse"}, doctest.Heading{Text: "Kostnader för placeringar 2018"}, doctest.Blank{},
			doctest.Heading{Text: "Förslag till beslut"}, doctest.Numbered{Items: []string{"Individ- och familjenämnden föreslås besluta att lägga redovisningen till handlingarna."}}, doctest.Blank{},
			doctest.Heading{Text: "Ärendet"}, doctest.Para{Text: "Kostnaderna per placeringsform framgår av tabellen."}, doctest.Blank{},
			doctest.Para{Text: "Kostnader per placeringsform"},
			doctest.Table{Rows: [][]string{
				{"Placeringsform", "Antal", "Kostnad"},
				{"Familjehem", "42", "12 400 000 kr"},
				{"HVB för barn och unga med särskilda behov", "9", "18 250 000 kr"},
				{"Stödboende", "5", "2 100 000 kr"},
				{"Summa", "56", "32 700 000 kr"}}},
			doctest.Blank{}, doctest.Para{Text: "Kostnaderna har ökat jämfört med 2017."}}}},

		// A prose line in Beslutsplanering, and a heading with its text after the colon.
		{name: "route-reference-inline", kind: "txt", text: "Tjänsteskrivelse\r\nKS 2019/1044\r\nBudget för överförmyndaren 2020\r\n\r\n" +
			"Förslag till beslut: Kommunstyrelsen föreslås besluta att godkänna budgeten.\r\n\r\n" +
			"Beslutsplanering\r\nKommunstyrelsens arbetsutskott har berett ärendet 190912, § 200.\r\nKommunstyrelsen 2019-10-02\r\nKommunfullmäktige\r\n\r\n" +
			"Ärendet\r\nÖverförmyndaren lämnar budget varje höst.\r\n"},

		// A Word document with a page break, a table and a numbered list.
		{name: "docx-table-pagebreak", kind: "docx", docx: []doctest.Block{
			doctest.Para{Text: "TJÄNSTESKRIVELSE"}, doctest.Para{Text: "Datum: 2026-09-01"}, doctest.Para{Text: "Diarienummer: ASN-2026-77"},
			doctest.Heading{Text: "Delårsrapport augusti 2026"},
			doctest.Heading{Text: "Förslag till beslut"}, doctest.Numbered{Items: []string{"Nämnden föreslås besluta att godkänna delårsrapporten.", "Nämnden föreslås besluta att överlämna rapporten till kommunstyrelsen."}},
			doctest.Heading{Text: "Bakgrund"}, doctest.Para{Text: "Resultatet per verksamhet:"},
			doctest.Table{Rows: [][]string{{"Verksamhet", "Budget, tkr", "Utfall, tkr"}, {"Försörjningsstöd", "310 000", "322 500"}, {"Arbetsmarknad", "95 000", "90 100"}, {"Totalt", "405 000", "412 600"}}},
			doctest.PageBreak{},
			doctest.Heading{Text: "Beslutsplanering"}, doctest.Para{Text: "ASN presidieberedning 2026-09-10"}, doctest.Para{Text: "ASN arbetsutskott 2026-09-17"}, doctest.Para{Text: "Arbetsmarknads- och socialnämnden 2026-09-30"},
			doctest.Heading{Text: "Ansvariga"}, doctest.Columns{Cells: []string{"Jonas Magnusson", "Enhetschef"}}}},

		// No proposals, no title: the reader says so, and names both.
		{name: "missing-parts", kind: "txt", text: "Tjänsteskrivelse\nASN-2026-5\n\nSammanfattning\nEtt utkast utan förslag.\n"},

		// Chromium's print to PDF with its own header (date, page title) and
		// footer (the page's address, "1/3"), "att" clauses, list items
		// without bullets, signatures side by side under SIGNERAD stamps, a
		// table whose total is wrong.
		{name: "chromium-print-header-footer.pdf", kind: "file"},
		// A DOCX written by a script (Python's zipfile), not by Word.
		{name: "python-zipfile.docx", kind: "file"},

		// Plain text typed by hand, headings in lower case, persons by tab, a bad date.
		{name: "typed-lowercase", kind: "txt", text: "Ärende om föreningsbidrag\n\nförslag till beslut\n1) Bevilja bidraget\n\n" +
			"beslutsplanering\n• ASN arbetsutskott 2026-02-30\n• Arbetsmarknads- och socialnämnden 2026-03-12\n\n" +
			"ansvariga\nAnna Andersson\tEnhetschef\nBo Ek Avdelningschef\n"},
	}
}

// withBlanks puts an empty paragraph after each paragraph, heading and
// list, as a document with spacing between paragraphs reads in pdftotext.
func withBlanks(blocks []doctest.Block) []doctest.Block {
	var out []doctest.Block
	for _, b := range blocks {
		out = append(out, b)
		switch b.(type) {
		case doctest.Para, doctest.Numbered, doctest.Bullets, doctest.Table:
			out = append(out, doctest.Blank{})
		}
	}
	return out
}
