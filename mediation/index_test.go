package mediation

import (
	"cmp"
	"compress/gzip"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/passerelle-sante/passerelle/territory"
)

const realPlacesFile = "internal/spatial/testdata/real-places.csv.gz"

// realPlaces reads the 3,720 real places of the fixture (see its NOTICE).
func realPlaces(tb testing.TB) []Place {
	tb.Helper()
	f, err := os.Open(realPlacesFile)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		tb.Fatal(err)
	}
	rows, err := csv.NewReader(gz).ReadAll()
	if err != nil {
		tb.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	places := make([]Place, 0, len(rows)-1)
	for n, r := range rows[1:] {
		get := func(name string) string { return r[col[name]] }
		lat, err1 := strconv.ParseFloat(get("latitude"), 64)
		lon, err2 := strconv.ParseFloat(get("longitude"), 64)
		if err1 != nil || err2 != nil {
			tb.Fatalf("%s: row %d: bad coordinates %q %q", realPlacesFile, n+2, get("latitude"), get("longitude"))
		}
		places = append(places, Place{
			ID:              get("source") + "-" + get("row"),
			Name:            get("nom"),
			Commune:         get("commune"),
			PostalCode:      get("code_postal"),
			Latitude:        lat,
			Longitude:       lon,
			Services:        fixtureValues(tb, n, get("services"), AllServices()),
			Publics:         fixtureValues(tb, n, get("publics_specifiquement_adresses"), AllPublics()),
			SpecificSupport: fixtureValues(tb, n, get("prise_en_charge_specifique"), AllSpecificSupports()),
			Fees:            fixtureValues(tb, n, get("frais_a_charge"), AllFees()),
			Programs:        fixtureValues(tb, n, get("dispositif_programmes_nationaux"), AllPrograms()),
			Labels:          fixtureValues(tb, n, get("formations_labels"), AllLabels()),
			AccessModes:     fixtureValues(tb, n, get("modalites_acces"), AllAccessModes()),
			SupportModes:    fixtureValues(tb, n, get("modalites_accompagnement"), AllSupportModes()),
			Hours:           get("horaires"),
			Booking:         get("prise_rdv"),
		})
	}
	return places
}

func fixtureValues[T ~string](tb testing.TB, row int, raw string, all []T) []T {
	var out []T
	for _, v := range strings.Split(raw, "|") {
		if v == "" {
			continue
		}
		if !slices.Contains(all, T(v)) {
			tb.Fatalf("%s: row %d: %q is not a value of the standard", realPlacesFile, row+2, v)
		}
		out = append(out, T(v))
	}
	return out
}

// syntheticPlaces returns n places spread like people: communes drawn by
// population, each place a few km around the centroid, with the
// attributes (services, fees, hours, ...) of a real place drawn at random;
// one place in 200 is « Formé à « Mon Espace Santé » », a rare label.
func syntheticPlaces(tb testing.TB, n int, seed uint64) []Place {
	tb.Helper()
	ref, err := territory.Default()
	if err != nil {
		tb.Fatal(err)
	}
	communes := ref.Communes()
	cum := make([]float64, len(communes))
	total := 0.0
	for i, c := range communes {
		total += float64(max(c.Population, 1))
		cum[i] = total
	}
	real := realPlaces(tb)
	mes := []Label{LabelFormeMonEspaceSante}
	r := rand.New(rand.NewPCG(seed, 7))
	places := make([]Place, n)
	for i := range places {
		c := communes[min(len(cum)-1, sortSearch(cum, r.Float64()*total))]
		src := &real[r.IntN(len(real))]
		// Uniform in a disc of 4 km.
		dist := 4 * math.Sqrt(r.Float64())
		angle := 2 * math.Pi * r.Float64()
		lat := c.Lat + dist*math.Sin(angle)/111.2
		lon := c.Lon + dist*math.Cos(angle)/(111.2*math.Cos(c.Lat*math.Pi/180))
		if lon > 180 {
			lon -= 360
		} else if lon < -180 {
			lon += 360
		}
		p := Place{
			ID:              "synth-" + strconv.Itoa(i),
			Name:            src.Name,
			Commune:         c.Name,
			INSEECode:       c.Code,
			Latitude:        max(-90, min(90, lat)),
			Longitude:       lon,
			Services:        src.Services,
			Publics:         src.Publics,
			SpecificSupport: src.SpecificSupport,
			Fees:            src.Fees,
			Programs:        src.Programs,
			AccessModes:     src.AccessModes,
			SupportModes:    src.SupportModes,
			Hours:           src.Hours,
		}
		if r.IntN(200) == 0 {
			p.Labels = mes
		}
		places[i] = p
	}
	return places
}

