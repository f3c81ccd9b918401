package hsds

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/google/uuid"

	m "github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/mediation/franceservices"
	"github.com/passerelle-sante/passerelle/mediation/lamednum"
)

func realPlaces(t testing.TB) []m.Place {
	t.Helper()
	var all []m.Place
	for _, f := range []string{"../lamednum/testdata/lmn-v1-charente-2023-07-11.json", "../lamednum/testdata/lmn-v0.1-hinaura-auvergne-rhone-alpes.json"} {
		r, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		ps, _, err := lamednum.Decode(context.Background(), r, lamednum.Options{File: f})
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, ps...)
	}
	r, err := os.Open("../franceservices/testdata/france-services-2024-08-01.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ps, _, err := franceservices.Decode(context.Background(), r, franceservices.Options{File: "2024-08-01"})
	if err != nil {
		t.Fatal(err)
	}
	return append(all, ps[:300]...)
}

func TestRoundTripRealPlaces(t *testing.T) {
	places := realPlaces(t)
	var buf bytes.Buffer
	if err := Encode(context.Background(), &buf, places); err != nil {
		t.Fatal(err)
	}
	back, rep, err := Decode(context.Background(), bytes.NewReader(buf.Bytes()), Options{File: "export.json"})
	if err != nil {
		t.Fatal(err)
	}
	if len(back) != len(places) || rep.Rejected != 0 {
		t.Fatalf("%d places back of %d: %s", len(back), len(places), rep)
	}
	for i := range places {
		a, b := places[i], back[i]
		a.Provenance, a.Flags, b.Provenance, b.Flags = nil, nil, nil, nil
		if !reflect.DeepEqual(normalize(a), normalize(b)) {
			t.Fatalf("place %d (%s) changed:\n%+v\n%+v", i, a.ID, a, b)
		}
	}
	// Same places, same file: ids are stable.
	var again bytes.Buffer
	if err := Encode(context.Background(), &again, places); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), again.Bytes()) {
		t.Error("two exports of the same places differ")
	}
}

// normalize makes nil and empty slices equal for comparison.
func normalize(p m.Place) m.Place {
	v := reflect.ValueOf(&p).Elem()
	for i := 0; i < v.NumField(); i++ {
		if f := v.Field(i); f.Kind() == reflect.Slice && f.Len() == 0 {
			f.Set(reflect.Zero(f.Type()))
		}
	}
	return p
}

// TestExportRequiredFields checks the fields HSDS 3.0 requires of each
// object (schema/*.json "required") and that ids are UUIDs.
func TestExportRequiredFields(t *testing.T) {
	places := realPlaces(t)[:50]
	var buf bytes.Buffer
	if err := Encode(context.Background(), &buf, places); err != nil {
		t.Fatal(err)
	}
	var page map[string]any
	if err := json.Unmarshal(buf.Bytes(), &page); err != nil {
		t.Fatal(err)
	}
	required := map[string][]string{
		"page":                     {"total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"},
		"service":                  {"id", "name", "status"},
		"organization":             {"id", "name", "description"},
		"service_at_locations":     {"id"},
		"location":                 {"id", "location_type"},
		"addresses":                {"id", "address_1", "city", "state_province", "postal_code", "country", "address_type"},
		"phones":                   {"id", "number"},
		"schedules":                {"id"},
		"attributes":               {"id"},
		"taxonomy_term":            {"id", "name", "description"},
		"organization_identifiers": {"id", "identifier_type", "identifier"},
	}
	var check func(kind string, v any)
	check = func(kind string, v any) {
		switch v := v.(type) {
		case []any:
			for _, e := range v {
				check(kind, e)
			}
		case map[string]any:
			for _, f := range required[kind] {
				if s, ok := v[f]; !ok || s == "" {
					t.Fatalf("%s without %s: %v", kind, f, v)
				}
			}
			if idv, ok := v["id"].(string); ok && kind != "page" {
				if _, err := uuid.Parse(idv); err != nil {
					t.Fatalf("%s id %q is not a UUID", kind, idv)
				}
			}
			for k, sub := range v {
				switch k {
				case "contents":
					check("service", sub)
				case "organization", "location", "taxonomy_term":
					check(k, sub)
				case "service_at_locations", "addresses", "phones", "schedules", "attributes", "organization_identifiers", "accessibility":
					check(k, sub)
				}
			}
		}
	}
	check("page", page)
}

