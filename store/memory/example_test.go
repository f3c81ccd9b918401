package memory_test

import (
	"context"
	"fmt"
	"time"

	"github.com/passerelle-sante/passerelle/referral"
	"github.com/passerelle-sante/passerelle/store/memory"
	"github.com/passerelle-sante/passerelle/store/storetest"
)

// Saving a referral writes its outbox event in the same step.
func Example() {
	ctx := context.Background()
	s := memory.New(nil)
	defer s.Close()
	r := storetest.NewReferral(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), "place-1")
	if err := s.Save(ctx, r); err != nil {
		fmt.Println(err)
		return
	}
	r.Version = 1
	_ = r.Transition(referral.StatusAccepted, r.CreatedAt.Add(time.Hour), referral.ActorPerson, nil)
	if err := s.Update(ctx, &r); err != nil {
		fmt.Println(err)
		return
	}
	evs, _ := s.Pending(ctx, 10)
	for _, e := range evs {
		fmt.Println(e.Kind, string(e.Payload))
	}
	// Output:
	// referral.created {"pathway":"mediation_place","place_id":"place-1","status":"proposed","version":1}
	// referral.status_changed {"pathway":"mediation_place","place_id":"place-1","from":"proposed","status":"accepted","version":2}
}
