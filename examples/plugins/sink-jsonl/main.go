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
	"io"
	"os"
	"sync"

	"github.com/google/uuid"

	"github.com/passerelle-sante/passerelle/plugins/sdk"
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
	s.seen, err = readSeen(f, s.path)
	return err
}

// maxLine bounds one line of the file (an event with its payload).
const maxLine = 8 << 20

// readSeen returns the ids of the events already written in a JSON-lines
// file (name is for errors). A line that is not an event with an id is
// skipped: a torn last line (a crash mid-write) holds an event that was
// not acknowledged and will come again. A line longer than maxLine is an
// error naming the file and the line.
func readSeen(r io.Reader, name string) (map[uuid.UUID]bool, error) {
	seen := map[uuid.UUID]bool{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	line := 0
	for sc.Scan() {
		line++
		var e struct {
			ID uuid.UUID `json:"id"`
		}
		if json.Unmarshal(sc.Bytes(), &e) == nil && e.ID != uuid.Nil {
			seen[e.ID] = true
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: line %d: %w", name, line+1, err)
	}
	return seen, nil
}

func (s *sink) Deliver(ctx context.Context, events []sdk.Event) ([]uuid.UUID, error) {
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
