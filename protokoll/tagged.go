package protokoll

import (
	"context"
	"errors"
	"fmt"
	"html"
	"os"
	"os/exec"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// The published protokoll is a document of a public body on its website, so
// lag (2018:1937) om tillgänglighet till digital offentlig service asks that
// it be accessible (EN 301 549 10.x; for PDF that means PDF/UA, ISO
// 14289-1: a tagged PDF with a structure tree, a language and a title).
// fpdf cannot tag, so the public PDF is printed from the public protokoll's
// HTML by headless Chromium, whose Page.printToPDF writes a tagged PDF
// (generateTaggedPDF) with an outline from the headings. Starting Chromium
// costs a second or more, so it runs once, when the secretary publishes,
// and the bytes are stored with the publication.

// TaggedTimeout bounds one tagged PDF: starting Chromium, setting the page
// and printing it.
const TaggedTimeout = 60 * time.Second

// ChromiumEnv names the environment variable that points at a Chromium
// binary (as the browser tests use it); "off" uses none.
const ChromiumEnv = "BESLUTSGANG_CHROMIUM"

// FindChromium returns the Chromium to print tagged PDFs with:
// BESLUTSGANG_CHROMIUM when set ("off": none), else the first of chromium,
// chromium-browser, google-chrome and headless-shell on PATH; "" when there
// is none, and the untagged fallback (Public) is used.
func FindChromium() string {
	if p := os.Getenv(ChromiumEnv); p != "" {
		if p == "off" {
			return ""
		}
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// TaggedPDF prints a whole HTML document (with <html lang>, <title>,
// headings in order, real lists and tables, its style inline) to a tagged
// A4 PDF with the headless Chromium at chromium. The browser gets a fresh
// profile, no network (every host resolves to nothing) and no script, and
// it is stopped before TaggedPDF returns; it is given at most TaggedTimeout.
// footer is set at the foot of every page, with "sida n av N".
func TaggedPDF(ctx context.Context, chromium, doc, footer string) ([]byte, error) {
	if chromium == "" {
		return nil, errors.New("protokoll: no Chromium for a tagged PDF")
	}
	ctx, cancel := context.WithTimeout(ctx, TaggedTimeout)
	defer cancel()
	dir, err := os.MkdirTemp("", "beslutsgang-pdf-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.UserDataDir(dir),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-pings", true),
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND"),
		chromedp.Flag("blink-settings", "scriptEnabled=false"),
		chromedp.Flag("lang", "sv-SE"),
	)
	if os.Geteuid() == 0 {
		// Chromium will not start as root with its sandbox; the page is our
		// own, without script or network.
		opts = append(opts, chromedp.NoSandbox)
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(alloc)
	defer cancelBrowser()
	err = chromedp.Do(bctx, chromedp.Navigate("about:blank"), chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		tree, err := cdp.Call(ctx, t, page.GetFrameTree, cdp.Empty{})
		if err != nil {
			return err
		}
		_, err = cdp.Call(ctx, t, page.SetDocumentContent, page.SetDocumentContentParams{FrameID: tree.FrameTree.Frame.ID, HTML: doc})
		return err
	}))
	if err != nil {
		return nil, fmt.Errorf("protokoll: Chromium: %w", err)
	}
	yes, margin := true, 0.8 // inches: room for the footer
	pdf, err := chromedp.Run(bctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4), func(p *page.PrintToPDFParams) {
		p.GenerateTaggedPDF, p.GenerateDocumentOutline = &yes, &yes
		p.MarginTop, p.MarginBottom, p.MarginLeft, p.MarginRight = &margin, &margin, &margin, &margin
		p.DisplayHeaderFooter = &yes
		p.HeaderTemplate = `<span></span>`
		p.FooterTemplate = `<div style="font-size:8pt;width:100%;text-align:center;font-family:'DejaVu Sans',sans-serif">` +
			html.EscapeString(printable(footer)) + ` – sida <span class="pageNumber"></span> av <span class="totalPages"></span></div>`
	}))
	if err != nil {
		return nil, fmt.Errorf("protokoll: Chromium: %w", err)
	}
	return pdf, nil
}
