package db

import "context"

// agendaProposals is the förslag till beslut of each case on a meeting's
// agenda, by case number, in order. A case marked secret has none here: every
// copy of a föredragningslista names it by number only.
func agendaProposals(ctx context.Context, q queryer, meetingID int64) (map[string][]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT c.number, p.text FROM agenda_items a JOIN cases c ON c.id = a.case_id
		JOIN case_proposals p ON p.case_id = c.id
		WHERE a.meeting_id = ? AND NOT c.secret ORDER BY c.number, p.pos`, meetingID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var number, text string
		if err := rows.Scan(&number, &text); err != nil {
			return nil, err
		}
		out[number] = append(out[number], text)
	}
	return out, rows.Err()
}

// AgendaProposals is the förslag till beslut of the cases on a meeting's
// agenda, by case number, for its föredragningslista. It holds nothing of a
// case marked secret, so it is the same for every reader.
func (r Reader) AgendaProposals(ctx context.Context, meetingID int64) (map[string][]string, error) {
	return agendaProposals(ctx, r.s.r, meetingID)
}
