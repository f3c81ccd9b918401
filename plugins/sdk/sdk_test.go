package sdk

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/passerelle-sante/passerelle/mediation"
)

type dir struct{}

func (dir) Snapshot(context.Context) ([]mediation.Place, string, error) { return nil, "", nil }
func (dir) Changes(context.Context, string) ([]mediation.Place, []string, string, error) {
	return nil, nil, "", nil
}

type terr struct{}

func (terr) Indicators(context.Context) ([]Indicator, error) { return nil, nil }

func TestDescribe(t *testing.T) {
	for _, tc := range []struct {
		p       Plugin
		kinds   []string
		wantErr string
	}{
		{Plugin{Name: "d", Version: "1", Directory: dir{}}, []string{"directory"}, ""},
		{Plugin{Name: "t", Version: "1", Territory: terr{}, Directory: dir{}}, []string{"directory", "territory"}, ""},
		{Plugin{Name: "", Version: "1", Directory: dir{}}, nil, "Name is empty"},
		{Plugin{Name: "d", Version: "", Directory: dir{}}, nil, "Version is empty"},
		{Plugin{Name: "d", Version: "1"}, nil, "provides no kind"},
	} {
		var buf bytes.Buffer
		err := Describe(&buf, tc.p)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%+v: err = %v, want %q", tc.p, err, tc.wantErr)
			}
			continue
		}
		var m struct {
			Kinds    []string
			Protocol int
		}
		if err != nil || json.Unmarshal(buf.Bytes(), &m) != nil || strings.Join(m.Kinds, ",") != strings.Join(tc.kinds, ",") || m.Protocol != 1 {
			t.Errorf("%+v: %s, %v", tc.p, buf.String(), err)
		}
	}
}

func TestWatchParent(t *testing.T) {
	var ppid atomic.Int64
	ppid.Store(42)
	orphaned := make(chan struct{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go WatchParent(ctx, 42, func() int { return int(ppid.Load()) }, time.Millisecond, func() { close(orphaned) })
	select {
	case <-orphaned:
		t.Fatal("orphaned while the parent lives")
	case <-time.After(20 * time.Millisecond):
	}
	ppid.Store(1) // re-parented to init: the host died
	select {
	case <-orphaned:
	case <-time.After(2 * time.Second):
		t.Fatal("the parent's death went unnoticed")
	}
}

func TestHclogLevel(t *testing.T) {
	for _, tc := range []struct {
		in   slog.Level
		want string
	}{
		{slog.LevelDebug, "debug"}, {slog.LevelInfo, "info"}, {slog.LevelWarn, "warn"},
		{slog.LevelError, "error"}, {slog.LevelError + 4, "error"},
	} {
		if got := hclogLevel(tc.in); got != tc.want {
			t.Errorf("hclogLevel(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
