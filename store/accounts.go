package store

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"time"

	"github.com/google/uuid"
)

// Role is what a staff account may do on a desk built on passerelle. The
// wire values are the ones stored and shown in the accounts list.
type Role string

// The roles of the helpline desk.
const (
	// RoleTeleadvisor answers calls: triage, referral, follow-up.
	RoleTeleadvisor Role = "teleadvisor"
	// RoleAmbassador records actions and answers the mediators' questions.
	RoleAmbassador Role = "ambassador"
	// RoleCoordinator sees coverage, supply against demand and the yearly
	// report of a région (or of France when the account has no région).
	RoleCoordinator Role = "coordinator"
	// RoleAdmin manages accounts and may do everything the others do.
	RoleAdmin Role = "admin"
)

// Roles lists every role, in the order a form shows them.
var Roles = []Role{RoleTeleadvisor, RoleAmbassador, RoleCoordinator, RoleAdmin}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// Account is a staff member's sign-in on a desk: a teleadvisor, an
// ambassador, a coordinator or an administrator. It is not a person
// helped by the scheme (those are pseudonymous ids only), and it holds no
// contact detail: the login is what the staff member types to sign in.
//
// The store never sees a password: PasswordHash is computed by the caller
// (bcrypt or argon2id, in the hash's own self-describing text form) and
// compared by the caller.
type Account struct {
	ID uuid.UUID `json:"id"`
	// Login is 3 to 64 characters among lower-case letters, digits, '.',
	// '_' and '-', starting with a letter or digit; it is unique.
	Login string `json:"login"`
	// PasswordHash is the password hash in its text form (for bcrypt,
	// "$2a$…"). It is never empty.
	PasswordHash string `json:"password_hash"`
	// Roles the account holds: at least one, no duplicates.
	Roles []Role `json:"roles"`
	// Region narrows a coordinator's view to one région (INSEE code); ""
	// means all of France.
	Region string `json:"region,omitempty"`
	// AmbassadorID links an ambassador account to its network record, when
	// there is one.
	AmbassadorID uuid.UUID `json:"ambassador_id,omitempty"`
	// Disabled accounts cannot sign in; accounts are disabled, not deleted,
	// so the journal keeps meaning.
	Disabled  bool      `json:"disabled,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// Version counts the stored versions, for optimistic concurrency: 1
	// after SaveAccount, +1 after each UpdateAccount.
	Version int `json:"version"`
}

// Has reports whether the account holds role r. An admin holds every role.
func (a *Account) Has(r Role) bool {
	return slices.Contains(a.Roles, r) || slices.Contains(a.Roles, RoleAdmin)
}

var loginPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{2,63}$`)

// ValidLogin reports whether login is a well-formed account login.
func ValidLogin(login string) bool { return loginPattern.MatchString(login) }

// Validate checks the account before it is stored, and returns one error
// (wrapping ErrInvalid) naming every field that is wrong.
func (a *Account) Validate() error {
	var probs []string
	if a.ID == uuid.Nil {
		probs = append(probs, "id: missing")
	}
	if !ValidLogin(a.Login) {
		probs = append(probs, fmt.Sprintf("login: %q is not 3 to 64 of a-z 0-9 . _ - starting with a letter or digit", a.Login))
	}
	if a.PasswordHash == "" {
		probs = append(probs, "password_hash: missing")
	}
	if len(a.Roles) == 0 {
		probs = append(probs, "roles: at least one role is needed")
	}
	for i, r := range a.Roles {
		if !r.Valid() {
			probs = append(probs, fmt.Sprintf("roles[%d]: %q is not one of %v", i, r, Roles))
		}
		if slices.Index(a.Roles, r) != i {
			probs = append(probs, fmt.Sprintf("roles[%d]: %q is listed twice", i, r))
		}
	}
	if a.CreatedAt.IsZero() {
		probs = append(probs, "created_at: missing")
	}
	if len(probs) == 0 {
		return nil
	}
	return fmt.Errorf("%w: account: %s", ErrInvalid, joinProblems(probs))
}

func joinProblems(p []string) string {
	s := p[0]
	for _, x := range p[1:] {
		s += "; " + x
	}
	return s
}

