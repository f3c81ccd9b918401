// Command sink-jsonl is an example event-sink plugin: it appends every
// outbox event to a JSON-lines file and fsyncs before acknowledging, so an
// acknowledged event is on disk. It skips ids it has already written
// (delivery is at least once). SINK_JSONL_FILE names the file;
// SINK_JSONL_FAIL=always refuses every delivery and SINK_JSONL_FAIL=crash
// exits in the middle of one, to show the host's outbox keeping the events.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sync"

	"github.com/google/uuid"

	"github.com/passerelle-sante/passerelle/plugins/sdk"
	"github.com/passerelle-sante/passerelle/store"
)

type sink struct {
	mu   sync.Mutex
	path string
	fail string
	seen map[uuid.UUID]bool
}

func (s *sink) load() error {
	s.seen = map[uuid.UUID]bool{}
	f, err := os.Open(s.path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 8<<20)
	for sc.Scan() {
		var e struct {
			ID uuid.UUID `json:"id"`
		}
		// A torn last line (a crash mid-write) is skipped: its event was
		// not acknowledged and will come again.
		if json.Unmarshal(sc.Bytes(), &e) == nil {
			s.seen[e.ID] = true
		}
	}
	return sc.Err()
}

func (s *sink) Deliver(ctx context.Context, events []store.Event) ([]uuid.UUID, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail == "always" {
		return nil, fmt.Errorf("%w: failing on purpose (SINK_JSONL_FAIL=always)", sdk.ErrUnavailable)
	}
	if s.seen == nil {
		if err := s.load(); err != nil {
			return nil, fmt.Errorf("%w: %v", sdk.ErrUnavailable, err)
		}
	}
	f, err := os.OpenFile(s.path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", sdk.ErrUnavailable, err)
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	acked := make([]uuid.UUID, 0, len(events))
	for i, e := range events {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if s.fail == "crash" && i == len(events)/2 {
			w.Flush()
			os.Exit(7)
		}
		acked = append(acked, e.ID)
		if s.seen[e.ID] {
			continue
		}
		b, err := json.Marshal(e)
		if err != nil {
			return nil, err
		}
		w.Write(append(b, '\n'))
	}
	if err := w.Flush(); err != nil {
		return nil, fmt.Errorf("%w: %v", sdk.ErrUnavailable, err)
	}
	if err := f.Sync(); err != nil {
		return nil, fmt.Errorf("%w: %v", sdk.ErrUnavailable, err)
	}
	for _, id := range acked {
		s.seen[id] = true
	}
	return acked, nil
}

func main() {
	s := &sink{path: os.Getenv("SINK_JSONL_FILE"), fail: os.Getenv("SINK_JSONL_FAIL")}
	if s.path == "" {
		s.path = "events.jsonl"
	}
	if err := sdk.Serve(sdk.Plugin{Name: "sink-jsonl", Version: "0.1.0", EventSink: s}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
