package doctest

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

// PDFSpec is a PDF to build: an A4 page, text in DejaVu Sans (as the
// protokoll is set, so å, ä and ö print), a running header and footer.
type PDFSpec struct {
	// Header is printed at the top of every page, a line each, in a smaller
	// size, e.g. "Tjänsteskrivelse", "ASN-2026-900". A "\t" in a line sets
	// its parts in columns as Columns does ("Exempelkommun\tTjänsteskrivelse").
	Header []string
	// Footer, if set, gives the lines at the bottom of page (1-based) of
	// pages, e.g. "Exempelkommun", "Sida 1 (2)"; "\t" as in Header.
	Footer func(page, pages int) []string
	// Blocks are the body, broken into pages where a page is full and at
	// each PageBreak.
	Blocks []Block
	// Margins in mm; zero is 25 left and right, 20 at the top and bottom.
	// The header is set inside the top margin's end, the footer in the
	// bottom margin.
	Left, Right, Top, Bottom float64
	// FontSize of the body in points; zero is 11.
	FontSize float64
}

const family = "DejaVuSans"

// pdfWriter is a PDF under construction.
type pdfWriter struct {
	pdf                      *fpdf.Fpdf
	left, right, top, bottom float64
	size, lineH              float64
	pageH                    float64
}

// PDF returns the bytes of the PDF spec describes. Its dates are fixed, so
// the same spec gives the same bytes.
func PDF(spec PDFSpec) []byte {
	regular, bold := fonts()
	w := &pdfWriter{
		pdf:   fpdf.New("P", "mm", "A4", ""),
		left:  orDefault(spec.Left, 25),
		right: orDefault(spec.Right, 25),
		top:   orDefault(spec.Top, 20),
		size:  orDefault(spec.FontSize, 11),
	}
	w.bottom = orDefault(spec.Bottom, 20)
	w.lineH = w.size * 0.43 // about Word's 1.15 line spacing
	_, w.pageH = w.pdf.GetPageSize()
	p := w.pdf
	p.AddUTF8FontFromBytes(family, "", regular)
	p.AddUTF8FontFromBytes(family, "B", bold)
	fixed := time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC)
	p.SetCreationDate(fixed)
	p.SetModificationDate(fixed)
	p.SetCatalogSort(true)
	p.SetCreator("doctest", true)
	p.SetMargins(w.left, w.top, w.right)
	p.SetAutoPageBreak(true, w.bottom)
	p.SetHeaderFunc(func() {
		if len(spec.Header) == 0 {
			return
		}
		p.SetY(w.top)
		for _, l := range spec.Header {
			w.columns(strings.Split(l, "\t"), w.size-2, "")
		}
		p.Ln(w.lineH)
	})
	p.SetFont(family, "", w.size)
	p.AddPage()
	for _, b := range spec.Blocks {
		b.pdf(w)
	}
	if spec.Footer != nil {
		n := p.PageCount()
		p.SetAutoPageBreak(false, 0)
		for page := 1; page <= n; page++ {
			p.SetPage(page)
			// fpdf writes a font into a page only when it changes, and each
			// page's stream needs its own: switch away and back.
			p.SetFont(family, "B", w.size-2)
			p.SetFont(family, "", w.size-2)
			p.SetY(w.pageH - w.bottom + 4)
			for _, l := range spec.Footer(page, n) {
				w.columns(strings.Split(l, "\t"), w.size-2, "")
			}
		}
	}
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		panic("doctest: " + err.Error())
	}
	return buf.Bytes()
}

func orDefault(v, d float64) float64 {
	if v == 0 {
		return d
	}
	return v
}

var (
	fontOnce            sync.Once
	fontRegular, fontBd []byte
)

// fonts returns DejaVu Sans, regular and bold, from protokoll/fonts: found
// from this file's path in the source tree, else from the working directory
// up (as under go test -trimpath).
func fonts() (regular, bold []byte) {
	fontOnce.Do(func() {
		var dirs []string
		if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
			dirs = append(dirs, filepath.Join(filepath.Dir(file), "..", "..", "protokoll", "fonts"))
		}
		if wd, err := os.Getwd(); err == nil {
			for d := wd; ; d = filepath.Dir(d) {
				dirs = append(dirs, filepath.Join(d, "protokoll", "fonts"))
				if filepath.Dir(d) == d {
					break
				}
			}
		}
		for _, d := range dirs {
			r, err1 := os.ReadFile(filepath.Join(d, "DejaVuSans.ttf"))
			b, err2 := os.ReadFile(filepath.Join(d, "DejaVuSans-Bold.ttf"))
			if err1 == nil && err2 == nil {
				fontRegular, fontBd = r, b
				return
			}
		}
	})
	if fontRegular == nil {
		panic("doctest: protokoll/fonts/DejaVuSans.ttf not found from the source tree or the working directory")
	}
	return fontRegular, fontBd
}

// room starts a new page unless h mm fit above the bottom margin.
func (w *pdfWriter) room(h float64) {
	if w.pdf.GetY()+h > w.pageH-w.bottom {
		w.pdf.AddPage()
	}
}

func (w *pdfWriter) width() float64 {
	pw, _ := w.pdf.GetPageSize()
	return pw - w.left - w.right
}

