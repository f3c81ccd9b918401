package memory

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/passerelle-sante/passerelle/store"
)

var _ store.Accounts = (*Store)(nil)

// accounts holds the staff accounts by id, with an index by login.
type accounts struct {
	byID    map[uuid.UUID]*store.Account
	byLogin map[string]uuid.UUID
}

func copyAccount(a *store.Account) store.Account {
	c := *a
	c.Roles = slices.Clone(a.Roles)
	return c
}

// SaveAccount implements store.Accounts.
func (s *Store) SaveAccount(ctx context.Context, a store.Account) error {
	if err := store.PrepareAccountSave(&a); err != nil {
		return err
	}
	c := copyAccount(&a)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.check(ctx); err != nil {
		return err
	}
	if s.accounts.byID == nil {
		s.accounts = accounts{byID: map[uuid.UUID]*store.Account{}, byLogin: map[string]uuid.UUID{}}
	}
	if _, ok := s.accounts.byID[c.ID]; ok {
		return nil
	}
	if _, ok := s.accounts.byLogin[c.Login]; ok {
		return fmt.Errorf("%w: %q", store.ErrLoginTaken, c.Login)
	}
	s.accounts.byID[c.ID] = &c
	s.accounts.byLogin[c.Login] = c.ID
	s.event(store.AccountWrite(nil, &c))
	return nil
}

// UpdateAccount implements store.Accounts.
func (s *Store) UpdateAccount(ctx context.Context, a *store.Account) error {
	if err := a.Validate(); err != nil {
		return err
	}
	next := copyAccount(a)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.check(ctx); err != nil {
		return err
	}
	cur, ok := s.accounts.byID[a.ID]
	if !ok {
		return fmt.Errorf("%w: %s", store.ErrAccountNotFound, a.ID)
	}
	if err := store.PrepareAccountUpdate(cur, &next, s.now()); err != nil {
		return err
	}
	if owner, ok := s.accounts.byLogin[next.Login]; ok && owner != next.ID {
		return fmt.Errorf("%w: %q", store.ErrLoginTaken, next.Login)
	}
	ev := store.AccountWrite(cur, &next)
	delete(s.accounts.byLogin, cur.Login)
	s.accounts.byLogin[next.Login] = next.ID
	*cur = next
	s.event(ev)
	a.Version, a.UpdatedAt = next.Version, next.UpdatedAt
	return nil
}

// GetAccount implements store.Accounts.
func (s *Store) GetAccount(ctx context.Context, id uuid.UUID) (store.Account, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(ctx); err != nil {
		return store.Account{}, err
	}
	a, ok := s.accounts.byID[id]
	if !ok {
		return store.Account{}, fmt.Errorf("%w: %s", store.ErrAccountNotFound, id)
	}
	return copyAccount(a), nil
}

// AccountByLogin implements store.Accounts.
func (s *Store) AccountByLogin(ctx context.Context, login string) (store.Account, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(ctx); err != nil {
		return store.Account{}, err
	}
	id, ok := s.accounts.byLogin[login]
	if !ok {
		return store.Account{}, fmt.Errorf("%w: login %q", store.ErrAccountNotFound, login)
	}
	return copyAccount(s.accounts.byID[id]), nil
}

// ListAccounts implements store.Accounts.
func (s *Store) ListAccounts(ctx context.Context) ([]store.Account, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	out := make([]store.Account, 0, len(s.accounts.byID))
	for _, a := range s.accounts.byID {
		out = append(out, copyAccount(a))
	}
	slices.SortFunc(out, func(a, b store.Account) int { return strings.Compare(a.Login, b.Login) })
	return out, nil
}
