package wire

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"

	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/mediation/lamednum"
	pb "github.com/passerelle-sante/passerelle/plugins/proto"
)

// fakeDirectory serves n places; cursor "old" has expired.
type fakeDirectory struct {
	n   int
	err error
}

func places(n int, detail string) []mediation.Place {
	out := make([]mediation.Place, n)
	for i := range out {
		out[i] = mediation.Place{ID: fmt.Sprintf("p%06d", i), Name: "Médiathèque", Commune: "Angoulême", PostalCode: "16000", Address: "1 rue X", UpdatedAt: "2026-01-01", Latitude: 45.65, Longitude: 0.16, Detail: detail}
	}
	return out
}

func (f fakeDirectory) Snapshot(context.Context) ([]mediation.Place, string, error) {
	return places(f.n, ""), "c1", f.err
}

func (f fakeDirectory) Changes(_ context.Context, cursor string) ([]mediation.Place, []string, string, error) {
	if cursor == "old" {
		return nil, nil, "", ErrCursorExpired
	}
	return places(2, ""), []string{"gone"}, "c2", f.err
}

// fakeSink acknowledges what ack returns.
type fakeSink struct {
	ack func([]Event) ([]uuid.UUID, error)
}

func (s fakeSink) Deliver(_ context.Context, evs []Event) ([]uuid.UUID, error) {
	return s.ack(evs)
}

func connect(t *testing.T, d Directory, s EventSink) (*DirectoryClient, *EventSinkClient) {
	t.Helper()
	c, _ := goplugin.TestPluginGRPCConn(t, false, Plugins(Manifest{Name: "t"}, Impls{Directory: d, EventSink: s}))
	t.Cleanup(func() { c.Close() })
	dv, err := c.Dispense(KindDirectory)
	if err != nil {
		t.Fatal(err)
	}
	sv, err := c.Dispense(KindEventSink)
	if err != nil {
		t.Fatal(err)
	}
	return dv.(*DirectoryClient), sv.(*EventSinkClient)
}

func TestDirectoryStream(t *testing.T) {
	dc, _ := connect(t, fakeDirectory{n: 2500}, nil)
	for _, tc := range []struct {
		cursor                  string
		batch                   int
		wantBatches, wantPlaces int
		wantFull                bool
		wantCursor              string
		wantRemoved             int
	}{
		{"", 1000, 3, 2500, true, "c1", 0},
		{"", 0, 3, 2500, true, "c1", 0},
		{"", 7, 358, 2500, true, "c1", 0},
		{"c1", 1000, 1, 2, false, "c2", 1},
		{"old", 1000, 3, 2500, true, "c1", 0},
	} {
		var batches, n, removed int
		var full bool
		var cursor string
		err := dc.Places(context.Background(), tc.cursor, tc.batch, func(b Batch) error {
			batches++
			n += len(b.Places)
			removed += len(b.Removed)
			full = b.Full
			if b.Cursor != "" {
				cursor = b.Cursor
			}
			return nil
		})
		if err != nil || batches != tc.wantBatches || n != tc.wantPlaces || full != tc.wantFull || cursor != tc.wantCursor || removed != tc.wantRemoved {
			t.Errorf("cursor %q batch %d: %d batches, %d places, full %v, cursor %q, removed %d, err %v", tc.cursor, tc.batch, batches, n, full, cursor, removed, err)
		}
	}
}

func TestBatchesStayUnderTheMessageLimit(t *testing.T) {
	big := places(40, strings.Repeat("é", 100_000)) // ~200 KB each, 8 MB in all
	var sizes []int
	err := SendBatches(context.Background(), big, nil, "c", true, 1000, func(b *pb.PlaceBatch) error {
		s := 0
		for _, p := range b.Places {
			s += proto.Size(p)
		}
		sizes = append(sizes, s)
		return nil
	})
	if err != nil || len(sizes) < 3 {
		t.Fatalf("sizes %v, err %v", sizes, err)
	}
	for i, s := range sizes {
		if s > MaxBatchBytes {
			t.Errorf("batch %d holds %d bytes, more than %d", i, s, MaxBatchBytes)
		}
	}
	huge := places(1, strings.Repeat("x", MaxBatchBytes+1))
	err = SendBatches(context.Background(), huge, nil, "c", true, 10, func(*pb.PlaceBatch) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "p000000") {
		t.Errorf("a place larger than a message: err = %v, want one naming the place", err)
	}
}

func TestErrorsCrossWithClearCodes(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want error
	}{
		{fmt.Errorf("backend: %w", ErrUnavailable), ErrUnavailable},
		{fmt.Errorf("bad: %w", ErrInvalid), ErrInvalid},
		{errors.New("boom"), ErrPluginFailed},
		{context.Canceled, context.Canceled},
	} {
		dc, sc := connect(t, fakeDirectory{n: 1, err: tc.err}, fakeSink{ack: func([]Event) ([]uuid.UUID, error) { return nil, tc.err }})
		err := dc.Places(context.Background(), "", 0, func(Batch) error { return nil })
		if !errors.Is(err, tc.want) {
			t.Errorf("directory error %v came back as %v, want %v", tc.err, err, tc.want)
		}
		_, err = sc.Deliver(context.Background(), []Event{{ID: uuid.New()}})
		if !errors.Is(err, tc.want) {
			t.Errorf("sink error %v came back as %v, want %v", tc.err, err, tc.want)
		}
	}
}