func sortSearch(cum []float64, x float64) int {
	i, _ := slices.BinarySearch(cum, x)
	return i
}

// bruteNearby is the plain reading of a Query: check every place, sort by
// great-circle distance, ties by position. hours memoizes parsed opening
// hours across calls (it is not safe for concurrent use).
func bruteNearby(places []Place, q Query, hours *hoursCache) []Result {
	var out []Result
	type hit struct {
		i  int
		km float64
	}
	var hits []hit
	for i, p := range places {
		if !p.HasLocation() || !q.Matches(p) {
			continue
		}
		if q.OpenWithin > 0 {
			if p.Hours == "" {
				continue
			}
			s := hours.schedule(&p)
			if s == nil || !s.OpenWithin(q.At, q.OpenWithin) {
				continue
			}
		}
		km := DistanceKm(q.Lat, q.Lon, p.Latitude, p.Longitude)
		if q.MaxKm > 0 && km > q.MaxKm {
			continue
		}
		hits = append(hits, hit{i, km})
	}
	slices.SortFunc(hits, func(a, b hit) int {
		if c := cmp.Compare(a.km, b.km); c != 0 {
			return c
		}
		return cmp.Compare(a.i, b.i)
	})
	for _, h := range hits[:min(len(hits), q.K)] {
		out = append(out, Result{Place: places[h.i], DistanceKm: h.km})
	}
	return out
}

// randomQuery draws a query near where people live (or anywhere in the
// DROM-COM) with a random mix of filters, common and rare.
func randomQuery(r *rand.Rand, places []Place) Query {
	q := Query{K: 1 + r.IntN(10)}
	switch r.IntN(6) {
	case 0: // overseas and the antimeridian
		spots := [][2]float64{{-21.1, 55.5}, {16.2, -61.5}, {14.6, -61.0}, {4.9, -52.3}, {-12.8, 45.2}, {-22.3, 166.4}, {-17.5, -149.6}, {-13.3, -176.2}, {-14.3, -178.1}, {-13.5, 179.9}}
		s := spots[r.IntN(len(spots))]
		q.Lat, q.Lon = s[0]+r.NormFloat64(), s[1]+r.NormFloat64()
		q.Lon = math.Mod(q.Lon+540, 360) - 180
	default:
		p := places[r.IntN(len(places))]
		q.Lat = max(-90, min(90, p.Latitude+r.NormFloat64()*0.2))
		q.Lon = max(-180, min(180, p.Longitude+r.NormFloat64()*0.2))
	}
	if r.IntN(3) == 0 {
		q.MaxKm = r.ExpFloat64() * 30
	}
	if r.IntN(8) == 0 {
		q.K = 1 + r.IntN(200)
	}
	pick := func(n int) []int {
		var idx []int
		for c := r.IntN(3); c > 0; c-- {
			idx = append(idx, r.IntN(n))
		}
		return idx
	}
	if r.IntN(2) == 0 {
		for _, i := range pick(len(AllServices())) {
			q.Services = append(q.Services, AllServices()[i])
		}
	}
	if r.IntN(10) == 0 {
		for _, i := range pick(len(AllPublics())) {
			q.Publics = append(q.Publics, AllPublics()[i])
		}
	}
	if r.IntN(10) == 0 {
		for _, i := range pick(len(AllSpecificSupports())) {
			q.SpecificSupport = append(q.SpecificSupport, AllSpecificSupports()[i])
		}
	}
	if r.IntN(4) == 0 {
		for _, i := range pick(len(AllFees())) {
			q.Fees = append(q.Fees, AllFees()[i])
		}
	}
	if r.IntN(8) == 0 {
		for _, i := range pick(len(AllPrograms())) {
			q.Programs = append(q.Programs, AllPrograms()[i])
		}
	}
	if r.IntN(8) == 0 {
		q.Labels = []Label{LabelFormeMonEspaceSante}
	}
	if r.IntN(10) == 0 {
		for _, i := range pick(len(AllAccessModes())) {
			q.AccessModes = append(q.AccessModes, AllAccessModes()[i])
		}
	}
	if r.IntN(8) == 0 {
		for _, i := range pick(len(AllSupportModes())) {
			q.SupportModes = append(q.SupportModes, AllSupportModes()[i])
		}
	}
	q.BookableOnline = r.IntN(10) == 0
	if r.IntN(6) == 0 {
		// A week of 2026 in hours, with a window of up to 3 days.
		q.At = time.Date(2026, 3, 23, 0, 0, 0, 0, time.UTC).Add(time.Duration(r.IntN(7*24*60)) * time.Minute)
		q.OpenWithin = time.Duration(1+r.IntN(72*60)) * time.Minute
	}
	return q
}

