package plugintest_test

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/passerelle-sante/passerelle/plugins/plugintest"
	"github.com/passerelle-sante/passerelle/store"
)

// forgetful acknowledges an event only the first time it sees it: after a
// host retry, the event would stay pending for ever.
type forgetful struct{ seen map[uuid.UUID]bool }

func (f forgetful) Deliver(ctx context.Context, evs []store.Event) ([]uuid.UUID, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var ids []uuid.UUID
	for _, e := range evs {
		if !f.seen[e.ID] {
			ids = append(ids, e.ID)
		}
		f.seen[e.ID] = true
	}
	return ids, nil
}

func ExampleCheckEventSink() {
	r := plugintest.Report{Plugin: "forgetful"}
	plugintest.CheckEventSink(context.Background(), forgetful{seen: map[uuid.UUID]bool{}}, &r)
	for _, c := range r.Checks {
		fmt.Printf("%s: %v\n", c.Name, c.Err)
	}
	// Output:
	// deliver: <nil>
	// deliver again (idempotent): delivery 2: 0 of 3 events acknowledged
	// cancellation: <nil>
}