// columns sets one line of cells across the page: the first at the left
// margin, the last ending at the right margin, the others at even steps
// between.
func (w *pdfWriter) columns(cells []string, size float64, weight string) {
	p := w.pdf
	p.SetFont(family, weight, size)
	h := size * 0.5
	y := p.GetY()
	for i, c := range cells {
		switch {
		case i == 0:
			p.SetXY(w.left, y)
			p.CellFormat(w.width(), h, c, "", 0, "L", false, 0, "")
		case i == len(cells)-1:
			p.SetXY(w.left, y)
			p.CellFormat(w.width(), h, c, "", 0, "R", false, 0, "")
		default:
			p.SetXY(w.left+w.width()*float64(i)/float64(len(cells)-1), y)
			p.CellFormat(w.width(), h, c, "", 0, "L", false, 0, "")
		}
	}
	p.SetXY(w.left, y+h)
	p.SetFont(family, "", w.size)
}

// text sets text from x to the right margin, wrapped.
func (w *pdfWriter) text(x float64, text, weight string, size float64) {
	p := w.pdf
	p.SetFont(family, weight, size)
	p.SetX(x)
	p.MultiCell(w.width()-(x-w.left), size*0.5, strings.ReplaceAll(text, "\t", "    "), "", "L", false)
	p.SetFont(family, "", w.size)
}

func (t Para) pdf(w *pdfWriter) {
	weight := ""
	if t.Bold {
		weight = "B"
	}
	w.text(w.left, t.Text, weight, w.size)
}

func (h Heading) pdf(w *pdfWriter) {
	w.room(4 * w.lineH)
	w.pdf.Ln(w.lineH / 2)
	w.text(w.left, h.Text, "B", w.size+3)
	w.pdf.Ln(w.lineH / 4)
}

// list sets items with the label of each before it, indented by level.
func (w *pdfWriter) list(items []string, label func(level, n int) string) {
	var n [3]int
	for _, item := range items {
		level, text := depth(item)
		n[level]++
		for k := level + 1; k < len(n); k++ {
			n[k] = 0
		}
		x := w.left + 4 + 7*float64(level)
		w.room(w.lineH)
		w.pdf.SetX(x)
		w.pdf.CellFormat(7, w.lineH, label(level, n[level]), "", 0, "L", false, 0, "")
		w.text(x+7, text, "", w.size)
	}
}

func (l Numbered) pdf(w *pdfWriter) { w.list(l.Items, listNumber) }

func (l Bullets) pdf(w *pdfWriter) {
	w.list(l.Items, func(int, int) string { return "•" })
}

func (t Table) pdf(w *pdfWriter) {
	cols := 1
	for _, row := range t.Rows {
		cols = max(cols, len(row))
	}
	const gap = 4.0 // mm between columns
	p := w.pdf
	// Columns as wide as their widest cell, narrowed in proportion when the
	// table is wider than the page, as Word's "AutoFit to contents" does; a
	// cell that does not fit wraps within its column.
	widths := make([]float64, cols)
	least := make([]float64, cols) // the longest word: a column is not narrowed below it
	total, leastTotal := 0.0, 0.0
	for c := range cols {
		for _, row := range t.Rows {
			if c < len(row) && row[c] != MergeLeft && row[c] != MergeUp && (c+1 >= len(row) || row[c+1] != MergeLeft) {
				text := strings.ReplaceAll(row[c], "\n", " ")
				widths[c] = max(widths[c], p.GetStringWidth(text)+gap+3) // +3: the cell margins
				for _, word := range strings.Fields(text) {
					least[c] = max(least[c], p.GetStringWidth(word)+gap+3)
				}
			}
		}
		widths[c] = max(widths[c], 10)
		least[c] = min(max(least[c], 10), widths[c])
		total += widths[c]
		leastTotal += least[c]
	}
	if total > w.width() && total > leastTotal {
		k := max(w.width()-leastTotal, 0) / (total - leastTotal)
		for c := range widths {
			widths[c] = least[c] + (widths[c]-least[c])*k
		}
	}
	x := make([]float64, cols+1)
	x[0] = w.left
	for c := range cols {
		x[c+1] = x[c] + widths[c]
	}
	p.Ln(w.lineH / 2)
	for _, row := range t.Rows {
		type cell struct {
			lines []string
			align string
			c     int
			w     float64
		}
		var cells []cell
		height := 1
		for c := 0; c < len(row); c++ {
			if row[c] == MergeLeft {
				continue
			}
			span := 1
			for c+span < len(row) && row[c+span] == MergeLeft {
				span++
			}
			text := strings.ReplaceAll(row[c], "\n", " ")
			if text == MergeUp {
				text = ""
			}
			align := "L"
			if numeric(text) {
				align = "R"
			}
			cw := x[min(c+span, cols)] - x[c] - gap
			lines := p.SplitText(text, cw)
			height = max(height, len(lines))
			cells = append(cells, cell{lines, align, c, cw})
		}
		w.room(w.lineH * float64(height))
		y := p.GetY()
		for _, cl := range cells {
			for i, l := range cl.lines {
				p.SetXY(x[cl.c], y+w.lineH*float64(i))
				p.CellFormat(cl.w, w.lineH, l, "", 0, cl.align, false, 0, "")
			}
		}
		p.SetXY(w.left, y+w.lineH*float64(height))
	}
	p.Ln(w.lineH / 2)
}

func (c Columns) pdf(w *pdfWriter) {
	w.room(w.lineH)
	w.columns(c.Cells, w.size, "")
}

func (PageBreak) pdf(w *pdfWriter) { w.pdf.AddPage() }

func (Blank) pdf(w *pdfWriter) {
	w.room(w.lineH)
	w.pdf.Ln(w.lineH)
}