func sameResults(t *testing.T, label string, got, want []Result) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: got %d results, want %d\n got  %v\n want %v", label, len(got), len(want), resultIDs(got), resultIDs(want))
	}
	for i := range got {
		if got[i].Place.ID != want[i].Place.ID || math.Abs(got[i].DistanceKm-want[i].DistanceKm) > 1e-9 {
			t.Fatalf("%s: rank %d: got %s at %.12f km, want %s at %.12f km", label, i,
				got[i].Place.ID, got[i].DistanceKm, want[i].Place.ID, want[i].DistanceKm)
		}
	}
}

func resultIDs(rs []Result) []string {
	ids := make([]string, len(rs))
	for i, r := range rs {
		ids[i] = fmt.Sprintf("%s@%.3f", r.Place.ID, r.DistanceKm)
	}
	return ids
}

func TestIndexMatchesBruteForce(t *testing.T) {
	real := realPlaces(t)
	if len(real) != 3720 {
		t.Fatalf("fixture has %d places, want 3720", len(real))
	}
	sets := []struct {
		name    string
		places  []Place
		queries int
	}{
		{"real places", real, 1000},
		{"20,000 synthetic places", syntheticPlaces(t, 20000, 1), 400},
	}
	for _, set := range sets {
		t.Run(set.name, func(t *testing.T) {
			ix, err := NewIndex(set.places, nil)
			if err != nil {
				t.Fatal(err)
			}
			if ix.Len() != len(set.places) || ix.Skipped() != 0 {
				t.Fatalf("Len %d Skipped %d, want %d and 0", ix.Len(), ix.Skipped(), len(set.places))
			}
			r := rand.New(rand.NewPCG(42, 42))
			hours := newHoursCache()
			nonEmpty := 0
			if testing.Short() {
				set.queries /= 10
			}
			for i := 0; i < set.queries; i++ {
				q := randomQuery(r, set.places)
				got, err := ix.Nearby(context.Background(), q)
				if err != nil {
					t.Fatalf("query %d %+v: %v", i, q, err)
				}
				sameResults(t, fmt.Sprintf("query %d %+v", i, q), got, bruteNearby(set.places, q, hours))
				if len(got) > 0 {
					nonEmpty++
				}
			}
			t.Logf("%d of %d queries found places", nonEmpty, set.queries)
			// The comparison means something only if most queries find places.
			if nonEmpty < set.queries/3 {
				t.Fatalf("only %d of %d queries found a place", nonEmpty, set.queries)
			}
		})
	}
}