// Errors of the accounts methods.
var (
	// ErrAccountNotFound: no account has this id or login.
	ErrAccountNotFound = errors.New("store: account not found")
	// ErrLoginTaken: another account already has this login.
	ErrLoginTaken = errors.New("store: login already taken")
	// ErrAccountConflict: the account changed since it was read (Version).
	ErrAccountConflict = errors.New("store: account changed since it was read")
)

// Event kinds of the accounts. Their payload is the account id, its roles,
// its région and whether it is disabled: never the login nor the hash.
const (
	KindAccountCreated = "account.created"
	KindAccountUpdated = "account.updated"
)

// Accounts keeps the staff accounts of a desk. Every method is safe for
// concurrent use.
type Accounts interface {
	// SaveAccount stores a new account at Version 1, after Validate. Saving
	// an id already stored does nothing and returns nil; a new id with a
	// login already taken fails with ErrLoginTaken.
	SaveAccount(ctx context.Context, a Account) error
	// UpdateAccount replaces the stored account when its Version equals
	// a.Version, then increments a.Version (ErrAccountConflict,
	// ErrAccountNotFound, ErrLoginTaken on a rename to a taken login).
	UpdateAccount(ctx context.Context, a *Account) error
	// GetAccount returns the account with this id, or ErrAccountNotFound.
	GetAccount(ctx context.Context, id uuid.UUID) (Account, error)
	// AccountByLogin returns the account with this login, or
	// ErrAccountNotFound.
	AccountByLogin(ctx context.Context, login string) (Account, error)
	// ListAccounts returns every account, in login order.
	ListAccounts(ctx context.Context) ([]Account, error)
}

// accountPayload is the outbox payload of an account event: what a plugin
// may know of a staff account. Never the login nor the password hash.
type accountPayload struct {
	ID       uuid.UUID `json:"id"`
	Roles    []Role    `json:"roles"`
	Region   string    `json:"region,omitempty"`
	Disabled bool      `json:"disabled"`
	Version  int       `json:"version"`
}

// AccountWrite returns the outbox event that storing next implies: kind
// account.created when prev is nil, account.updated otherwise. next.Version
// must already be the stored version. Every store calls it, so that all
// write the same events; the subject is the account id, the payload its
// roles, région, disabled flag and version.
func AccountWrite(prev, next *Account) Event {
	kind, at := KindAccountCreated, next.CreatedAt
	if prev != nil {
		kind = KindAccountUpdated
		at = firstSet(next.UpdatedAt, next.CreatedAt)
	}
	roles := next.Roles
	if roles == nil {
		roles = []Role{}
	}
	return event(kind, next.ID, at, accountPayload{ID: next.ID, Roles: roles, Region: next.Region, Disabled: next.Disabled, Version: next.Version})
}

// PrepareAccountUpdate checks an update of cur into next before it is
// written, and sets next's Version (cur's plus one) and UpdatedAt (now when
// the caller left it at or before the stored one). It returns
// ErrAccountConflict when next was not read at cur's version, and an
// ErrInvalid error when the creation time would change.
func PrepareAccountUpdate(cur, next *Account, now time.Time) error {
	if cur.Version != next.Version {
		return fmt.Errorf("%w: account %s is at version %d, the update was made on version %d", ErrAccountConflict, next.ID, cur.Version, next.Version)
	}
	if !cur.CreatedAt.Equal(next.CreatedAt) {
		return fmt.Errorf("%w: account %s: created_at cannot change", ErrInvalid, next.ID)
	}
	next.Version = cur.Version + 1
	if !next.UpdatedAt.After(cur.UpdatedAt) {
		next.UpdatedAt = now
	}
	return nil
}

// PrepareAccountSave checks a new account and sets its Version to 1 and,
// when zero, its UpdatedAt to its CreatedAt.
func PrepareAccountSave(a *Account) error {
	if err := a.Validate(); err != nil {
		return err
	}
	a.Version = 1
	if a.UpdatedAt.IsZero() {
		a.UpdatedAt = a.CreatedAt
	}
	return nil
}
