package postgres

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/passerelle-sante/passerelle/referral"
)

const (
	envChildIDs   = "PASSERELLE_TEST_CHILD_IDS"
	envChildName  = "PASSERELLE_TEST_CHILD_NAME"
	childWriters  = 4
	childUpdates  = 10
	childProcsNum = 3
)

// The child side of TestProcessesNeverLoseAnUpdate: four writers each add
// childUpdates tokens to the referrals, retrying on conflict.
func TestHelperUpdater(t *testing.T) {
	ids := os.Getenv(envChildIDs)
	if ids == "" {
		t.Skip("run by TestProcessesNeverLoseAnUpdate")
	}
	s, err := Open(context.Background(), testURL(t), &Options{Schema: os.Getenv("PASSERELLE_TEST_CHILD_SCHEMA"), MaxConns: childWriters})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var refs []uuid.UUID
	for _, id := range strings.Split(ids, ",") {
		refs = append(refs, uuid.MustParse(id))
	}
	name := os.Getenv(envChildName)
	var wg sync.WaitGroup
	for w := range childWriters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for u := range childUpdates {
				id := refs[(w+u)%len(refs)]
				for {
					cur, err := s.Get(context.Background(), id)
					if err != nil {
						t.Errorf("%s writer %d: %v", name, w, err)
						return
					}
					cur.Rule += fmt.Sprintf("%s.w%du%d;", name, w, u)
					err = s.Update(context.Background(), &cur)
					if err == nil {
						break
					}
					if !errors.Is(err, referral.ErrConflict) {
						t.Errorf("%s writer %d: %v", name, w, err)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
}

// Three processes of four writers update the same two referrals at once:
// every update is kept, and each referral's version counts them.
func TestProcessesNeverLoseAnUpdate(t *testing.T) {
	url, schema := freshSchema(t)
	s := openIn(t, url, schema)
	rs := referrals(2, t0)
	if err := s.SaveReferrals(t.Context(), rs); err != nil {
		t.Fatal(err)
	}
	ids := rs[0].ID.String() + "," + rs[1].ID.String()
	var children []*exec.Cmd
	outs := make([]strings.Builder, childProcsNum)
	for p := range childProcsNum {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperUpdater$")
		cmd.Env = append(os.Environ(), "PASSERELLE_TEST_CHILD_SCHEMA="+schema, envChildIDs+"="+ids, envChildName+"=p"+fmt.Sprint(p))
		cmd.Stdout, cmd.Stderr = &outs[p], &outs[p]
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		children = append(children, cmd)
	}
	for p, c := range children {
		if err := c.Wait(); err != nil {
			t.Errorf("process %d: %v\n%s", p, err, outs[p].String())
		}
	}
	tokens := 0
	for _, r := range rs {
		got, err := s.Get(t.Context(), r.ID)
		if err != nil {
			t.Fatal(err)
		}
		n := strings.Count(got.Rule, ";")
		tokens += n
		if got.Version != 1+n {
			t.Errorf("referral %s: version %d after %d updates", r.ID, got.Version, n)
		}
	}
	if want := childProcsNum * childWriters * childUpdates; tokens != want {
		t.Errorf("%d updates kept, want %d", tokens, want)
	}
}
