package db

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/kommun/beslutsgang/workflow"
)

// Notice is what a kallelse carries: the meeting, its agenda with the
// förslag till beslut of its cases, the members it goes to and the secretary
// who sends it.
type Notice struct {
	Meeting workflow.Meeting
	Agenda  []AgendaItem
	// Proposals are the förslag till beslut of the agenda's cases by number;
	// a case marked secret has none (see agendaProposals).
	Proposals map[string][]string
	// To are the members with an e-mail address. The UserID of each is the
	// user who reads mail at that address and can log in (accountOf), or 0:
	// only such a member gets links to pages behind the login.
	To        []workflow.Member
	Secretary workflow.Person
}

// NoticeComposer writes a meeting's kallelse to one member; notify.Composer
// implements it. A Composer without it queues no kallelse.
type NoticeComposer interface {
	ComposeNotice(n Notice, to workflow.Member) (Mail, error)
}

// Notice gathers the kallelse of a meeting as it would go out now.
func (s *Store) Notice(ctx context.Context, id int64) (Notice, error) {
	return noticeOf(ctx, s.r, id)
}

func noticeOf(ctx context.Context, q queryer, id int64) (Notice, error) {
	m, err := meetingByID(ctx, q, id)
	if err != nil {
		return Notice{}, err
	}
	items, err := agenda(ctx, q, id)
	if err != nil {
		return Notice{}, err
	}
	members, err := membersOf(ctx, q, m.Body.ID)
	if err != nil {
		return Notice{}, err
	}
	proposals, err := agendaProposals(ctx, q, id)
	if err != nil {
		return Notice{}, err
	}
	n := Notice{Meeting: m, Agenda: items, Proposals: proposals}
	for _, mb := range members {
		if mb.Email == "" {
			continue
		}
		if mb.UserID, err = accountOf(ctx, q, mb.Email, mb.UserID); err != nil {
			return Notice{}, err
		}
		n.To = append(n.To, mb)
	}
	return n, nil
}

// queueNotice puts the kallelse of m in the outbox for each member with an
// address, in the transaction that records it as sent. The key names the
// meeting and the address, so the kallelse goes to each person once.
func (s *Store) queueNotice(ctx context.Context, tx *sql.Tx, m workflow.Meeting, actor workflow.User, now time.Time) error {
	nc, ok := s.Composer.(NoticeComposer)
	if !ok {
		return nil
	}
	n, err := noticeOf(ctx, tx, m.ID)
	if err != nil {
		return err
	}
	n.Meeting, n.Secretary = m, actor.Person()
	for _, to := range n.To {
		mail, err := nc.ComposeNotice(n, to)
		if err != nil {
			return fmt.Errorf("compose kallelse to %s: %w", to.Email, err)
		}
		key := fmt.Sprintf("meeting/%d/notice/%s", m.ID, strings.ToLower(to.Email))
		if _, err := queueMail(ctx, tx, key, 0, "notice", mail, now); err != nil {
			return err
		}
	}
	return nil
}
