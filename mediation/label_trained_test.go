package mediation

import (
	"slices"
	"testing"
	"time"
)

func TestLabelTrainedPlaces(t *testing.T) {
	shared := make([]Label, 1, 2) // room for a second label: appending must not use it
	shared[0] = LabelFabriquesTerritoire
	places := []Place{{ID: "a", Labels: shared}, {ID: "b", Labels: shared}, {ID: "c"}, {ID: "d", Labels: []Label{LabelFormeMonEspaceSante}}}
	trainings := []Training{
		{PlaceID: "a", Module: ModuleMonEspaceSante, Date: hday("2025-03-01")},
		{PlaceID: "b", Module: ModuleMonEspaceSante, Date: hday("2026-02-01")}, // after until
		{PlaceID: "c", Module: "Autre module", Date: hday("2025-03-01")},
		{PlaceID: "d", Module: ModuleMonEspaceSante, Date: hday("2025-03-01")},
	}
	LabelTrainedPlaces(places, trainings, hday("2026-01-01"))
	want := [][]Label{{LabelFabriquesTerritoire, LabelFormeMonEspaceSante}, {LabelFabriquesTerritoire}, nil, {LabelFormeMonEspaceSante}}
	for i, p := range places {
		if !slices.Equal(p.Labels, want[i]) {
			t.Errorf("place %s: labels %v, want %v", p.ID, p.Labels, want[i])
		}
	}
	if shared[:2][1] != "" {
		t.Error("a shared label array was written into")
	}
	LabelTrainedPlaces(places, trainings, time.Time{})
	if !slices.Contains(places[1].Labels, LabelFormeMonEspaceSante) {
		t.Error("a zero until must take trainings of any date")
	}
}
