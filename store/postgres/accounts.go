package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/passerelle-sante/passerelle/store"
)

var _ store.Accounts = (*Store)(nil)

// account reads one account by the condition (`id = $1` or `login = $1`).
func account(ctx context.Context, q querier, cond string, arg any, what string) (store.Account, error) {
	var a store.Account
	var doc []byte
	err := q.QueryRow(ctx, `SELECT doc FROM accounts WHERE `+cond, arg).Scan(&doc)
	if errors.Is(err, pgx.ErrNoRows) {
		return a, fmt.Errorf("%w: %s", store.ErrAccountNotFound, what)
	}
	if err != nil {
		return a, wrapDB("read account", err)
	}
	if err := json.Unmarshal(doc, &a); err != nil {
		return a, fmt.Errorf("postgres: account %s: %w", what, err)
	}
	return a, nil
}

// loginTaken turns the unique violation of a login into ErrLoginTaken
// (two desks creating the same login at once).
func loginTaken(login string, err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" && pe.ConstraintName == "accounts_login_key" {
		return fmt.Errorf("%w: %q", store.ErrLoginTaken, login)
	}
	return err
}

func loginOwner(ctx context.Context, tx pgx.Tx, login string) (uuid.UUID, error) {
	var id uuid.UUID
	err := tx.QueryRow(ctx, `SELECT id FROM accounts WHERE login = $1`, login).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return uuid.Nil, nil
	}
	return id, err
}

const insertEventSQL = "INSERT INTO outbox (id, kind, subject, at_ns, payload) VALUES ($1, $2, $3, $4, $5)"

// SaveAccount implements store.Accounts.
func (s *Store) SaveAccount(ctx context.Context, a store.Account) error {
	if err := store.PrepareAccountSave(&a); err != nil {
		return err
	}
	doc, err := json.Marshal(a)
	if err != nil {
		return fmt.Errorf("%w: account %s: %v", store.ErrInvalid, a.ID, err)
	}
	return s.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO accounts (id, login, version, created_at_ns, updated_at_ns, doc) VALUES ($1, $2, 1, $3, $4, $5) ON CONFLICT (id) DO NOTHING`,
			a.ID.String(), a.Login, a.CreatedAt.UnixNano(), a.UpdatedAt.UnixNano(), string(doc))
		if err != nil {
			return wrapDB("save account", loginTaken(a.Login, err))
		}
		if tag.RowsAffected() == 0 {
			return nil
		}
		_, err = tx.Exec(ctx, insertEventSQL, eventArgs(store.AccountWrite(nil, &a))...)
		return wrapDB("save account", err)
	})
}

// UpdateAccount implements store.Accounts.
func (s *Store) UpdateAccount(ctx context.Context, a *store.Account) error {
	if err := a.Validate(); err != nil {
		return err
	}
	next := *a
	err := s.tx(ctx, func(tx pgx.Tx) error {
		cur, err := account(ctx, tx, `id = $1 FOR UPDATE`, a.ID.String(), a.ID.String())
		if err != nil {
			return err
		}
		if err := store.PrepareAccountUpdate(&cur, &next, s.now()); err != nil {
			return err
		}
		owner, err := loginOwner(ctx, tx, next.Login)
		if err != nil {
			return wrapDB("update account", err)
		}
		if owner != uuid.Nil && owner != next.ID {
			return fmt.Errorf("%w: %q", store.ErrLoginTaken, next.Login)
		}
		doc, err := json.Marshal(next)
		if err != nil {
			return fmt.Errorf("%w: account %s: %v", store.ErrInvalid, a.ID, err)
		}
		if _, err := tx.Exec(ctx, `UPDATE accounts SET login = $1, version = $2, updated_at_ns = $3, doc = $4 WHERE id = $5`,
			next.Login, next.Version, next.UpdatedAt.UnixNano(), string(doc), next.ID.String()); err != nil {
			return wrapDB("update account", loginTaken(next.Login, err))
		}
		_, err = tx.Exec(ctx, insertEventSQL, eventArgs(store.AccountWrite(&cur, &next))...)
		return wrapDB("update account", err)
	})
	if err != nil {
		return err
	}
	a.Version, a.UpdatedAt = next.Version, next.UpdatedAt
	return nil
}

// GetAccount implements store.Accounts.
func (s *Store) GetAccount(ctx context.Context, id uuid.UUID) (store.Account, error) {
	var a store.Account
	err := s.conn(ctx, func(c *pgx.Conn) error {
		var err error
		a, err = account(ctx, c, `id = $1`, id.String(), id.String())
		return err
	})
	return a, err
}

// AccountByLogin implements store.Accounts.
func (s *Store) AccountByLogin(ctx context.Context, login string) (store.Account, error) {
	var a store.Account
	err := s.conn(ctx, func(c *pgx.Conn) error {
		var err error
		a, err = account(ctx, c, `login = $1`, login, fmt.Sprintf("login %q", login))
		return err
	})
	return a, err
}

// ListAccounts implements store.Accounts.
func (s *Store) ListAccounts(ctx context.Context) ([]store.Account, error) {
	out := []store.Account{}
	err := s.conn(ctx, func(c *pgx.Conn) error {
		rows, err := c.Query(ctx, `SELECT doc FROM accounts ORDER BY login COLLATE "C"`)
		if err != nil {
			return wrapDB("list accounts", err)
		}
		docs, err := pgx.CollectRows(rows, pgx.RowTo[[]byte])
		if err != nil {
			return wrapDB("list accounts", err)
		}
		for _, d := range docs {
			var a store.Account
			if err := json.Unmarshal(d, &a); err != nil {
				return fmt.Errorf("postgres: account: %w", err)
			}
			out = append(out, a)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
