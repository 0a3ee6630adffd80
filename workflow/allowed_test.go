package workflow

import (
	"slices"
	"testing"
)

// Allowed offers exactly the actions Apply accepts (input aside): for every
// case state, person and action, an offered action is never refused for its
// stage or person, and a refused one is never offered.
func TestAllowedIsWhatApplyAccepts(t *testing.T) {
	awaiting := decidedCase(t)
	awaiting.Decision.Paragraph, awaiting.Decision.AwaitsJustering = "§ 12", true
	justerat := decidedCase(t)
	justerat.Decision.Paragraph = "§ 12"
	states := map[string]Case{
		"draft": draftCase(t), "approval": approvalCase(t, 1), "presidium": presidiumCase(t),
		"working committee": workingCommitteeCase(t), "board": boardCase(t), "decided": decidedCase(t),
		"decided at a meeting, protokoll not justerat": awaiting, "decided at a meeting, justerat": justerat,
		"executive board": executiveBoardCase(t), "closed": closedCase(t), "withdrawn": withdrawnCase(t),
	}
	for name, c := range states {
		for _, tu := range tableUsers {
			offered := Allowed(&c, tu.user)
			for _, a := range Actions {
				_, err := Apply(c, Command{Action: a, Version: c.Version}, envFor(tu.user))
				accepted := err == nil || ErrorCode(err) == EINVALID
				if accepted != slices.Contains(offered, a) {
					t.Errorf("%s, %s, %s: offered %v, but Apply says %v", name, tu.name, a, slices.Contains(offered, a), err)
				}
			}
		}
	}
	if slices.Contains(Allowed(&awaiting, secretary), ActDispatch) || !slices.Contains(Allowed(&justerat, secretary), ActDispatch) {
		t.Error("dispatch must wait for the protokoll's justering, and only for it")
	}
}
