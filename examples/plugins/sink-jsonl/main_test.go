package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/passerelle-sante/passerelle/plugins/sdk"
)

func TestDeliverWritesEachEventOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.jsonl")
	evs := []sdk.Event{
		{ID: uuid.New(), Kind: "action.recorded", Subject: uuid.NewString(), At: time.Now().UTC()},
		{ID: uuid.New(), Kind: "referral.created", Subject: uuid.NewString(), At: time.Now().UTC()},
	}
	s := &sink{path: path}
	for range 2 { // the second delivery repeats the first
		acked, err := s.Deliver(context.Background(), evs)
		if err != nil || len(acked) != 2 {
			t.Fatalf("Deliver = %v, %v", acked, err)
		}
	}
	// A restarted sink reads what it wrote, and a torn last line.
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"id":"` + uuid.NewString()[:10])
	f.Close()
	s2 := &sink{path: path}
	if acked, err := s2.Deliver(context.Background(), evs[:1]); err != nil || len(acked) != 1 {
		t.Fatalf("Deliver after restart = %v, %v", acked, err)
	}
	raw, _ := os.ReadFile(path)
	if n := strings.Count(string(raw), `"kind":"action.recorded"`); n != 1 {
		t.Errorf("the event was written %d times, want once:\n%s", n, raw)
	}
}

func TestReadSeenRefusesHugeLines(t *testing.T) {
	_, err := readSeen(strings.NewReader(`{"id":"0b7a3c52-6c1e-4b55-8d7a-0d1f0b9b1a01"}`+"\n"+strings.Repeat("x", maxLine+1)), "events.jsonl")
	if err == nil || !strings.Contains(err.Error(), "events.jsonl: line 2") {
		t.Errorf("a line over the limit = %v, want an error naming the file and line 2", err)
	}
}

// FuzzReadSeen: whatever the file holds, the ids read are those of the
// lines that are events, and nothing panics.
func FuzzReadSeen(f *testing.F) {
	f.Add([]byte(`{"id":"0b7a3c52-6c1e-4b55-8d7a-0d1f0b9b1a01","kind":"x"}` + "\n" + `{"id":"0b7a`))
	f.Add([]byte("\n\n{}\n[1]\n"))
	f.Add([]byte(`{"id":"00000000-0000-0000-0000-000000000000"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		seen, err := readSeen(bytes.NewReader(b), "f")
		if err != nil {
			return
		}
		want := map[uuid.UUID]bool{}
		for sc := bufio.NewScanner(bytes.NewReader(b)); sc.Scan(); {
			var e struct {
				ID uuid.UUID `json:"id"`
			}
			if json.Unmarshal(sc.Bytes(), &e) == nil && e.ID != uuid.Nil {
				want[e.ID] = true
			}
		}
		if len(seen) != len(want) {
			t.Fatalf("%d ids read, want %d", len(seen), len(want))
		}
		if seen[uuid.Nil] {
			t.Fatal("the nil id counts as seen")
		}
	})
}
