package storetest

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/passerelle-sante/passerelle/store"
)

func accountTests() []struct {
	name string
	fn   func(t *testing.T, s store.Store)
} {
	return []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"AccountSaveGet", testAccountSaveGet},
		{"AccountIdempotentSave", testAccountIdempotentSave},
		{"AccountLoginTaken", testAccountLoginTaken},
		{"AccountUpdateConflict", testAccountUpdateConflict},
		{"AccountNotFound", testAccountNotFound},
		{"AccountList", testAccountList},
		{"AccountInvalid", testAccountInvalid},
		{"AccountEvents", testAccountEvents},
	}
}

// NewAccount returns a valid account with a fresh id, for tests of stores
// and of the desks built on them. The hash is a fixed bcrypt-shaped text:
// stores never check it.
func NewAccount(login string, roles ...store.Role) store.Account {
	if len(roles) == 0 {
		roles = []store.Role{store.RoleTeleadvisor}
	}
	return store.Account{
		ID:           uuid.New(),
		Login:        login,
		PasswordHash: "$2a$10$abcdefghijklmnopqrstuu0123456789abcdefghijklmnopqrstu",
		Roles:        roles,
		CreatedAt:    base,
	}
}

func sameAccount(t *testing.T, what string, got, want store.Account) {
	t.Helper()
	if g, w := jsonOf(t, got), jsonOf(t, want); g != w {
		t.Errorf("%s:\n got %s\nwant %s", what, g, w)
	}
}

func testAccountSaveGet(t *testing.T, s store.Store) {
	a := NewAccount("ambre.martin", store.RoleAmbassador, store.RoleCoordinator)
	a.Region = "84"
	a.AmbassadorID = uuid.New()
	if err := s.SaveAccount(ctx(t), a); err != nil {
		t.Fatalf("SaveAccount: %v", err)
	}
	want := a
	want.Version = 1
	want.UpdatedAt = a.CreatedAt
	got, err := s.GetAccount(ctx(t), a.ID)
	if err != nil {
		t.Fatalf("GetAccount: %v", err)
	}
	sameAccount(t, "GetAccount after save", got, want)
	if !got.Has(store.RoleAmbassador) || got.Has(store.RoleAdmin) {
		t.Errorf("roles read back: %v", got.Roles)
	}
	// What is read back is a copy: changing it changes nothing stored.
	got.Roles[0] = store.RoleAdmin
	again, _ := s.GetAccount(ctx(t), a.ID)
	sameAccount(t, "GetAccount after changing a copy", again, want)

	// An update replaces the record, bumps the version and the change time.
	got = again
	got.Disabled = true
	got.Roles = []store.Role{store.RoleTeleadvisor}
	got.UpdatedAt = base.Add(time.Hour)
	if err := s.UpdateAccount(ctx(t), &got); err != nil {
		t.Fatalf("UpdateAccount: %v", err)
	}
	if got.Version != 2 {
		t.Errorf("Version after update = %d, want 2", got.Version)
	}
	after, err := s.GetAccount(ctx(t), a.ID)
	if err != nil {
		t.Fatalf("GetAccount after update: %v", err)
	}
	sameAccount(t, "GetAccount after update", after, got)
	if !after.UpdatedAt.Equal(base.Add(time.Hour)) {
		t.Errorf("UpdatedAt = %v, want %v", after.UpdatedAt, base.Add(time.Hour))
	}
	// The creation time is fixed.
	after.CreatedAt = base.Add(-time.Hour)
	if err := s.UpdateAccount(ctx(t), &after); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("UpdateAccount changing created_at: %v, want ErrInvalid", err)
	}
}

