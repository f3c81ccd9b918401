package render

import (
	"io"
	"strconv"
	"testing"

	"github.com/passerelle-sante/passerelle/evaluation"
	"github.com/passerelle-sante/passerelle/territory"
)

// bigReport is a national report's size: a map point for every 10th
// commune (about 3,500), 2,000 places, every département.
func bigReport(b *testing.B) (*evaluation.Report, *territory.Reference) {
	ref, err := territory.Default()
	if err != nil {
		b.Fatal(err)
	}
	r := fixture()
	r.Map = nil
	i := 0
	for c := range ref.All() {
		if i++; i%10 == 0 {
			r.Map = append(r.Map, evaluation.MapPoint{Commune: c.Code, Lat: c.Lat, Lon: c.Lon, Places: i % 3, TrainedPlaces: i % 2, Referrals: evaluation.Count{N: i % 40, Masked: i%40 < 5 && i%40 > 0}})
		}
	}
	r.Referrals.ByPlace = nil
	for p := range 2000 {
		r.Referrals.ByPlace = append(r.Referrals.ByPlace, evaluation.FunnelRow{Key: "place-" + strconv.Itoa(p), Funnel: evaluation.Funnel{Proposed: evaluation.Count{N: p % 50}}})
	}
	r.Equity.ByDepartement = nil
	for _, d := range ref.Departements() {
		r.Equity.ByDepartement = append(r.Equity.ByDepartement, evaluation.EquityRow{Key: d.Code, Referred: evaluation.Count{N: 100}, AttendanceRate: evaluation.Measure{Value: 0.5}})
	}
	return r, ref
}

// BenchmarkRender renders one national report in each format; JSON, the
// Report's own marshalling, is the baseline the others are read against.
func BenchmarkRender(b *testing.B) {
	r, ref := bigReport(b)
	b.Run("json-baseline", func(b *testing.B) {
		for b.Loop() {
			if err := JSON(io.Discard, r); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("csv", func(b *testing.B) {
		for b.Loop() {
			if err := CSV(io.Discard, r, French); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("html", func(b *testing.B) {
		for b.Loop() {
			if err := HTML(io.Discard, r, &HTMLOptions{Communes: ref}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
