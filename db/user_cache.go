package db

import (
	"sync"
	"time"

	"github.com/kommun/beslutsgang/workflow"
)

// userCacheTTL is how long an authenticated user, as read for a request, is
// reused. Every change of a user, their roles or tokens through this store
// empties the cache at once; the TTL bounds how long a change made by hand in
// the database (or by another instance on a shared one) takes to show.
const userCacheTTL = 2 * time.Second

// userCache keeps the users and bearer tokens that requests authenticate
// with, so a request does not read a token, a user and its roles again each
// time. Entries are dropped after userCacheTTL of wall-clock time.
type userCache struct {
	mu     sync.Mutex
	gen    uint64 // counts clears: what was read before one is not kept
	users  map[int64]cachedUser
	tokens map[string]cachedToken // by token hash
}

type cachedUser struct {
	user  workflow.User
	until time.Time
}

type cachedToken struct {
	userID  int64
	expires string // api_tokens.expires_at, compared with the store's clock
	until   time.Time
}

func (uc *userCache) user(id int64) (workflow.User, bool) {
	uc.mu.Lock()
	defer uc.mu.Unlock()
	e, ok := uc.users[id]
	if !ok || time.Now().After(e.until) {
		return workflow.User{}, false
	}
	u := e.user
	u.Grants = append([]workflow.Grant(nil), u.Grants...) // the caller may change its copy
	return u, true
}

// generation is taken before a read whose result may be put in the cache.
func (uc *userCache) generation() uint64 {
	uc.mu.Lock()
	defer uc.mu.Unlock()
	return uc.gen
}

func (uc *userCache) putUser(u workflow.User, gen uint64) {
	uc.mu.Lock()
	defer uc.mu.Unlock()
	if gen != uc.gen {
		return
	}
	if uc.users == nil || len(uc.users) > 10000 {
		uc.users = map[int64]cachedUser{}
	}
	u.Grants = append([]workflow.Grant(nil), u.Grants...)
	uc.users[u.ID] = cachedUser{user: u, until: time.Now().Add(userCacheTTL)}
}

func (uc *userCache) token(hash string) (cachedToken, bool) {
	uc.mu.Lock()
	defer uc.mu.Unlock()
	e, ok := uc.tokens[hash]
	if !ok || time.Now().After(e.until) {
		return cachedToken{}, false
	}
	return e, true
}

func (uc *userCache) putToken(hash string, userID int64, expires string, gen uint64) {
	uc.mu.Lock()
	defer uc.mu.Unlock()
	if gen != uc.gen {
		return
	}
	if uc.tokens == nil || len(uc.tokens) > 10000 {
		uc.tokens = map[string]cachedToken{}
	}
	uc.tokens[hash] = cachedToken{userID: userID, expires: expires, until: time.Now().Add(userCacheTTL)}
}

// clear forgets everything; called after every change of users, roles or tokens.
func (uc *userCache) clear() {
	uc.mu.Lock()
	defer uc.mu.Unlock()
	uc.users, uc.tokens = nil, nil
	uc.gen++
}
