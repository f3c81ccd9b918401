package plugins

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/passerelle-sante/passerelle/plugins/internal/wire"
	"github.com/passerelle-sante/passerelle/store"
)

// EventSink is a sink plugin seen from the host.
type EventSink struct{ p *Plugin }

// EventSink returns the plugin as an event sink, or an error wrapping
// ErrUnsupported when its manifest does not declare the kind.
func (p *Plugin) EventSink() (*EventSink, error) {
	if !p.manifest.Provides(KindEventSink) {
		return nil, fmt.Errorf("%w: plugin %q does not declare %q", ErrUnsupported, p.manifest.Name, KindEventSink)
	}
	return &EventSink{p: p}, nil
}

// Deliver sends events under the call timeout and returns the ids the
// sink acknowledged.
func (s *EventSink) Deliver(ctx context.Context, events []store.Event) ([]uuid.UUID, error) {
	v, err := s.p.dispense(wire.KindEventSink)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, s.p.opts.CallTimeout)
	defer cancel()
	evs := make([]wire.Event, len(events))
	for i, e := range events {
		evs[i] = wire.Event(e)
	}
	acked, err := v.(*wire.EventSinkClient).Deliver(ctx, evs)
	if err != nil {
		return nil, s.p.failed(fmt.Errorf("plugin %q: deliver: %w", s.p.manifest.Name, err))
	}
	s.p.succeeded()
	return acked, nil
}

// Deliverer is what Relay delivers to: an *EventSink, or any Go value
// with the same method.
type Deliverer interface {
	Deliver(ctx context.Context, events []store.Event) ([]uuid.UUID, error)
}

// Relay moves a store's outbox to a sink: Pending, Deliver, then Ack of
// exactly what the sink acknowledged. An event stays pending until the
// sink took it, so a sink that is down, slow or crashing loses nothing;
// it may see an event twice and deduplicates on Event.ID.
type Relay struct {
	Outbox store.Outbox
	Sink   Deliverer
	// Batch is how many events one delivery carries (0: 100).
	Batch int
}

// Step delivers one batch and returns how many events were acknowledged.
// It returns 0 and no error when the outbox is empty.
func (r Relay) Step(ctx context.Context) (int, error) {
	limit := r.Batch
	if limit <= 0 {
		limit = 100
	}
	evs, err := r.Outbox.Pending(ctx, limit)
	if err != nil || len(evs) == 0 {
		return 0, err
	}
	acked, err := r.Sink.Deliver(ctx, evs)
	if err != nil {
		return 0, err
	}
	if len(acked) == 0 {
		return 0, nil
	}
	if err := r.Outbox.Ack(ctx, acked...); err != nil {
		return 0, fmt.Errorf("outbox ack: %w", err)
	}
	return len(acked), nil
}

// Drain calls Step until the outbox is empty, the sink acknowledges
// nothing, or an error; it returns how many events were acknowledged.
func (r Relay) Drain(ctx context.Context) (int, error) {
	total := 0
	for {
		n, err := r.Step(ctx)
		total += n
		if err != nil || n == 0 {
			return total, err
		}
	}
}

// AllOf delivers to every sink and acknowledges only the events that all
// of them acknowledged, so one outbox can feed several sinks: an event
// stays pending until the last sink took it (the others see it again and
// deduplicate it). An error of any sink fails the delivery.
func AllOf(sinks ...Deliverer) Deliverer { return allOf(sinks) }

type allOf []Deliverer

func (a allOf) Deliver(ctx context.Context, events []store.Event) ([]uuid.UUID, error) {
	count := make(map[uuid.UUID]int, len(events))
	for _, s := range a {
		acked, err := s.Deliver(ctx, events)
		if err != nil {
			return nil, err
		}
		seen := make(map[uuid.UUID]bool, len(acked))
		for _, id := range acked {
			if !seen[id] {
				seen[id] = true
				count[id]++
			}
		}
	}
	out := make([]uuid.UUID, 0, len(events))
	for _, e := range events {
		if count[e.ID] == len(a) && len(a) > 0 {
			out = append(out, e.ID)
			count[e.ID] = 0 // an event listed twice is acknowledged once
		}
	}
	return out, nil
}
