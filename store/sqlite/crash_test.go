package sqlite_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/passerelle-sante/passerelle/referral"
	"github.com/passerelle-sante/passerelle/store/sqlite"
	"github.com/passerelle-sante/passerelle/store/storetest"
)

// crashEnv names the database the child process writes to.
const crashEnv = "PASSERELLE_SQLITE_CRASH_DB"

const crashBatch = 200

// TestCrashChild is the child of TestKilledWriterLosesNothing: it writes
// batches of referrals (batch k goes to place "batch-k"), printing "begin k"
// before each and "committed k" after each commit, until it is killed.
func TestCrashChild(t *testing.T) {
	path := os.Getenv(crashEnv)
	if path == "" {
		t.Skip("child process of TestKilledWriterLosesNothing")
	}
	ctx := context.Background()
	s, err := sqlite.Open(ctx, path, nil)
	if err != nil {
		fmt.Println("error", err)
		os.Exit(3)
	}
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for k := 0; k < 100000; k++ {
		batch := make([]referral.Referral, crashBatch)
		for i := range batch {
			batch[i] = storetest.NewReferral(at.Add(time.Duration(k*crashBatch+i)*time.Second), fmt.Sprintf("batch-%d", k))
		}
		fmt.Printf("begin %d\n", k)
		if err := s.SaveReferrals(ctx, batch); err != nil {
			fmt.Println("error", err)
			os.Exit(3)
		}
		fmt.Printf("committed %d\n", k)
	}
	os.Exit(0)
}

// TestKilledWriterLosesNothing kills (SIGKILL) a process in the middle of
// writing batches, reopens the file and checks that every batch it reported
// committed is whole, that no half batch exists, and that every referral
// kept its outbox event.
func TestKilledWriterLosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	for round, plan := range []struct {
		begun int           // wait until this batch has begun,
		delay time.Duration // then kill after this
	}{{2, 0}, {4, time.Millisecond}, {6, 5 * time.Millisecond}} {
		t.Run(strconv.Itoa(round), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "crash.db")
			cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
			cmd.Env = append(os.Environ(), crashEnv+"="+path)
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			cmd.Stderr = os.Stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			lines := bufio.NewScanner(out)
			reported, begun := -1, -1
			read := func(line string) {
				if k, ok := strings.CutPrefix(line, "committed "); ok {
					reported, _ = strconv.Atoi(k)
				} else if k, ok := strings.CutPrefix(line, "begin "); ok {
					begun, _ = strconv.Atoi(k)
				} else if strings.HasPrefix(line, "error") {
					t.Fatalf("child: %s", line)
				}
			}
			for begun < plan.begun && lines.Scan() {
				read(lines.Text())
			}
			time.Sleep(plan.delay)
			if err := cmd.Process.Kill(); err != nil { // SIGKILL: no clean-up of any kind
				t.Fatal(err)
			}
			// Lines written before the kill may still be in the pipe.
			for lines.Scan() {
				read(lines.Text())
			}
			_ = cmd.Wait()
			if begun < plan.begun {
				t.Fatalf("child began %d batches, want %d", begun+1, plan.begun+1)
			}

			s, err := sqlite.Open(t.Context(), path, nil)
			if err != nil {
				t.Fatalf("reopen after kill: %v", err)
			}
			defer s.Close()
			counts, err := s.OpenCountsSince(t.Context(), time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			total := 0
			for k := 0; k < len(counts); k++ {
				n := counts[fmt.Sprintf("batch-%d", k)]
				if n != crashBatch {
					t.Errorf("batch %d has %d referrals, want %d (batches %v)", k, n, crashBatch, counts)
				}
				total += n
			}
			if len(counts) < reported+1 || len(counts) > begun+1 {
				t.Errorf("%d batches stored; the child reported %d committed and %d begun", len(counts), reported+1, begun+1)
			}
			evs, err := s.Pending(t.Context(), 1_000_000)
			if err != nil || len(evs) != total {
				t.Errorf("%d outbox events (%v) for %d referrals", len(evs), err, total)
			}
			var ok string
			if err := rawDB(t, path).QueryRow(`PRAGMA integrity_check`).Scan(&ok); err != nil || ok != "ok" {
				t.Errorf("integrity_check: %q %v", ok, err)
			}
			inFlight := "absent (killed mid-batch)"
			if len(counts) > reported+1 {
				inFlight = "whole (committed before the kill)"
			}
			t.Logf("killed with %d batches begun, %d reported committed; %d whole batches on disk; the last begun batch is %s", begun+1, reported+1, len(counts), inFlight)
		})
	}
}
