package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/passerelle-sante/passerelle/store"
)

var _ store.Accounts = (*Store)(nil)

type rowQuerier interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}

// account reads one account by the condition (`id = ?` or `login = ?`).
func (s *Store) account(ctx context.Context, q rowQuerier, cond string, arg any, what string) (store.Account, error) {
	var a store.Account
	var doc string
	err := q.QueryRowContext(ctx, `SELECT doc FROM accounts WHERE `+cond, arg).Scan(&doc)
	if errors.Is(err, sql.ErrNoRows) {
		return a, fmt.Errorf("%w: %s", store.ErrAccountNotFound, what)
	}
	if err != nil {
		return a, s.wrap(err)
	}
	if err := json.Unmarshal([]byte(doc), &a); err != nil {
		return a, fmt.Errorf("sqlite: %s: account %s: %w", s.path, what, err)
	}
	return a, nil
}

// loginOwner returns the id of the account holding login, or uuid.Nil.
func loginOwner(ctx context.Context, tx *sql.Tx, login string) (uuid.UUID, error) {
	var id string
	err := tx.QueryRowContext(ctx, `SELECT id FROM accounts WHERE login = ?`, login).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return uuid.Nil, nil
	}
	if err != nil {
		return uuid.Nil, err
	}
	return uuid.Parse(id)
}

// SaveAccount implements store.Accounts.
func (s *Store) SaveAccount(ctx context.Context, a store.Account) error {
	if err := store.PrepareAccountSave(&a); err != nil {
		return err
	}
	doc, err := docOf(a)
	if err != nil {
		return fmt.Errorf("%w: account %s: %v", store.ErrInvalid, a.ID, err)
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM accounts WHERE id = ?`, a.ID.String()).Scan(&n); err != nil {
			return s.wrap(err)
		}
		if n > 0 {
			return nil
		}
		owner, err := loginOwner(ctx, tx, a.Login)
		if err != nil {
			return s.wrap(err)
		}
		if owner != uuid.Nil {
			return fmt.Errorf("%w: %q", store.ErrLoginTaken, a.Login)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO accounts (id, login, version, created_at_ns, updated_at_ns, doc) VALUES (?, ?, 1, ?, ?, ?)`,
			a.ID.String(), a.Login, ns(a.CreatedAt), ns(a.UpdatedAt), doc); err != nil {
			return s.wrap(err)
		}
		return s.wrap(insertEvent(ctx, tx, store.AccountWrite(nil, &a)))
	})
}

// UpdateAccount implements store.Accounts.
func (s *Store) UpdateAccount(ctx context.Context, a *store.Account) error {
	if err := a.Validate(); err != nil {
		return err
	}
	next := *a
	err := s.write(ctx, func(tx *sql.Tx) error {
		cur, err := s.account(ctx, tx, `id = ?`, a.ID.String(), a.ID.String())
		if err != nil {
			return err
		}
		if err := store.PrepareAccountUpdate(&cur, &next, s.now()); err != nil {
			return err
		}
		owner, err := loginOwner(ctx, tx, next.Login)
		if err != nil {
			return s.wrap(err)
		}
		if owner != uuid.Nil && owner != next.ID {
			return fmt.Errorf("%w: %q", store.ErrLoginTaken, next.Login)
		}
		doc, err := docOf(next)
		if err != nil {
			return fmt.Errorf("%w: account %s: %v", store.ErrInvalid, a.ID, err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE accounts SET login = ?, version = ?, updated_at_ns = ?, doc = ? WHERE id = ?`,
			next.Login, next.Version, ns(next.UpdatedAt), doc, next.ID.String()); err != nil {
			return s.wrap(err)
		}
		return s.wrap(insertEvent(ctx, tx, store.AccountWrite(&cur, &next)))
	})
	if err != nil {
		return err
	}
	a.Version, a.UpdatedAt = next.Version, next.UpdatedAt
	return nil
}

// GetAccount implements store.Accounts.
func (s *Store) GetAccount(ctx context.Context, id uuid.UUID) (store.Account, error) {
	return s.account(ctx, s.db, `id = ?`, id.String(), id.String())
}

// AccountByLogin implements store.Accounts.
func (s *Store) AccountByLogin(ctx context.Context, login string) (store.Account, error) {
	return s.account(ctx, s.db, `login = ?`, login, fmt.Sprintf("login %q", login))
}

// ListAccounts implements store.Accounts.
func (s *Store) ListAccounts(ctx context.Context) ([]store.Account, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, doc FROM accounts ORDER BY login`)
	if err != nil {
		return nil, s.wrap(err)
	}
	defer rows.Close()
	out := []store.Account{}
	for rows.Next() {
		var id, doc string
		if err := rows.Scan(&id, &doc); err != nil {
			return nil, s.wrap(err)
		}
		var a store.Account
		if err := json.Unmarshal([]byte(doc), &a); err != nil {
			return nil, fmt.Errorf("sqlite: %s: account %s: %w", s.path, id, err)
		}
		out = append(out, a)
	}
	return out, s.wrap(rows.Err())
}
