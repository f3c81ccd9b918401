package wire

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/mediation/lamednum"
	pb "github.com/passerelle-sante/passerelle/plugins/proto"
	"google.golang.org/protobuf/proto"
)

// roundTripPlaces are the real Charente places and one place with every
// field set.
func roundTripPlaces(t testing.TB) []mediation.Place {
	t.Helper()
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
	full.Provenance = []mediation.Provenance{{Source: "Hinaura", SourceID: "42", File: "f.json", Row: 7}, {Source: "Hinaura", Row: -3}}
	full.Flags = []mediation.RepairFlag{mediation.FlagMerged}
	full.Itinerance = []mediation.Itinerance{"Itinérant"}
	full.Emails, full.Websites, full.OtherLabels, full.Typology = []string{"a@b.fr"}, []string{"https://x.fr"}, []string{"Autre"}, []string{"TIERS_LIEUX"}
	full.Latitude, full.Longitude = 45.6484, 0.1562
	return append(ps, full)
}

func pack(ps []mediation.Place) ([]byte, int) {
	var p Packer
	for i := range ps {
		p.Add(&ps[i])
	}
	return p.Bytes(), p.Count()
}

func TestPackedRoundTrip(t *testing.T) {
	ps := roundTripPlaces(t)
	b, n := pack(ps)
	got, err := Unpack(b, n)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(ps) {
		t.Fatalf("%d places back, want %d", len(got), len(ps))
	}
	for i := range ps {
		if !reflect.DeepEqual(got[i], ps[i]) {
			t.Fatalf("place %d (%s) changed:\n got %+v\nwant %+v", i, ps[i].ID, got[i], ps[i])
		}
	}
	// Appending to a decoded list never writes over its neighbour's.
	for i := range got {
		if len(got[i].Services) > 0 {
			before := append([]mediation.Service(nil), got[i+1].Services...)
			_ = append(got[i].Services, "x")
			if !reflect.DeepEqual(got[i+1].Services, before) && len(before) > 0 {
				t.Fatal("decoded lists share their backing array")
			}
			break
		}
	}
	// The same places as Place messages take more bytes.
	pbBytes := 0
	for i := range ps {
		m := PlaceToPB(&ps[i])
		pbBytes += proto.Size(m)
	}
	t.Logf("%d places: packed %d bytes, Place messages %d bytes", len(ps), len(b), pbBytes)
	if len(b) >= pbBytes {
		t.Errorf("packed %d bytes, not fewer than the %d of Place messages", len(b), pbBytes)
	}
}

func TestUnpackRefusesGarbage(t *testing.T) {
	ps := roundTripPlaces(t)[:3]
	b, n := pack(ps)
	for _, tc := range []struct {
		name  string
		b     []byte
		count int
		want  string
	}{
		{"no bytes", nil, 2, "2 places announced, no bytes"},
		{"other version", append([]byte{9}, b[1:]...), n, "version 9"},
		{"count too large", b, 1 << 20, "places announced"},
		{"negative count", b, -1, "places announced"},
		{"truncated", b[:len(b)-5], n, "place 3"},
		{"trailing bytes", append(append([]byte(nil), b...), 1, 2), n, "2 bytes after the last place"},
		{"fewer places", b, n - 1, "bytes after the last place"},
		{"undefined symbol", padded(1, 1, 'a', 0, 0, 7), 1, "place 1, commune, byte 6: symbol 7 is not defined"},
		{"long length", padded(1, 0x7f, 'a'), 1, "place 1, id"},
		{"varint overflow", append([]byte{1}, []byte(strings.Repeat("\xff", 11))...), 0, "bytes after the last place"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Unpack(tc.b, tc.count)
			if !errors.Is(err, ErrPacked) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Unpack = %v, want ErrPacked with %q", err, tc.want)
			}
		})
	}
	if ps, err := Unpack(nil, 0); err != nil || ps != nil {
		t.Errorf("an empty batch = %v, %v", ps, err)
	}
}

// padded fills b with zeros up to the smallest size a packed place takes.
func padded(b ...byte) []byte {
	return append(b, make([]byte, max(0, 1+minPackedPlace-len(b)))...)
}

func TestPackedBatchesStayUnderTheMessageLimit(t *testing.T) {
	big := places(40, strings.Repeat("é", 100_000)) // ~200 KB each, 8 MB in all
	var sizes, counts []int
	total := 0
	err := SendPacked(context.Background(), big, []string{"gone"}, "c", true, 1000, func(b *pb.PlaceBatch) error {
		sizes, counts = append(sizes, len(b.Packed)), append(counts, int(b.PackedCount))
		ps, err := Unpack(b.Packed, int(b.PackedCount))
		total += len(ps)
		if b.Cursor != "" && (len(b.Removed) != 1 || b.Cursor != "c") {
			t.Errorf("the last batch carries %v and %q", b.Removed, b.Cursor)
		}
		return err
	})
	if err != nil || len(sizes) < 3 || total != len(big) {
		t.Fatalf("sizes %v counts %v, %d places, err %v", sizes, counts, total, err)
	}
	for i, s := range sizes {
		if s > MaxBatchBytes {
			t.Errorf("batch %d holds %d bytes, more than %d", i, s, MaxBatchBytes)
		}
	}
	// Batch size in places is honoured too, and a cut batch undoes the
	// symbols of the place that did not fit.
	counts = counts[:0]
	if err := SendPacked(context.Background(), places(25, "d"), nil, "c", false, 10, func(b *pb.PlaceBatch) error {
		counts = append(counts, int(b.PackedCount))
		_, err := Unpack(b.Packed, int(b.PackedCount))
		return err
	}); err != nil || !reflect.DeepEqual(counts, []int{10, 10, 5}) {
		t.Errorf("batches of 10: counts %v, err %v", counts, err)
	}
	huge := places(2, strings.Repeat("x", MaxBatchBytes+1))
	err = SendPacked(context.Background(), huge, nil, "c", true, 10, func(*pb.PlaceBatch) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "p000000") {
		t.Errorf("a place larger than a message: err = %v, want one naming the place", err)
	}
}

