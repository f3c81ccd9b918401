package wire

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/uuid"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/passerelle-sante/passerelle/mediation"
	pb "github.com/passerelle-sante/passerelle/plugins/proto"
)

// FuzzRegistryRecords: a registry record from a plugin either decodes
// into one that passes its Validate, or is an ErrGarbage error naming its
// kind and position; never a panic.
func FuzzRegistryRecords(f *testing.F) {
	f.Add([]byte(`{"id":"3f0c6a52-6c1e-4b55-8d7a-0d1f0b9b1a01","region":"76"}`))
	f.Add([]byte(`{"id":"x"}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		check := func(err error, kind string) {
			if err != nil && (!errors.Is(err, ErrGarbage) || !strings.Contains(err.Error(), kind+" 3")) {
				t.Fatalf("%s: error %v is not ErrGarbage naming %s 3", kind, err, kind)
			}
		}
		cs, err := decodeChecked([][]byte{raw}, "coordinator", 2, (*mediation.Coordinator).Validate)
		check(err, "coordinator")
		if err == nil && len(cs) != 1 {
			t.Fatalf("%d coordinators from one record", len(cs))
		}
		_, err = decodeChecked([][]byte{raw}, "ambassador", 2, (*mediation.Ambassador).Validate)
		check(err, "ambassador")
		_, err = decodeChecked([][]byte{raw}, "training", 2, (*mediation.Training).Validate)
		check(err, "training")
	})
}

// FuzzParseAcks: acknowledgements are exactly ids that were sent, or an
// ErrGarbage error.
func FuzzParseAcks(f *testing.F) {
	sentID := uuid.MustParse("0b7a3c52-6c1e-4b55-8d7a-0d1f0b9b1a01")
	f.Add(sentID.String(), "")
	f.Add("{0b7a3c52-6c1e-4b55-8d7a-0d1f0b9b1a01}", "urn:uuid:0b7a3c52-6c1e-4b55-8d7a-0d1f0b9b1a01")
	f.Add("not an id", "0b7a3c526c1e4b558d7a0d1f0b9b1a01")
	f.Fuzz(func(t *testing.T, a, b string) {
		sent := map[uuid.UUID]bool{sentID: true}
		ids, err := ParseAcks([]string{a, b}, sent)
		if err != nil {
			if !errors.Is(err, ErrGarbage) {
				t.Fatalf("error %v is not ErrGarbage", err)
			}
			return
		}
		for _, id := range ids {
			if !sent[id] {
				t.Fatalf("acknowledged %s, never sent", id)
			}
		}
	})
}

// FuzzEventsFromPB: an event from the host either converts with its id
// kept, or is an ErrInvalid error naming it.
func FuzzEventsFromPB(f *testing.F) {
	f.Add("0b7a3c52-6c1e-4b55-8d7a-0d1f0b9b1a01", "action.recorded", int64(0), []byte(`{}`))
	f.Add("x", "", int64(-1), []byte(nil))
	f.Fuzz(func(t *testing.T, id, kind string, at int64, payload []byte) {
		evs, err := EventsFromPB([]*pb.Event{{Id: id, Kind: kind, AtUnixNano: at, Payload: payload}})
		if err != nil {
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "events[0].id") {
				t.Fatalf("error %v is not ErrInvalid naming events[0].id", err)
			}
			return
		}
		if want, _ := uuid.Parse(id); len(evs) != 1 || evs[0].ID != want || evs[0].Kind != kind || evs[0].At.UnixNano() != at {
			t.Fatalf("event %+v from id %q kind %q at %d", evs, id, kind, at)
		}
	})
}

// FuzzFromStatus: whatever status a plugin returns becomes one of the
// package's errors, never a bare gRPC error.
func FuzzFromStatus(f *testing.F) {
	f.Add(uint32(codes.Unavailable), "plugin backend unavailable: disk full")
	f.Add(uint32(codes.OutOfRange), "")
	f.Add(uint32(99), "\xff")
	f.Fuzz(func(t *testing.T, code uint32, msg string) {
		if code == uint32(codes.OK) {
			return // no error to map
		}
		err := FromStatus(status.Error(codes.Code(code), msg))
		for _, base := range []error{context.Canceled, context.DeadlineExceeded, ErrInvalid, ErrUnavailable, ErrUnsupported, ErrCursorExpired, ErrPluginFailed} {
			if errors.Is(err, base) {
				return
			}
		}
		t.Fatalf("status %d %q became %v, none of the package's errors", code, msg, err)
	})
}