func TestGarbageIsContained(t *testing.T) {
	invented := uuid.New()
	_, sc := connect(t, nil, fakeSink{ack: func([]Event) ([]uuid.UUID, error) { return []uuid.UUID{invented}, nil }})
	if _, err := sc.Deliver(context.Background(), []Event{{ID: uuid.New()}}); !errors.Is(err, ErrGarbage) {
		t.Errorf("an acknowledgement of an event never sent = %v, want ErrGarbage", err)
	}

	// A server that sends bytes that are no place.
	conn, _ := goplugin.TestGRPCConn(t, func(s *grpc.Server) { pb.RegisterDirectoryServer(s, garbageDirectory{}) })
	defer conn.Close()
	dc := &DirectoryClient{c: pb.NewDirectoryClient(conn)}
	err := dc.Places(context.Background(), "", 0, func(Batch) error { return nil })
	if !errors.Is(err, ErrGarbage) || !strings.Contains(err.Error(), "place 2") {
		t.Errorf("garbage places = %v, want ErrGarbage naming place 2", err)
	}
}

type garbageDirectory struct {
	pb.UnimplementedDirectoryServer
}

func (garbageDirectory) Places(_ *pb.PlacesRequest, s grpc.ServerStreamingServer[pb.PlaceBatch]) error {
	return s.Send(&pb.PlaceBatch{Places: []*pb.Place{{Id: "a"}, {Nom: "no id"}}})
}

