package db

import (
	"context"
	"strconv"
	"time"

	"github.com/kommun/beslutsgang/workflow"
)

// recipientsWithoutAddress are the recipients of open cases that have no
// address. It reads the open cases as a range of stage_rank and their
// recipients by key (CROSS JOIN keeps that order; c.number || ” keeps SQLite from
// walking every case in number order to spare the sort), not every
// recipient ever named (TestMailGapPlan).
var recipientsWithoutAddress = `SELECT r.name, '', c.number, b.code, 'Beslutet kan inte skickas till mottagaren: e-postadress saknas'
	FROM cases c CROSS JOIN case_recipients r ON r.case_id = c.id JOIN boards b ON b.id = c.board_id
	WHERE c.stage_rank < ` + strconv.Itoa(stageRank(workflow.StageClosed)) + ` AND r.email = '' ORDER BY c.number || '', r.pos`

// MailGap is someone the service should mail but cannot: the admin page lists
// them so the address can be added or the responsibility moved.
type MailGap struct {
	// recipient_without_address, inactive_responsible, board_without_secretary,
	// reminder_in_ui_only, member_without_address, failed_mail
	Kind   string `json:"kind"`
	Name   string `json:"name"`
	Email  string `json:"email,omitempty"`
	Case   string `json:"case,omitempty"` // the case, or the meeting of a meeting's deadline
	Board  string `json:"board,omitempty"`
	Detail string `json:"detail"`
}

// MailGaps lists the gaps: decision recipients without an address on open
// cases, open deadlines whose responsible person is deactivated, boards with no
// active secretary (approvals and stage deadlines reach nobody), reminders of
// the last 30 days that could only be shown in the UI, members of a body whom
// no kallelse reaches, and addresses whose mail failed for good.
func (s *Store) MailGaps(ctx context.Context) ([]MailGap, error) {
	since := fmtTime(s.now().Add(-30 * 24 * time.Hour))
	queries := []struct {
		kind, sql string
		args      []any
	}{
		{"recipient_without_address", recipientsWithoutAddress, nil},
		{"inactive_responsible", `SELECT u.name, u.email, ` + deadlineSubject + `, b.code, 'Ansvarig för en öppen bevakning (' || d.due || ') men inaktiverad'
			FROM deadlines d JOIN users u ON u.id = d.responsible_id` + deadlineOwner + `
			WHERE d.state = 'open' AND NOT u.active ORDER BY u.name, d.due`, nil},
		{"board_without_secretary", `SELECT b.name, '', '', b.code, 'Ingen aktiv nämndsekreterare: godkända ärenden och steg som inte flyttats meddelas ingen'
			FROM boards b WHERE NOT EXISTS (SELECT 1 FROM user_roles ur JOIN users u ON u.id = ur.user_id
				WHERE ur.board_id = b.id AND ur.role = 'secretary' AND u.active) ORDER BY b.code`, nil},
		{"reminder_in_ui_only", remindersInUIOnly, []any{since}},
		{"member_without_address", `SELECT m.name, '', '', b.code, 'Ledamot av ' || bd.name || ' utan e-postadress: kallelsen når inte fram'
			FROM body_members m JOIN bodies bd ON bd.id = m.body_id JOIN boards b ON b.id = bd.board_id
			WHERE m.active AND m.email = '' AND m.role <> 'staff' ORDER BY bd.code, m.name`, nil},
		{"failed_mail", `SELECT o.to_addr, o.to_addr, COALESCE(c.number, ''), COALESCE(b.code, ''), o.last_error
			FROM outbox o LEFT JOIN cases c ON c.id = o.case_id LEFT JOIN boards b ON b.id = c.board_id
			WHERE o.state = 'failed' ORDER BY o.id DESC LIMIT 200`, nil},
	}
	out := []MailGap{}
	for _, q := range queries {
		rows, err := s.r.QueryContext(ctx, q.sql, q.args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			g := MailGap{Kind: q.kind}
			if err := rows.Scan(&g.Name, &g.Email, &g.Case, &g.Board, &g.Detail); err != nil {
				rows.Close()
				return nil, err
			}
			out = append(out, g)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// remindersInUIOnly are the newest reminders since ?1 that were shown in the
// service only, by the partial index reminders_ui_sent (migration 0025), not
// a walk over every reminder ever sent.
var remindersInUIOnly = `SELECT COALESCE(u.name, ''), COALESCE(u.email, ''), ` + deadlineSubject + `, b.code, 'Påminnelse ' || r.on_date || ' visades bara i tjänsten'
	FROM reminders r JOIN deadlines d ON d.id = r.deadline_id` + deadlineOwner + `
	LEFT JOIN users u ON u.id = d.responsible_id
	WHERE r.channel = 'ui' AND r.sent_at >= ? ORDER BY r.sent_at DESC LIMIT 200`
