package evaluation_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/google/uuid"
	"github.com/passerelle-sante/passerelle/evaluation"
	"github.com/passerelle-sante/passerelle/referral"
)

// A desk referred six people from Saint-Affrique in 2025; five came to their
// appointment. With the default threshold, the count of one decline is
// masked; counts of five and more are shown, with the shares between them.
func ExampleCompute() {
	at := time.Date(2025, 3, 2, 10, 0, 0, 0, time.UTC)
	var recs evaluation.Records
	for i := range 6 {
		r := referral.Referral{ID: uuid.New(), Commune: "12208", CreatedAt: at, Status: referral.StatusProposed,
			History: []referral.StatusChange{{To: referral.StatusProposed, At: at}}}
		steps := []referral.Status{referral.StatusAccepted, referral.StatusScheduled, referral.StatusAttended}
		if i == 5 {
			steps = []referral.Status{referral.StatusDeclined}
		}
		for d, s := range steps {
			r.History = append(r.History, referral.StatusChange{From: r.Status, To: s, At: at.AddDate(0, 0, 3*(d+1))})
			r.Status = s
		}
		recs.Referrals = append(recs.Referrals, r)
	}
	rep, err := evaluation.Compute(context.Background(), recs.Source(), evaluation.Options{
		Period:     evaluation.Period{From: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
		Region:     "76",
		NoPrevious: true,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(rep.Territory.Name, "empty:", rep.Empty)
	enc := json.NewEncoder(os.Stdout)
	_ = enc.Encode(rep.Referrals.Funnel)
	_ = enc.Encode(rep.Referrals.Declined)
	_ = enc.Encode(rep.Referrals.Conversion.Accepted)
	_ = enc.Encode(rep.Referrals.MedianDaysToAttended)
	// Output:
	// Occitanie empty: false
	// {"proposed":{"count":6},"accepted":{"count":5},"scheduled":{"count":5},"attended":{"count":5},"completed":{"count":0}}
	// {"masked":true}
	// {"value":0.8333333333333334}
	// {"value":9}
}

// Period and territory are checked before anything is read.
func ExampleCompute_badTerritory() {
	_, err := evaluation.Compute(context.Background(), (&evaluation.Records{}).Source(), evaluation.Options{
		Period:      evaluation.Period{From: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
		Departement: "96",
	})
	fmt.Println(err)
	// Output:
	// evaluation: unknown territory: département "96" is not in the reference
}
