package sqlite_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/passerelle-sante/passerelle/referral"
	"github.com/passerelle-sante/passerelle/store/sqlite"
	"github.com/passerelle-sante/passerelle/store/storetest"
)

const (
	writerEnvDB  = "PASSERELLE_SQLITE_WRITER_DB"
	writerEnvIDs = "PASSERELLE_SQLITE_WRITER_IDS"
	writerEnvTag = "PASSERELLE_SQLITE_WRITER_TAG"

	writerGoroutines = 4
	writerUpdates    = 10
)

// TestWriterChild is a child of TestProcessesNeverLoseAnUpdate: several
// goroutines update the given referrals, each update appending a token of
// its own to the rule field, retrying on conflict.
func TestWriterChild(t *testing.T) {
	path := os.Getenv(writerEnvDB)
	if path == "" {
		t.Skip("child process of TestProcessesNeverLoseAnUpdate")
	}
	ctx := context.Background()
	s, err := sqlite.Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var ids []uuid.UUID
	for _, x := range strings.Split(os.Getenv(writerEnvIDs), ",") {
		ids = append(ids, uuid.MustParse(x))
	}
	tag := os.Getenv(writerEnvTag)
	var wg sync.WaitGroup
	var mu sync.Mutex
	conflicts := 0
	for w := range writerGoroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for u := range writerUpdates {
				for {
					r, err := s.Get(ctx, ids[(w+u)%len(ids)])
					if err != nil {
						t.Error(err)
						return
					}
					r.Rule += fmt.Sprintf("%sw%du%d;", tag, w, u)
					err = s.Update(ctx, &r)
					if err == nil {
						break
					}
					if !errors.Is(err, referral.ErrConflict) {
						t.Error(err)
						return
					}
					mu.Lock()
					conflicts++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	fmt.Printf("conflicts %d\n", conflicts)
}

// TestProcessesNeverLoseAnUpdate runs three processes of four writers each
// on the same two referrals of one file: every update is kept, and the
// conflicts are reported to the writers (who retry), not swallowed.
func TestProcessesNeverLoseAnUpdate(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	const procs = 3
	path := filepath.Join(t.TempDir(), "shared.db")
	s, err := sqlite.Open(t.Context(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rs := []referral.Referral{
		storetest.NewReferral(time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC), "place-1"),
		storetest.NewReferral(time.Date(2026, 2, 1, 9, 5, 0, 0, time.UTC), "place-2"),
	}
	if err := s.SaveReferrals(t.Context(), rs); err != nil {
		t.Fatal(err)
	}
	var cmds []*exec.Cmd
	var outs []*strings.Builder
	for p := range procs {
		cmd := exec.Command(os.Args[0], "-test.run=^TestWriterChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), writerEnvDB+"="+path, writerEnvIDs+"="+rs[0].ID.String()+","+rs[1].ID.String(), fmt.Sprintf("%s=p%d", writerEnvTag, p))
		out := &strings.Builder{}
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds, outs = append(cmds, cmd), append(outs, out)
	}
	for p, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("process %d: %v\n%s", p, err, outs[p])
		}
	}
	tokens := map[string]bool{}
	for _, r := range rs {
		got, err := s.Get(t.Context(), r.ID)
		if err != nil {
			t.Fatal(err)
		}
		added := strings.TrimSuffix(strings.TrimPrefix(got.Rule, r.Rule), ";")
		n := 0
		for _, tok := range strings.Split(added, ";") {
			if tokens[tok] {
				t.Errorf("token %s twice", tok)
			}
			tokens[tok] = true
			n++
		}
		if got.Version != 1+n {
			t.Errorf("%s: version %d after %d updates", r.ID, got.Version, n)
		}
	}
	if want := procs * writerGoroutines * writerUpdates; len(tokens) != want {
		t.Errorf("%d updates kept, want %d", len(tokens), want)
	}
	for p := range outs {
		t.Logf("process %d: %s", p, strings.TrimSpace(strings.Split(outs[p].String(), "\n")[0]))
	}
}