// TestOldPluginsStillRead: a plugin that ignores the packed request sends
// Place messages, which the host reads as before.
func TestOldPluginsStillRead(t *testing.T) {
	want := places(30, "d")
	got := 0
	err := SendBatches(context.Background(), want, nil, "c", true, 7, func(b *pb.PlaceBatch) error {
		ps, err := Unpack(b.Packed, int(b.PackedCount))
		if err != nil || len(ps) != 0 {
			t.Errorf("a Place-message batch unpacks to %d, %v", len(ps), err)
		}
		got += len(b.Places)
		return nil
	})
	if err != nil || got != 30 {
		t.Errorf("%d places, err %v", got, err)
	}
	dc, _ := connect(t, fakeDirectory{n: 30}, nil)
	n := 0
	if err := dc.Places(context.Background(), "", 7, func(b Batch) error { n += len(b.Places); return nil }); err != nil || n != 30 {
		t.Errorf("a packed stream gave %d places, err %v", n, err)
	}
}

func FuzzUnpack(f *testing.F) {
	ps := roundTripPlaces(f)
	b, n := pack(ps[:5])
	f.Add(b, n)
	f.Add([]byte{1}, 0)
	f.Add([]byte{1, 0, 0}, 1)
	f.Fuzz(func(t *testing.T, b []byte, count int) {
		got, err := Unpack(b, count)
		if err != nil {
			if !errors.Is(err, ErrPacked) {
				t.Fatalf("error %v is not ErrPacked", err)
			}
			return
		}
		if len(got) != count {
			t.Fatalf("%d places, %d announced", len(got), count)
		}
		// What decodes encodes back to the same bytes once normalised
		// (compared as bytes: a NaN coordinate is not equal to itself).
		b2, n2 := pack(got)
		again, err := Unpack(b2, n2)
		if err != nil {
			t.Fatalf("re-encoded batch: %v", err)
		}
		if b3, _ := pack(again); !bytes.Equal(b2, b3) {
			t.Fatal("re-encoded batch differs")
		}
	})
}

// TestUnpackIntoReuses: a batch decoded into the array of the one before
// holds nothing of it, and the places copied out of the first stay as
// they were.
func TestUnpackIntoReuses(t *testing.T) {
	ps := roundTripPlaces(t)
	rich, plain := ps[len(ps)-1:], places(1, "")
	b1, n1 := pack(rich)
	b2, n2 := pack(plain)
	first, err := UnpackInto(nil, b1, n1)
	if err != nil {
		t.Fatal(err)
	}
	kept := append([]mediation.Place(nil), first...)
	second, err := UnpackInto(first, b2, n2)
	if err != nil {
		t.Fatal(err)
	}
	if &second[0] != &first[0] {
		t.Error("the array was not reused")
	}
	if !reflect.DeepEqual(second, plain) {
		t.Errorf("second batch = %+v, want %+v", second[0], plain[0])
	}
	if !reflect.DeepEqual(kept, rich) {
		t.Errorf("a place kept from the first batch changed: %+v", kept[0])
	}
}

// BenchmarkBatchEncoding: one batch of 1000 real places (the Charente
// file, repeated with new ids) encoded and decoded, packed against Place
// messages (the baseline), in places per second.
func BenchmarkBatchEncoding(b *testing.B) {
	base := roundTripPlaces(b)
	ps := make([]mediation.Place, 1000)
	for i := range ps {
		ps[i] = base[i%len(base)]
		ps[i].ID = fmt.Sprintf("%s-%d", ps[i].ID, i)
	}
	rate := func(b *testing.B) { b.ReportMetric(float64(len(ps)*b.N)/b.Elapsed().Seconds(), "places/s") }
	b.Run("packed-encode", func(b *testing.B) {
		var p Packer
		for b.Loop() {
			p.Reset()
			for i := range ps {
				p.Add(&ps[i])
			}
		}
		rate(b)
	})
	b.Run("place-messages-encode-baseline", func(b *testing.B) {
		for b.Loop() {
			m := &pb.PlaceBatch{Places: make([]*pb.Place, len(ps))}
			for i := range ps {
				m.Places[i] = PlaceToPB(&ps[i])
			}
			if _, err := proto.Marshal(m); err != nil {
				b.Fatal(err)
			}
		}
		rate(b)
	})
	raw, n := pack(ps)
	b.Run("packed-decode", func(b *testing.B) {
		var dst []mediation.Place
		for b.Loop() {
			var err error
			if dst, err = UnpackInto(dst, raw, n); err != nil {
				b.Fatal(err)
			}
		}
		rate(b)
	})
	m := &pb.PlaceBatch{Places: make([]*pb.Place, len(ps))}
	for i := range ps {
		m.Places[i] = PlaceToPB(&ps[i])
	}
	pbRaw, _ := proto.Marshal(m)
	b.Run("place-messages-decode-baseline", func(b *testing.B) {
		for b.Loop() {
			var back pb.PlaceBatch
			if err := proto.Unmarshal(pbRaw, &back); err != nil {
				b.Fatal(err)
			}
			out := make([]mediation.Place, len(back.Places))
			for i, pm := range back.Places {
				out[i] = PlaceFromPB(pm)
			}
		}
		rate(b)
	})
}
