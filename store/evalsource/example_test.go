package evalsource_test

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/passerelle-sante/passerelle/evaluation"
	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/store/evalsource"
	"github.com/passerelle-sante/passerelle/store/memory"
)

// Any store.Store, here the memory store, feeds the evaluation page by page.
func ExampleNew() {
	ctx := context.Background()
	st := memory.New(nil)
	defer st.Close()
	day := time.Date(2025, 6, 12, 14, 0, 0, 0, time.UTC)
	_, err := st.SaveActions(ctx, []mediation.Action{{
		ID: uuid.New(), Type: mediation.ActionAccountStand, Date: day, DurationMinutes: 180,
		Commune: "12208", Departement: "12", Region: "76", PeopleSensitised: 25, AccountsActivated: 9,
		Organiser: "CPAM de l'Aveyron", RecordedAt: day,
	}})
	if err != nil {
		fmt.Println(err)
		return
	}
	rep, err := evaluation.Compute(ctx, evalsource.New(st, 0), evaluation.Options{
		Period:      evaluation.Period{From: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
		Departement: "12",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	n, _ := rep.Actions.PeopleSensitised.Value()
	fmt.Println(rep.Territory.Name, rep.Actions.Count.N, "action,", n, "people sensitised, hours:", rep.Actions.Hours.Value)
	fmt.Println("previous year empty:", rep.Previous.Empty)
	// Output:
	// Aveyron 1 action, 25 people sensitised, hours: 3
	// previous year empty: true
}
