package plugins_test

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/passerelle-sante/passerelle/plugins"
	"github.com/passerelle-sante/passerelle/store"
)

// takeHalf is a sink that acknowledges the first half of every delivery,
// as a sink that fails midway would.
type takeHalf struct{ seen map[uuid.UUID]int }

func (s takeHalf) Deliver(_ context.Context, evs []store.Event) ([]uuid.UUID, error) {
	var ids []uuid.UUID
	for _, e := range evs[:(len(evs)+1)/2] {
		s.seen[e.ID]++
		ids = append(ids, e.ID)
	}
	return ids, nil
}

// A Relay acknowledges in the outbox only what the sink took; the rest
// stays pending for the next step.
func ExampleRelay() {
	ctx := context.Background()
	ob := &fixedOutbox{}
	for range 5 {
		ob.events = append(ob.events, store.Event{ID: uuid.New(), Kind: "referral.created"})
	}
	sink := takeHalf{seen: map[uuid.UUID]int{}}
	r := plugins.Relay{Outbox: ob, Sink: sink, Batch: 10}
	n, _ := r.Step(ctx)
	fmt.Println("first step acknowledged", n, "pending", len(ob.events))
	total, _ := r.Drain(ctx)
	fmt.Println("drain acknowledged", total, "pending", len(ob.events), "delivered", len(sink.seen))
	// Output:
	// first step acknowledged 3 pending 2
	// drain acknowledged 2 pending 0 delivered 5
}

type fixedOutbox struct{ events []store.Event }

func (o *fixedOutbox) Pending(_ context.Context, limit int) ([]store.Event, error) {
	return append([]store.Event(nil), o.events[:min(limit, len(o.events))]...), nil
}

func (o *fixedOutbox) Ack(_ context.Context, ids ...uuid.UUID) error {
	done := map[uuid.UUID]bool{}
	for _, id := range ids {
		done[id] = true
	}
	kept := o.events[:0]
	for _, e := range o.events {
		if !done[e.ID] {
			kept = append(kept, e)
		}
	}
	o.events = kept
	return nil
}
