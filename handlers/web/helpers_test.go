package web_test

// The shared helpers (handlertest) by the short names the tests use.

import (
	"testing"

	"github.com/kommun/beslutsgang/handlers/internal/handlertest"
)

func TestMain(m *testing.M) { handlertest.Main(m) }

type (
	server         = handlertest.Server
	response       = handlertest.Response
	caseJSON       = handlertest.CaseJSON
	personJSON     = handlertest.PersonJSON
	stepJSON       = handlertest.StepJSON
	approverJSON   = handlertest.ApproverJSON
	attachmentJSON = handlertest.AttachmentJSON
	fingerprint    = handlertest.Fingerprint
	site           = handlertest.Site
	browser        = handlertest.Browser
	page           = handlertest.Page
	upload         = handlertest.Upload
	meetingSite    = handlertest.MeetingSite
)

const (
	secretNumber = handlertest.SecretNumber
	maxUpload    = handlertest.MaxUpload
	officer      = handlertest.Officer
	manager      = handlertest.Manager
	secretary    = handlertest.Secretary
	admin        = handlertest.Admin
	jonas        = handlertest.Jonas
	katarina     = handlertest.Katarina
	britt        = handlertest.Britt
)

var (
	secretWords      = handlertest.SecretWords
	freeWorkday      = handlertest.FreeWorkday
	extraMeetingCase = handlertest.ExtraMeetingCase
	soon             = handlertest.Soon
	now              = handlertest.Now
	startServer      = handlertest.StartServer
	startServerWith  = handlertest.StartServerWith
	wantProblem      = handlertest.WantProblem
	newSite          = handlertest.NewSite
	newSiteWith      = handlertest.NewSiteWith
	formOf           = handlertest.FormOf
	attrs            = handlertest.Attrs
	itoa             = handlertest.Itoa
	setMaxAttachment = handlertest.SetMaxAttachment
	regexpMust       = handlertest.RegexpMust
	loggedIn         = handlertest.LoggedIn
	findCase         = handlertest.FindCase
	responseOf       = handlertest.ResponseOf
	newMeetingSite   = handlertest.NewMeetingSite
	hashTables       = handlertest.HashTables
	meetingURL       = handlertest.MeetingURL
	dbOutboxAll      = handlertest.DBOutboxAll
	regexpFind       = handlertest.RegexpFind
)
