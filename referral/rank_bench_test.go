package referral

import (
	"cmp"
	"context"
	"slices"
	"testing"

	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/referral/demo"
)

// BenchmarkAnyService compares the two ways to ask an all-of directory for
// a pathway's any-of services: one query per alternative, merged (what
// search does, exact), against one query without the services and a larger
// K filtered with Pathway.Matches (the baseline: cheaper per query, but it
// misses places when the 4×K nearest lack every service). The misses are
// reported as a metric over the communes walked.
func BenchmarkAnyService(b *testing.B) {
	dir, err := demo.Directory(nil)
	if err != nil {
		b.Fatal(err)
	}
	pw, _ := DefaultCatalogue().Pathway(PathwayMediationPlace)
	var points []mediation.Point
	for i, c := range testRef(b).Communes() {
		if i%50 == 0 {
			points = append(points, mediation.Point{Lat: c.Lat, Lon: c.Lon})
		}
	}
	const k, radius = 12, 15.0
	ctx := context.Background()
	perAlternative := func(pt mediation.Point) []string {
		var ids []string
		var all []mediation.Result
		for _, s := range pw.Places.AnyService {
			rs, _ := dir.Nearby(ctx, mediation.Query{Lat: pt.Lat, Lon: pt.Lon, K: k, MaxKm: radius, Services: []mediation.Service{s}, SupportModes: pw.Places.AnySupportMode})
			for _, r := range rs {
				if !slices.ContainsFunc(all, func(x mediation.Result) bool { return x.Place.ID == r.Place.ID }) {
					all = append(all, r)
				}
			}
		}
		slices.SortStableFunc(all, func(a, b mediation.Result) int { return cmp.Compare(a.DistanceKm, b.DistanceKm) })
		for _, r := range all[:min(k, len(all))] {
			ids = append(ids, r.Place.ID)
		}
		return ids
	}
	filtered := func(pt mediation.Point) []string {
		var ids []string
		rs, _ := dir.Nearby(ctx, mediation.Query{Lat: pt.Lat, Lon: pt.Lon, K: 4 * k, MaxKm: radius, SupportModes: pw.Places.AnySupportMode})
		for i := range rs {
			if pw.Matches(&rs[i].Place) && len(ids) < k {
				ids = append(ids, rs[i].Place.ID)
			}
		}
		return ids
	}
	misses := 0
	for _, pt := range points {
		if len(filtered(pt)) < len(perAlternative(pt)) {
			misses++
		}
	}
	b.Run("per_alternative_exact", func(b *testing.B) {
		for b.Loop() {
			for _, pt := range points {
				perAlternative(pt)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(points)), "ns/commune")
	})
	b.Run("baseline_one_query_filtered", func(b *testing.B) {
		for b.Loop() {
			for _, pt := range points {
				filtered(pt)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(points)), "ns/commune")
		b.ReportMetric(float64(misses), "communes-short")
		b.ReportMetric(float64(len(points)), "communes")
	})
}
