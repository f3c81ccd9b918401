package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/passerelle-sante/passerelle/store"
)

func scanEvent(row pgx.CollectableRow) (store.Event, error) {
	var e store.Event
	var id string
	var payload []byte
	var at int64
	if err := row.Scan(&id, &e.Kind, &e.Subject, &at, &payload); err != nil {
		return e, err
	}
	e.At = time.Unix(0, at).UTC()
	var err error
	e.ID, err = uuid.Parse(id)
	if len(payload) > 0 {
		e.Payload = payload
	}
	return e, err
}

const eventColumns = "id::text, kind, subject, at_ns, payload"

// Pending implements store.Outbox. It only reads: two consumers calling it
// at once see the same events. Consumers that must not overlap use Deliver.
func (s *Store) Pending(ctx context.Context, limit int) ([]store.Event, error) {
	if limit <= 0 {
		limit = 100
	}
	var out []store.Event
	err := s.conn(ctx, func(c *pgx.Conn) error {
		rows, _ := c.Query(ctx, "SELECT "+eventColumns+" FROM outbox WHERE NOT acked ORDER BY seq LIMIT $1", limit)
		var err error
		out, err = pgx.CollectRows(rows, scanEvent)
		return wrapDB("pending events", err)
	})
	return out, err
}

// Ack implements store.Outbox.
func (s *Store) Ack(ctx context.Context, ids ...uuid.UUID) error {
	if len(ids) == 0 {
		return ctx.Err()
	}
	strs := make([]string, len(ids))
	for i, id := range ids {
		strs[i] = id.String()
	}
	return s.conn(ctx, func(c *pgx.Conn) error {
		_, err := c.Exec(ctx, "UPDATE outbox SET acked = true WHERE id = ANY($1::uuid[]) AND NOT acked", strs)
		return wrapDB("ack events", err)
	})
}

// Deliver hands at most limit (0: 100) pending events, oldest first, to
// deliver, and acknowledges them when it returns nil, all in one
// transaction. The events are locked while deliver runs, and other
// consumers skip locked events (FOR UPDATE SKIP LOCKED): several
// processes can deliver at once without handing out an event twice,
// unless deliver fails, when the events stay pending for the next call.
// It returns how many events were delivered.
func (s *Store) Deliver(ctx context.Context, limit int, deliver func(ctx context.Context, events []store.Event) error) (int, error) {
	if limit <= 0 {
		limit = 100
	}
	var n int
	err := s.tx(ctx, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, "SELECT "+eventColumns+" FROM outbox WHERE NOT acked ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED", limit)
		events, err := pgx.CollectRows(rows, scanEvent)
		if err != nil {
			return wrapDB("deliver events", err)
		}
		if len(events) == 0 {
			return nil
		}
		if err := deliver(ctx, events); err != nil {
			return fmt.Errorf("postgres: deliver events: %w", err)
		}
		ids := make([]string, len(events))
		for i, e := range events {
			ids[i] = e.ID.String()
		}
		if _, err := tx.Exec(ctx, "UPDATE outbox SET acked = true WHERE id = ANY($1::uuid[])", ids); err != nil {
			return wrapDB("deliver events", err)
		}
		n = len(events)
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}
