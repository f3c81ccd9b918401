package sdk_test

import (
	"context"
	"os"

	"github.com/google/uuid"

	"github.com/passerelle-sante/passerelle/plugins/sdk"
)

// countingSink takes every event; a real sink would write them somewhere
// durable before acknowledging.
type countingSink struct{ n int }

func (s *countingSink) Deliver(_ context.Context, evs []sdk.Event) ([]uuid.UUID, error) {
	ids := make([]uuid.UUID, len(evs))
	for i, e := range evs {
		ids[i] = e.ID
	}
	s.n += len(evs)
	return ids, nil
}

// A plugin's main calls sdk.Serve(p); "myplugin describe" prints this.
func ExampleDescribe() {
	p := sdk.Plugin{Name: "cpam-sink", Version: "1.2.0", EventSink: &countingSink{}}
	sdk.Describe(os.Stdout, p)
	// Output:
	// {
	//   "name": "cpam-sink",
	//   "version": "1.2.0",
	//   "kinds": [
	//     "event_sink"
	//   ],
	//   "protocol": 1,
	//   "protocols": [
	//     1
	//   ]
	// }
}