func testAccountIdempotentSave(t *testing.T, s store.Store) {
	a := NewAccount("desk-1")
	for i := range 3 {
		if err := s.SaveAccount(ctx(t), a); err != nil {
			t.Fatalf("SaveAccount #%d: %v", i+1, err)
		}
	}
	// Saving the same id again, even changed, keeps the first version.
	b := a
	b.Roles = []store.Role{store.RoleAdmin}
	if err := s.SaveAccount(ctx(t), b); err != nil {
		t.Fatalf("SaveAccount of a stored id: %v", err)
	}
	got, err := s.GetAccount(ctx(t), a.ID)
	if err != nil || got.Version != 1 || !slices.Equal(got.Roles, a.Roles) {
		t.Errorf("after repeated saves: %+v %v, want version 1 and roles %v", got, err, a.Roles)
	}
	if n := kindsOf(allPending(t, s))[store.KindAccountCreated]; n != 1 {
		t.Errorf("%d account.created events, want 1", n)
	}
}

func testAccountLoginTaken(t *testing.T, s store.Store) {
	a, b := NewAccount("claire"), NewAccount("claire")
	if err := s.SaveAccount(ctx(t), a); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveAccount(ctx(t), b); !errors.Is(err, store.ErrLoginTaken) {
		t.Errorf("SaveAccount of a taken login: %v, want ErrLoginTaken", err)
	}
	if _, err := s.GetAccount(ctx(t), b.ID); !errors.Is(err, store.ErrAccountNotFound) {
		t.Errorf("the refused account was stored: %v", err)
	}
	// A rename onto a taken login is refused too; onto a free one it works,
	// and frees the old login.
	c := NewAccount("denis")
	if err := s.SaveAccount(ctx(t), c); err != nil {
		t.Fatal(err)
	}
	c.Version = 1
	c.Login = "claire"
	if err := s.UpdateAccount(ctx(t), &c); !errors.Is(err, store.ErrLoginTaken) {
		t.Errorf("rename to a taken login: %v, want ErrLoginTaken", err)
	}
	c.Login = "denis.b"
	if err := s.UpdateAccount(ctx(t), &c); err != nil {
		t.Fatalf("rename to a free login: %v", err)
	}
	if got, err := s.AccountByLogin(ctx(t), "denis.b"); err != nil || got.ID != c.ID {
		t.Errorf("AccountByLogin(new login): %v %v", got.ID, err)
	}
	if _, err := s.AccountByLogin(ctx(t), "denis"); !errors.Is(err, store.ErrAccountNotFound) {
		t.Errorf("AccountByLogin(old login): %v, want ErrAccountNotFound", err)
	}
	d := NewAccount("denis")
	if err := s.SaveAccount(ctx(t), d); err != nil {
		t.Errorf("SaveAccount of a freed login: %v", err)
	}
}

func testAccountUpdateConflict(t *testing.T, s store.Store) {
	a := NewAccount("emma")
	if err := s.SaveAccount(ctx(t), a); err != nil {
		t.Fatal(err)
	}
	first, _ := s.GetAccount(ctx(t), a.ID)
	second := first
	first.Region = "11"
	if err := s.UpdateAccount(ctx(t), &first); err != nil {
		t.Fatalf("first update: %v", err)
	}
	second.Disabled = true
	if err := s.UpdateAccount(ctx(t), &second); !errors.Is(err, store.ErrAccountConflict) {
		t.Errorf("update made on a stale version: %v, want ErrAccountConflict", err)
	}
	if second.Version != 1 {
		t.Errorf("a refused update changed the caller's version to %d", second.Version)
	}
	got, _ := s.GetAccount(ctx(t), a.ID)
	if got.Version != 2 || got.Region != "11" || got.Disabled {
		t.Errorf("after a refused update: %+v", got)
	}
}

func testAccountNotFound(t *testing.T, s store.Store) {
	if _, err := s.GetAccount(ctx(t), uuid.New()); !errors.Is(err, store.ErrAccountNotFound) {
		t.Errorf("GetAccount(unknown): %v", err)
	}
	if _, err := s.AccountByLogin(ctx(t), "nobody"); !errors.Is(err, store.ErrAccountNotFound) {
		t.Errorf("AccountByLogin(unknown): %v", err)
	}
	a := NewAccount("ghost")
	a.Version = 1
	if err := s.UpdateAccount(ctx(t), &a); !errors.Is(err, store.ErrAccountNotFound) {
		t.Errorf("UpdateAccount(unknown): %v", err)
	}
	list, err := s.ListAccounts(ctx(t))
	if err != nil || len(list) != 0 {
		t.Errorf("ListAccounts of an empty store: %v %v", list, err)
	}
}