func TestNearbyFilters(t *testing.T) {
	// Five places on a line going east from (45, 0), 1 km apart roughly.
	mk := func(id string, lonKm float64, p Place) Place {
		p.ID = id
		p.Latitude = 45
		p.Longitude = lonKm / (111.2 * math.Cos(45*math.Pi/180))
		return p
	}
	places := []Place{
		mk("a", 0, Place{Services: []Service{ServiceEverydayTools}, Fees: []Fee{FeePaid}}),
		mk("b", 1, Place{Services: []Service{ServiceEverydayTools, ServiceAdministrativeProcedures}, Fees: []Fee{FeeFree}, Booking: "https://rdv.example/b"}),
		mk("c", 2, Place{Services: []Service{ServiceAdministrativeProcedures}, Fees: []Fee{FeeFreeConditional}, Labels: []Label{LabelFormeMonEspaceSante}, SpecificSupport: []SpecificSupport{SupportDeafness, SupportIlliteracy}}),
		mk("d", 3, Place{Services: []Service{ServiceEverydayTools, ServiceAdministrativeProcedures}, Publics: []Public{PublicSeniors}, SpecificSupport: []SpecificSupport{SupportDeafness}, AccessModes: []AccessMode{AccessOnlineBooking}}),
		{ID: "no location"},
		mk("e", 4, Place{Programs: []Program{ProgramFranceServices}, SupportModes: []SupportMode{SupportWorkshop}}),
	}
	ix, err := NewIndex(places, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ix.Skipped() != 1 || ix.Len() != 5 {
		t.Fatalf("Skipped %d Len %d, want 1 and 5", ix.Skipped(), ix.Len())
	}
	tests := []struct {
		name string
		q    Query
		want string
	}{
		{"no filter", Query{}, "a b c d e"},
		{"k cuts", Query{K: 2}, "a b"},
		{"max distance cuts", Query{MaxKm: 2.5}, "a b c"},
		{"services are all-of", Query{Services: []Service{ServiceEverydayTools, ServiceAdministrativeProcedures}}, "b d"},
		{"fees are any-of", Query{Fees: []Fee{FeeFree, FeeFreeConditional}}, "b c"},
		{"rare label", Query{Labels: []Label{LabelFormeMonEspaceSante}}, "c"},
		{"specific support is all-of", Query{SpecificSupport: []SpecificSupport{SupportDeafness, SupportIlliteracy}}, "c"},
		{"one specific support", Query{SpecificSupport: []SpecificSupport{SupportDeafness}}, "c d"},
		{"publics are any-of", Query{Publics: []Public{PublicSeniors, PublicWomen}}, "d"},
		{"bookable online: URL or access mode", Query{BookableOnline: true}, "b d"},
		{"programs", Query{Programs: []Program{ProgramFranceServices, ProgramAidantsConnect}}, "e"},
		{"support modes", Query{SupportModes: []SupportMode{SupportWorkshop}}, "e"},
		{"access modes", Query{AccessModes: []AccessMode{AccessOnlineBooking}}, "d"},
		{"filters combine", Query{Services: []Service{ServiceAdministrativeProcedures}, Fees: []Fee{FeeFree}}, "b"},
		{"nothing matches", Query{Labels: []Label{LabelSudLabs}}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q := tc.q
			q.Lat, q.Lon = 45, 0
			if q.K == 0 {
				q.K = 10
			}
			got, err := ix.Nearby(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for i, r := range got {
				ids = append(ids, r.Place.ID)
				if i > 0 && r.DistanceKm < got[i-1].DistanceKm {
					t.Fatalf("not ordered by distance: %v", resultIDs(got))
				}
			}
			if s := strings.Join(ids, " "); s != tc.want {
				t.Fatalf("got %q, want %q", s, tc.want)
			}
			sameResults(t, tc.name, got, bruteNearby(places, q, newHoursCache()))
		})
	}
}

func TestNearbyOpenWithin(t *testing.T) {
	hours := "Mo-Fr 09:00-12:00"
	places := []Place{
		{ID: "paris", PostalCode: "75001", Latitude: 48.86, Longitude: 2.34, Hours: hours},
		{ID: "reunion", INSEECode: "97411", Latitude: -20.88, Longitude: 55.45, Hours: hours},
		{ID: "no hours", PostalCode: "75002", Latitude: 48.87, Longitude: 2.34},
		{ID: "bad hours", PostalCode: "75003", Latitude: 48.86, Longitude: 2.36, Hours: "lundi matin"},
		{ID: "noumea", PostalCode: "98800", Latitude: -22.27, Longitude: 166.44, Hours: "Mo-Sa 07:30-11:30"},
	}
	ix, err := NewIndex(places, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ix.UnusableHours() != 1 {
		t.Fatalf("UnusableHours = %d, want 1", ix.UnusableHours())
	}
	monday6UTC := time.Date(2026, 3, 23, 6, 0, 0, 0, time.UTC) // 07:00 Paris, 10:00 Réunion, 17:00 Nouméa
	tests := []struct {
		name   string
		at     time.Time
		within time.Duration
		want   string
	}{
		{"Réunion is open, Paris opens in 2 h", monday6UTC, time.Hour, "reunion"},
		{"both within 3 h", monday6UTC, 3 * time.Hour, "paris reunion"},
		{"Nouméa opens Tuesday 07:30 local", monday6UTC, 15 * time.Hour, "paris reunion noumea"},
		{"Friday 22:00 UTC is Saturday 09:00 in Nouméa", time.Date(2026, 3, 27, 22, 0, 0, 0, time.UTC), time.Hour, "noumea"},
		{"Saturday evening everywhere", time.Date(2026, 3, 28, 18, 0, 0, 0, time.UTC), 12 * time.Hour, ""},
		{"at zero means the index clock", time.Time{}, time.Hour, "reunion"},
	}
	clock := &IndexOptions{Now: func() time.Time { return monday6UTC }}
	ix, err = NewIndex(places, clock)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q := Query{Lat: 48.86, Lon: 2.35, K: 10, OpenWithin: tc.within, At: tc.at}
			got, err := ix.Nearby(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, r := range got {
				ids = append(ids, r.Place.ID)
			}
			if s := strings.Join(ids, " "); s != tc.want {
				t.Fatalf("got %q, want %q", s, tc.want)
			}
		})
	}
}

