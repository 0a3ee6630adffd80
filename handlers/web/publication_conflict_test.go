package web_test

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/protokoll"
	"github.com/kommun/beslutsgang/workflow"
)

// Two secretaries review the same protokoll: Erik saves his choices, then
// Karin publishes hers from the page she opened before. She is told in
// Swedish who saved other choices and when, with her own choices kept in
// the form, and nothing is published nor Erik's choices dropped; after
// reloading she publishes from his. Erik's old page then cannot save
// choices on top of her publication.
func TestPublishOverSavedChoicesIsAConflict(t *testing.T) {
	// A Chromium that notes each start and fails, so the fallback PDF is
	// used: a refused publication must not start it.
	started := filepath.Join(t.TempDir(), "started")
	chromium := filepath.Join(t.TempDir(), "chromium")
	if err := os.WriteFile(chromium, []byte("#!/bin/sh\necho started >> "+started+"\nexit 1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv(protokoll.ChromiumEnv, chromium)
	ms := newMeetingSite(t)
	ctx := context.Background()
	m, min := postedMeeting(ms)
	path := meetingURL(m.ID) + "/publicering"
	const karinEmail, karinPassword = "karin.sand@kommun.example", "karins-lösenord"
	if _, err := ms.Store.CreateUser(ctx, db.NewUser{Email: karinEmail, Name: "Karin Sand", Password: karinPassword,
		Grants: []workflow.Grant{{Board: m.Body.Board, Role: workflow.RoleSecretary}}}); err != nil {
		t.Fatal(err)
	}
	saved := time.Now().Truncate(time.Minute)
	ms.At(saved)
	erik, karin := ms.Login(secretary), ms.Browser()
	karin.Get("/login")
	if p := karin.Post("/login", url.Values{"email": {karinEmail}, "password": {karinPassword}, "next": {"/"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("Karin logs in: %d", p.Status)
	}
	erikPage, karinPage := erik.Get(path), karin.Get(path)
	karinPage.Has(t, `name="saved_version" value=""`, `value="publish"`)
	withheld := strconv.Itoa(min.Paragraphs[1].Number)
	chair := workflow.Adjusters(min.Attendees)[0].Member.Name

	erikForm := formOf(erikPage)
	erikForm.Set("withheld", withheld)
	erikForm.Set("action", "save")
	if p := erik.Post(path, erikForm); p.Status != http.StatusSeeOther {
		t.Fatalf("Erik saves: %d\n%s", p.Status, p.Body)
	}
	pending, ok, err := ms.Store.PendingRedaction(ctx, m.ID)
	if err != nil || !ok {
		t.Fatalf("Erik's saved choices: %v %v", ok, err)
	}

	ms.At(saved.Add(5 * time.Minute))
	karinForm := formOf(karinPage)
	karinForm.Set("names", chair)
	karinForm.Set("action", "publish")
	p := karin.Post(path, karinForm)
	if p.Status != http.StatusConflict {
		t.Fatalf("Karin publishes over Erik's saved choices: %d\n%s", p.Status, p.Body)
	}
	local := saved.In(workflow.Stockholm)
	p.Has(t, "Erik Nyström sparade andra val för protokollet från", "den "+local.Format("2006-01-02")+" kl. "+local.Format("15:04"),
		"protokollet har inte publicerats. Ladda om sidan och se över valen", `name="saved_version" value=""`)
	// Her own choices stay in the form: the name, and no paragraph ticked.
	if got := p.TextareaValue("names"); got != chair {
		t.Errorf("the form lost Karin's names: %q", got)
	}
	if got := formOf(p)["withheld"]; len(got) != 0 {
		t.Errorf("the form shows Erik's paragraphs, not Karin's: %v", got)
	}
	if n := publicationRows(ms, m.ID); n != 1 {
		t.Errorf("rows after the refused publication: %d, want Erik's saved choices alone", n)
	}
	if now, ok, _ := ms.Store.PendingRedaction(ctx, m.ID); !ok || now.ID != pending.ID || db.SavedVersion(now) != db.SavedVersion(pending) {
		t.Errorf("Erik's saved choices changed: %+v", now)
	}
	if p := ms.Browser().Get(workflow.PublicPath(m)); p.Status != http.StatusNotFound {
		t.Errorf("the refused publication is public: %d", p.Status)
	}
	if _, err := os.Stat(started); err == nil {
		t.Error("the refused publication started Chromium")
	}
	// Pressed again from the same form: still refused, until she reloads.
	again := formOf(p)
	again.Set("action", "publish")
	if p := karin.Post(path, again); p.Status != http.StatusConflict {
		t.Errorf("Publicera pressed again on the refused form: %d", p.Status)
	}

	reloaded := karin.Get(path)
	reloaded.Has(t, `name="saved_version" value="`+db.SavedVersion(pending)+`"`, `value="`+withheld+`" checked`, "av Erik Nyström")
	form := formOf(reloaded)
	form.Set("action", "publish")
	if p := karin.Post(path, form); p.Status != http.StatusSeeOther {
		t.Fatalf("Karin publishes from the reloaded page: %d\n%s", p.Status, p.Body)
	}
	pubs, err := ms.Store.Publications(ctx, m.ID)
	if err != nil || len(pubs) != 1 || pubs[0].PublishedBy.Name != "Karin Sand" || len(pubs[0].Withheld) != 1 {
		t.Fatalf("publications: %+v %v", pubs, err)
	}
	if _, err := os.Stat(started); err != nil {
		t.Errorf("the publication did not try Chromium (the test's fake): %v", err)
	}

	// Erik's page from before her publication cannot save on top of it.
	erikForm.Set("withheld", strconv.Itoa(min.Paragraphs[0].Number))
	p = erik.Post(path, erikForm)
	if p.Status != http.StatusConflict {
		t.Fatalf("Erik saves from a page older than the publication: %d\n%s", p.Status, p.Body)
	}
	p.Has(t, "har publicerats av Karin Sand", "dina val har inte sparats", "Ladda om sidan")
	if _, ok, _ := ms.Store.PendingRedaction(ctx, m.ID); ok || publicationRows(ms, m.ID) != 1 {
		t.Error("the refused save was kept")
	}
	if !strings.Contains(p.Body, `value="`+strconv.Itoa(min.Paragraphs[0].Number)+`" checked`) {
		t.Error("the form lost Erik's choices")
	}
}
