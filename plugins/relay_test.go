package plugins

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"

	"github.com/passerelle-sante/passerelle/store"
)

// firstN acknowledges the first n events of every delivery.
type firstN struct {
	n   int
	err error
}

func (f firstN) Deliver(_ context.Context, evs []store.Event) ([]uuid.UUID, error) {
	if f.err != nil {
		return nil, f.err
	}
	var ids []uuid.UUID
	for _, e := range evs[:min(f.n, len(evs))] {
		ids = append(ids, e.ID)
	}
	return ids, nil
}

func TestAllOf(t *testing.T) {
	boom := errors.New("boom")
	for _, tc := range []struct {
		name  string
		sinks []Deliverer
		want  int
		err   error
	}{
		{"all take all", []Deliverer{firstN{n: 10}, firstN{n: 10}}, 5, nil},
		{"the slowest decides", []Deliverer{firstN{n: 10}, firstN{n: 2}, firstN{n: 4}}, 2, nil},
		{"one failing", []Deliverer{firstN{n: 10}, firstN{err: boom}}, 0, boom},
		{"no sink acknowledges nothing", nil, 0, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			evs := newOutbox(5).pending
			acked, err := AllOf(tc.sinks...).Deliver(context.Background(), evs)
			if !errors.Is(err, tc.err) || len(acked) != tc.want {
				t.Fatalf("acked %d, err %v; want %d, %v", len(acked), err, tc.want, tc.err)
			}
			for i, id := range acked {
				if id != evs[i].ID {
					t.Errorf("acked[%d] = %s, want the events in order", i, id)
				}
			}
		})
	}
}

func TestRelayAcksOnlyWhatAllSinksTook(t *testing.T) {
	ob := newOutbox(10)
	r := Relay{Outbox: ob, Sink: AllOf(firstN{n: 100}, firstN{n: 3}), Batch: 10}
	n, err := r.Step(context.Background())
	if err != nil || n != 3 || ob.len() != 7 {
		t.Fatalf("step: %d acked, %v, %d pending; want 3 acked, 7 pending", n, err, ob.len())
	}
	n, err = r.Drain(context.Background())
	if err != nil || n != 7 || ob.len() != 0 {
		t.Fatalf("drain: %d acked, %v, %d pending", n, err, ob.len())
	}
}