func TestNearbyInvalidQuery(t *testing.T) {
	ix, err := NewIndex([]Place{{ID: "x", Latitude: 45, Longitude: 3}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ok := Query{Lat: 45, Lon: 3, K: 5}
	tests := []struct {
		name    string
		edit    func(q *Query)
		mention string
	}{
		{"latitude above 90", func(q *Query) { q.Lat = 91 }, "lat"},
		{"latitude NaN", func(q *Query) { q.Lat = math.NaN() }, "lat"},
		{"longitude below -180", func(q *Query) { q.Lon = -181 }, "lon"},
		{"k zero", func(q *Query) { q.K = 0 }, "k: 0"},
		{"k huge", func(q *Query) { q.K = MaxK + 1 }, "k: 10001"},
		{"negative distance", func(q *Query) { q.MaxKm = -1 }, "max_km"},
		{"infinite distance", func(q *Query) { q.MaxKm = math.Inf(1) }, "max_km"},
		{"negative open-within", func(q *Query) { q.OpenWithin = -time.Hour }, "open_within"},
		{"unknown service", func(q *Query) { q.Services = []Service{ServiceSafeUse, "Aide au ménage"} }, `services[1]: "Aide au ménage"`},
		{"unknown label", func(q *Query) { q.Labels = []Label{"Formé à MES"} }, "formations_labels[0]"},
		{"unknown fee", func(q *Query) { q.Fees = []Fee{"gratuit"} }, "frais_a_charge[0]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q := ok
			tc.edit(&q)
			got, err := ix.Nearby(context.Background(), q)
			if !errors.Is(err, ErrInvalidQuery) {
				t.Fatalf("err = %v, want ErrInvalidQuery", err)
			}
			if !strings.Contains(err.Error(), tc.mention) {
				t.Fatalf("error %q does not say %q", err, tc.mention)
			}
			if got != nil {
				t.Fatalf("results with an error: %v", got)
			}
		})
	}
	if _, err := ix.Nearby(context.Background(), ok); err != nil {
		t.Fatalf("valid query rejected: %v", err)
	}
}

func TestNearbyCanceled(t *testing.T) {
	ix, err := NewIndex([]Place{{ID: "x", Latitude: 45, Longitude: 3}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ix.Nearby(ctx, Query{Lat: 45, Lon: 3, K: 1}); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestBitLayoutDistinct(t *testing.T) {
	b := newBitLayout()
	seen := map[int]string{}
	claim := func(bit int, what string) {
		if bit < 0 || bit >= 256 {
			t.Fatalf("%s has bit %d, outside the mask", what, bit)
		}
		if prev, dup := seen[bit]; dup {
			t.Fatalf("%s and %s share bit %d", what, prev, bit)
		}
		seen[bit] = what
	}
	for v, bit := range b.services {
		claim(bit, string(v))
	}
	for v, bit := range b.publics {
		claim(bit, string(v))
	}
	for v, bit := range b.support {
		claim(bit, string(v))
	}
	for v, bit := range b.fees {
		claim(bit, string(v))
	}
	for v, bit := range b.programs {
		claim(bit, string(v))
	}
	for v, bit := range b.labels {
		claim(bit, string(v))
	}
	for v, bit := range b.access {
		claim(bit, string(v))
	}
	for v, bit := range b.modes {
		claim(bit, string(v))
	}
	claim(b.bookable, "bookable")
	claim(b.hours, "hours")
	if len(seen) != b.size {
		t.Fatalf("%d bits claimed, layout says %d", len(seen), b.size)
	}
}

func TestIndexConcurrent(t *testing.T) {
	places := realPlaces(t)
	ix, err := NewIndex(places, nil)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	for g := 0; g < 4; g++ {
		go func(seed uint64) {
			r := rand.New(rand.NewPCG(seed, 1))
			hours := newHoursCache()
			for i := 0; i < 200; i++ {
				q := randomQuery(r, places)
				got, err := ix.Nearby(context.Background(), q)
				if err != nil {
					done <- err
					return
				}
				want := bruteNearby(places, q, hours)
				if len(got) != len(want) || (len(got) > 0 && got[len(got)-1].Place.ID != want[len(want)-1].Place.ID) {
					done <- fmt.Errorf("query %+v: got %v, want %v", q, resultIDs(got), resultIDs(want))
					return
				}
			}
			done <- nil
		}(uint64(g))
	}
	for g := 0; g < 4; g++ {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
}

// FuzzNearby checks the index against the brute-force reading of the query
// on the first 300 real places, for query parameters from the fuzzer.
func FuzzNearby(f *testing.F) {
	f.Add(45.65, 0.15, 5, 0.0, uint16(0), uint8(0))
	f.Add(45.76, 4.83, 3, 20.0, uint16(1<<3|1<<9), uint8(1))
	f.Add(-21.1, 55.5, 50, 0.0, uint16(0xffff), uint8(2))
	f.Add(91.0, 0.0, 0, -1.0, uint16(7), uint8(3))
	places := realPlaces(f)[:300]
	ix, err := NewIndex(places, nil)
	if err != nil {
		f.Fatal(err)
	}
	hours := newHoursCache()
	f.Fuzz(func(t *testing.T, lat, lon float64, k int, maxKm float64, filters uint16, extra uint8) {
		q := Query{Lat: lat, Lon: lon, K: k, MaxKm: maxKm, BookableOnline: extra&1 == 1}
		services := AllServices()
		for i, s := range services {
			if filters&(1<<i) != 0 {
				q.Services = append(q.Services, s)
			}
		}
		if filters&(1<<10) != 0 {
			q.Fees = []Fee{FeeFree, FeePaid}
		}
		if filters&(1<<11) != 0 {
			q.Programs = []Program{ProgramFranceServices}
		}
		if filters&(1<<12) != 0 {
			q.SupportModes = []SupportMode{SupportWorkshop, SupportAutonomous}
		}
		got, err := ix.Nearby(context.Background(), q)
		if verr := q.Validate(); verr != nil {
			if !errors.Is(err, ErrInvalidQuery) {
				t.Fatalf("invalid query %+v: err = %v, want ErrInvalidQuery", q, err)
			}
			return
		}
		if err != nil {
			t.Fatalf("valid query %+v: %v", q, err)
		}
		sameResults(t, fmt.Sprintf("%+v", q), got, bruteNearby(places, q, hours))
	})
}