func testAccountList(t *testing.T, s store.Store) {
	logins := []string{"zoe", "a.b", "marc-2", "marc_1", "0perator", "marc.3"}
	for _, l := range logins {
		if err := s.SaveAccount(ctx(t), NewAccount(l)); err != nil {
			t.Fatalf("SaveAccount %s: %v", l, err)
		}
	}
	list, err := s.ListAccounts(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range list {
		got = append(got, a.Login)
	}
	want := slices.Clone(logins)
	slices.Sort(want) // byte order
	if !slices.Equal(got, want) {
		t.Errorf("ListAccounts order: %v, want %v", got, want)
	}
	a, err := s.AccountByLogin(ctx(t), "marc_1")
	if err != nil || a.Login != "marc_1" || a.Version != 1 {
		t.Errorf("AccountByLogin: %+v %v", a, err)
	}
}

func testAccountInvalid(t *testing.T, s store.Store) {
	bad := store.Account{Login: "No Spaces", Roles: []store.Role{"boss", store.RoleAdmin, store.RoleAdmin}}
	err := s.SaveAccount(ctx(t), bad)
	if !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("SaveAccount(invalid): %v, want ErrInvalid", err)
	}
	for _, field := range []string{"id", "login", "password_hash", "roles[0]", "roles[2]", "created_at"} {
		if !strings.Contains(err.Error(), field+":") {
			t.Errorf("error %q does not name %s", err, field)
		}
	}
	// An update is validated before anything is read or written.
	a := NewAccount("fanny")
	if err := s.SaveAccount(ctx(t), a); err != nil {
		t.Fatal(err)
	}
	a.Version = 1
	a.Roles = nil
	if err := s.UpdateAccount(ctx(t), &a); !errors.Is(err, store.ErrInvalid) || !strings.Contains(err.Error(), "roles:") {
		t.Errorf("UpdateAccount without roles: %v", err)
	}
	if got, _ := s.GetAccount(ctx(t), a.ID); got.Version != 1 || len(got.Roles) != 1 {
		t.Errorf("a refused update changed the account: %+v", got)
	}
	if n := len(allPending(t, s)); n != 1 {
		t.Errorf("%d events after one valid save and refused writes, want 1", n)
	}
}

func testAccountEvents(t *testing.T, s store.Store) {
	a := NewAccount("gaston.l", store.RoleCoordinator)
	a.Region = "93"
	if err := s.SaveAccount(ctx(t), a); err != nil {
		t.Fatal(err)
	}
	a.Version = 1
	a.Disabled = true
	if err := s.UpdateAccount(ctx(t), &a); err != nil {
		t.Fatal(err)
	}
	evs := allPending(t, s)
	if len(evs) != 2 || evs[0].Kind != store.KindAccountCreated || evs[1].Kind != store.KindAccountUpdated {
		t.Fatalf("events: %+v, want account.created then account.updated", evs)
	}
	for i, e := range evs {
		if e.Subject != a.ID.String() {
			t.Errorf("event %d subject %q, want the account id", i, e.Subject)
		}
		noText(t, e, a.Login, a.PasswordHash, "login", "hash")
		var p map[string]any
		if err := json.Unmarshal(e.Payload, &p); err != nil {
			t.Fatalf("event %d payload: %v", i, err)
		}
		keys := make([]string, 0, len(p))
		for k := range p {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if !slices.Equal(keys, []string{"disabled", "id", "region", "roles", "version"}) {
			t.Errorf("event %d payload keys %v", i, keys)
		}
		if p["id"] != a.ID.String() || p["region"] != "93" || p["disabled"] != (i == 1) {
			t.Errorf("event %d payload %s", i, e.Payload)
		}
	}
}