func TestSchedules(t *testing.T) {
	tests := []struct {
		osm   string
		n     int    // schedules
		back  string // OSM read back
		byday string // of the first schedule
	}{
		{"Mo-Fr 09:00-12:00,13:30-17:00; Sa 09:00-12:00", 2, "Mo-Fr 09:00-12:00,13:30-17:00; Sa 09:00-12:00", "MO,TU,WE,TH,FR,SA"},
		{"Mo 13:30-17:00; Tu-Th 09:00-12:00,13:30-17:00", 2, "Mo 13:30-17:00; Tu-Th 09:00-12:00,13:30-17:00", "MO,TU,WE,TH"},
		{"Mo,We 10:00-12:00", 1, "Mo 10:00-12:00; We 10:00-12:00", "MO,WE"},
		{"Mo-Fr 08:30-12:30; PH off", 1, "Mo-Fr 08:30-12:30; PH off", ""},
	}
	for _, tt := range tests {
		s := schedules(tt.osm, "loc")
		if len(s) != tt.n || s[0].Byday != tt.byday {
			t.Errorf("%q: %d schedules %+v", tt.osm, len(s), s)
			continue
		}
		back, ok := openingHours(s)
		if tt.byday == "" {
			// Not weekly: kept as a description, read back as is only
			// through the horaires attribute.
			if ok {
				t.Errorf("%q: non-weekly read back as %q", tt.osm, back)
			}
			continue
		}
		if !ok || back != tt.back {
			t.Errorf("%q: back %q %v, want %q", tt.osm, back, ok, tt.back)
		}
	}
	if _, ok := openingHours([]Schedule{{ID: "x", Freq: "MONTHLY", Byday: "MO", OpensAt: "09:00", ClosesAt: "10:00"}}); ok {
		t.Error("monthly schedule accepted")
	}
}

// A file written by another HSDS producer: no attributes, weekly schedules,
// two locations for one service.
func TestDecodeForeignHSDS(t *testing.T) {
	data, err := os.ReadFile("testdata/foreign.json")
	if err != nil {
		t.Fatal(err)
	}
	places, rep, err := Decode(context.Background(), bytes.NewReader(data), Options{File: "foreign.json"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Rows) != 3 || rep.Rejected != 1 || len(places) != 2 {
		t.Fatalf("%s %+v", rep, rep.Rows)
	}
	p := places[0]
	if p.ID != "svc-1@loc-a" || p.Hours != "Mo-Fr 09:00-12:00; Sa 10:00-12:00" || p.Phone != "+33471000002" || p.Pivot != "12345678900011" {
		t.Errorf("%+v", p)
	}
	if f := rep.Rows[2].Reasons[0].Field; f != "commune" {
		t.Errorf("rejection %+v", rep.Rows[2])
	}
}

func TestDecodeUnreadable(t *testing.T) {
	_, _, err := Decode(context.Background(), strings.NewReader("<xml/>"), Options{File: "x.xml"})
	if !errors.Is(err, m.ErrUnreadable) || !strings.Contains(err.Error(), "x.xml") {
		t.Fatalf("err %v", err)
	}
}

func FuzzDecode(f *testing.F) {
	data, err := os.ReadFile("testdata/foreign.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte(`[{"id":"a","name":"b","service_at_locations":[{"location":{"schedules":[{"freq":"WEEKLY","byday":"MO,XX"}]}}]}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		places, rep, err := Decode(context.Background(), bytes.NewReader(data), Options{})
		if err != nil {
			return
		}
		if rep.Accepted+rep.Repaired+rep.Rejected != len(rep.Rows) || rep.Imported() != len(places) {
			t.Fatalf("bookkeeping %s", rep)
		}
		// What was imported exports and reads back as the same number of places.
		var buf bytes.Buffer
		if err := Encode(context.Background(), &buf, places); err != nil {
			t.Fatal(err)
		}
		back, _, err := Decode(context.Background(), &buf, Options{})
		if err != nil || len(back) != len(places) {
			t.Fatalf("re-import: %d of %d, %v", len(back), len(places), err)
		}
	})
}

func FuzzSchedules(f *testing.F) {
	for _, s := range []string{"Mo-Fr 09:00-12:00,13:30-17:00; Sa 09:00-12:00", "Su-Tu 10:00-11:00", "Mo 25:00-26:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, osm string) {
		week, ok := weekly(osm)
		if !ok {
			return
		}
		back, ok := openingHours(schedules(osm, "l"))
		if !ok {
			t.Fatalf("%q: weekly but schedules do not read back", osm)
		}
		week2, ok := weekly(back)
		if !ok || !reflect.DeepEqual(sorted(week), sorted(week2)) {
			t.Fatalf("%q → %q changes the week", osm, back)
		}
	})
}

func sorted(w [7][]span) [7][]span {
	for i := range w {
		w[i] = sortedSpans(append([]span(nil), w[i]...))
		if len(w[i]) == 0 {
			w[i] = nil
		}
	}
	return w
}