func TestCancellationHonoured(t *testing.T) {
	dc, _ := connect(t, fakeDirectory{n: 5000}, nil)
	ctx, cancel := context.WithCancel(context.Background())
	batches := 0
	err := dc.Places(ctx, "", 100, func(Batch) error {
		batches++
		if batches == 2 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) || batches >= 50 {
		t.Errorf("after cancel: %d batches, err %v; want context.Canceled early", batches, err)
	}
}

func TestPlaceRoundTrip(t *testing.T) {
	f, err := os.Open("../../testdata/lmn-v1-charente-2023-07-11.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ps, _, err := lamednum.Decode(context.Background(), f, lamednum.Options{File: "charente.json"})
	if err != nil {
		t.Fatal(err)
	}
	full := places(1, "détail")[0]
	full.Provenance = []mediation.Provenance{{Source: "Hinaura", SourceID: "42", File: "f.json", Row: 7}}
	full.Flags = []mediation.RepairFlag{mediation.FlagMerged}
	full.Itinerance = []mediation.Itinerance{"Itinérant"}
	full.Emails, full.Websites, full.OtherLabels, full.Typology = []string{"a@b.fr"}, []string{"https://x.fr"}, []string{"Autre"}, []string{"TIERS_LIEUX"}
	ps = append(ps, full)
	for i := range ps {
		// Through the wire bytes too, as a real stream goes.
		b, err := proto.Marshal(PlaceToPB(&ps[i]))
		if err != nil {
			t.Fatal(err)
		}
		var m pb.Place
		if err := proto.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		if got := PlaceFromPB(&m); !reflect.DeepEqual(got, ps[i]) {
			t.Fatalf("place %d (%s) changed on the wire:\n got %+v\nwant %+v", i, ps[i].ID, got, ps[i])
		}
	}
}

type manyIndicators int

func (n manyIndicators) Indicators(context.Context) ([]Indicator, error) {
	out := make([]Indicator, n)
	for i := range out {
		out[i] = Indicator{INSEECode: fmt.Sprintf("%05d", 1000+i%90000), Name: "couverture_fibre", Value: float64(i % 100)}
	}
	return out, nil
}

func TestTerritoryStream(t *testing.T) {
	for _, n := range []int{0, 1, indicatorsPerBatch, 12_345} {
		c, _ := goplugin.TestPluginGRPCConn(t, false, Plugins(Manifest{}, Impls{Territory: manyIndicators(n)}))
		v, err := c.Dispense(KindTerritory)
		if err != nil {
			t.Fatal(err)
		}
		ins, err := v.(*TerritoryClient).Indicators(context.Background())
		if err != nil || len(ins) != n {
			t.Errorf("%d indicators: got %d, %v", n, len(ins), err)
		}
		if n > 0 && ins[n-1].Value != float64((n-1)%100) {
			t.Errorf("%d indicators: last = %+v", n, ins[n-1])
		}
		c.Close()
	}
}

func TestIndicatorCheck(t *testing.T) {
	for _, tc := range []struct {
		in   Indicator
		want string
	}{
		{Indicator{INSEECode: "16015", Name: "x", Value: 1, Date: "2025-01-01"}, ""},
		{Indicator{INSEECode: "2B033", Name: "x"}, ""},
		{Indicator{INSEECode: "2C033", Name: "x"}, "code_insee"},
		{Indicator{INSEECode: "16015"}, "name"},
		{Indicator{INSEECode: "16015", Name: "x", Value: math.NaN()}, "value"},
		{Indicator{INSEECode: "16015", Name: "x", Value: math.Inf(1)}, "value"},
		{Indicator{INSEECode: "16015", Name: "x", Date: "01/01/2025"}, "date"},
	} {
		err := tc.in.Check()
		if (tc.want == "") != (err == nil) || (err != nil && !strings.HasPrefix(err.Error(), tc.want)) {
			t.Errorf("%+v: Check = %v, want %q", tc.in, err, tc.want)
		}
	}
}

type rulesDoc RulesDocument

func (r rulesDoc) Document(context.Context) (RulesDocument, error) { return RulesDocument(r), nil }

func TestRulesDocument(t *testing.T) {
	for _, tc := range []struct {
		doc  RulesDocument
		want string
	}{
		{RulesDocument{Content: []byte("{}"), MediaType: "application/json", Version: "1"}, ""},
		{RulesDocument{MediaType: "application/json", Version: "1"}, "content: empty"},
		{RulesDocument{Content: []byte("{}"), MediaType: "text/plain", Version: "1"}, "media_type"},
		{RulesDocument{Content: make([]byte, MaxBatchBytes+1), MediaType: "application/yaml", Version: "1"}, "content:"},
	} {
		c, _ := goplugin.TestPluginGRPCConn(t, false, Plugins(Manifest{}, Impls{Rules: rulesDoc(tc.doc)}))
		v, _ := c.Dispense(KindRules)
		got, err := v.(*RulesClient).Document(context.Background())
		if tc.want == "" {
			if err != nil || string(got.Content) != string(tc.doc.Content) || got.Version != tc.doc.Version {
				t.Errorf("%s: Document = %+v, %v", tc.doc.MediaType, got, err)
			}
		} else if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Document = %v, want an error with %q", err, tc.want)
		}
		c.Close()
	}
}

type network Network

func (n network) Network(ctx context.Context) (Network, error) { return Network(n), ctx.Err() }

func ambassador(i int) mediation.Ambassador {
	d := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	return mediation.Ambassador{ID: uuid.New(), Handle: fmt.Sprintf("amb-%d", i), Region: "76", Kind: mediation.KindPharmacist,
		Communes: []string{"12203"}, Status: mediation.AmbassadorActive, JoinedAt: d, StatusSince: d}
}

func TestRegistryStream(t *testing.T) {
	d := time.Date(2024, 5, 14, 0, 0, 0, 0, time.UTC)
	co := mediation.Coordinator{ID: uuid.New(), Region: "76", HostKind: mediation.HostGRADeS, HostName: "GRADeS e-santé Occitanie", CreatedAt: d}
	tr := mediation.Training{ID: uuid.New(), PlaceID: "mednum-12-0042", Module: mediation.ModuleMonEspaceSante, Date: d}
	var many []mediation.Ambassador
	for i := range 4500 {
		many = append(many, ambassador(i))
	}
	bad := ambassador(2)
	bad.Handle = "jeanne.dupont@ars.sante.fr"
	for _, tc := range []struct {
		name    string
		n       Network
		want    [3]int
		wantErr string
	}{
		{"empty", Network{}, [3]int{}, ""},
		{"one of each", Network{Coordinators: []mediation.Coordinator{co}, Ambassadors: many[:1], Trainings: []mediation.Training{tr}}, [3]int{1, 1, 1}, ""},
		{"several batches", Network{Coordinators: []mediation.Coordinator{co}, Ambassadors: many, Trainings: []mediation.Training{tr, tr}}, [3]int{1, 4500, 2}, ""},
		{"personal handle", Network{Ambassadors: []mediation.Ambassador{many[0], many[1], bad}}, [3]int{}, "ambassador 3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := goplugin.TestPluginGRPCConn(t, false, Plugins(Manifest{}, Impls{Registry: network(tc.n)}))
			defer c.Close()
			v, _ := c.Dispense(KindRegistry)
			got, err := v.(*RegistryClient).Network(context.Background())
			if tc.wantErr != "" {
				if !errors.Is(err, ErrGarbage) || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("Network = %v, want ErrGarbage naming %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || [3]int{len(got.Coordinators), len(got.Ambassadors), len(got.Trainings)} != tc.want {
				t.Fatalf("Network = %d/%d/%d, %v; want %v", len(got.Coordinators), len(got.Ambassadors), len(got.Trainings), err, tc.want)
			}
			if len(tc.n.Ambassadors) > 0 && got.Ambassadors[len(got.Ambassadors)-1].ID != tc.n.Ambassadors[len(tc.n.Ambassadors)-1].ID {
				t.Error("ambassadors out of order")
			}
		})
	}
}
