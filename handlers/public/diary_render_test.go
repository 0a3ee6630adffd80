package public

import (
	"bytes"
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/workflow"
)

// BenchmarkRenderDiaryPage draws a page of 50 cases of the public diary,
// with 14 boards and 8 years to choose from, inside the layout: what
// GET /diarium costs besides its reads.
func BenchmarkRenderDiaryPage(b *testing.B) {
	views := httpx.PageViews()
	p := &diaryPage{Query: url.Values{}, Filter: db.DiaryFilter{Page: 1, PerPage: diaryPerPage}}
	for i := range 14 {
		p.Boards = append(p.Boards, workflow.Board{ID: int64(i), Code: fmt.Sprintf("N%d", i), Name: fmt.Sprintf("Nämnd nummer %d", i)})
	}
	for y := range 8 {
		p.Years = append(p.Years, 2026-y)
	}
	for i := range diaryPerPage {
		e := db.DiaryEntry{Number: fmt.Sprintf("ASN-2026-%d", 1000+i), Board: "ASN", BoardName: "Arbetsmarknads- och socialnämnden",
			Registered: workflow.Today(time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)), Title: "Medfinansiering av EU-projekt för unga & vuxna", Stage: workflow.StageBoard, Officer: "Anna Andersson"}
		if i%10 == 0 {
			e.Title, e.Withheld, e.Officer = workflow.WithheldText, true, ""
		}
		p.Result.Items = append(p.Result.Items, e)
	}
	p.Result.Total, p.Result.TotalCapped, p.Result.Page, p.Result.PerPage = 10000, true, 1, diaryPerPage
	p.Pager = httpx.NewPager(1, 10000, true, diaryPerPage, &db.Cursor{ID: 5}, nil, &db.Cursor{Back: true}, p.pageLink)
	v := &httpx.View{Title: "Diarium", Section: "diary", Page: p}
	var out bytes.Buffer
	for b.Loop() {
		out.Reset()
		if err := views.Render(&out, "diary", v, "layout"); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(out.Len()), "bytes/page")
}
