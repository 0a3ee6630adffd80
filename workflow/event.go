package workflow

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"
)

// Event is one entry in a case's history. Events are append-only and chained:
// each event's hash covers its content and the previous event's hash, so an
// altered row breaks the chain from that row on.
type Event struct {
	CaseNumber string          `json:"-"`
	Seq        int             `json:"seq"`
	At         time.Time       `json:"at"`
	Actor      Person          `json:"actor"`
	Action     string          `json:"action"`
	From       Stage           `json:"from_stage"`
	To         Stage           `json:"to_stage"`
	Reason     string          `json:"reason,omitempty"`
	Payload    json.RawMessage `json:"payload,omitempty"`
	PrevHash   string          `json:"prev_hash"`
	Hash       string          `json:"hash"`
}

// TimeLayout is how instants are stored and hashed: UTC with microseconds, so a
// time read back from the database hashes exactly as it did when written.
const TimeLayout = "2006-01-02T15:04:05.000000Z07:00"

// FormatTime writes t in TimeLayout.
func FormatTime(t time.Time) string { return t.UTC().Format(TimeLayout) }

// ComputeHash returns the hash of e chained to prev.
func (e Event) ComputeHash(prev string) string {
	payload := string(e.Payload)
	if payload == "" {
		payload = "null"
	}
	canon, _ := json.Marshal([]any{prev, e.CaseNumber, e.Seq, FormatTime(e.At),
		e.Actor.ID, e.Actor.Name, e.Action, e.From, e.To, e.Reason, payload})
	sum := sha256.Sum256(canon)
	return hex.EncodeToString(sum[:])
}

// EventLabels are the Swedish names of event actions for the history.
var EventLabels = map[string]string{
	"create":   "Skapat",
	"update":   "Ändrat",
	"attach":   "Bilaga tillagd",
	"submit":   "Inlämnat för godkännande",
	"approve":  "Godkänt",
	"reject":   "Återvisat till handläggaren",
	"advance":  "Flyttat till nästa steg",
	"postpone": "Bordlagt",
	"return":   "Återremitterat",
	"decide":   "Beslutat",
	"dispatch": "Expedierat",
	"close":    "Avslutat",
	"withdraw": "Återkallat",
	// Meetings note these on each case with a paragraph in the protokoll.
	"justering":          "Protokollet justerat",
	"anslag":             "Justeringen anslagen",
	"decision_corrected": "Beslutet rättat före justering",
	"legal_force":        "Laga kraft: överklagandetiden har gått ut",
	"published":          "Protokollet publicerat på webben",
	"deadline":           "Bevakning satt",
	"acknowledge":        "Bevakning kvitterad",
	// The e-archive export notes this once the package holding the case is complete.
	"delivered": "Levererat till e-arkivet",
}

func mustJSON(v any) json.RawMessage {
	if v == nil {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only plain maps and values are passed here
	}
	return b
}
