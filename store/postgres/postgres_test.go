package postgres

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/passerelle-sante/passerelle/referral"
	"github.com/passerelle-sante/passerelle/store"
	"github.com/passerelle-sante/passerelle/store/storetest"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func referrals(n int, from time.Time) []referral.Referral {
	rs := make([]referral.Referral, n)
	for i := range rs {
		rs[i] = storetest.NewReferral(from.Add(time.Duration(i)*time.Millisecond), fmt.Sprintf("place-%d", i%7))
	}
	return rs
}

// Several pools opening one empty schema at once: one migrates, the others
// wait on the advisory lock and then find nothing to do.
func TestOpenConcurrentMigratesOnce(t *testing.T) {
	url, schema := freshSchema(t)
	const opens = 6
	var wg sync.WaitGroup
	errs := make([]error, opens)
	for i := range opens {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := Open(context.Background(), url, &Options{Schema: schema, MaxConns: 2})
			if err == nil {
				err = s.Close()
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("Open %d: %v", i, err)
		}
	}
	if n := queryInt(t, url, schema, "SELECT count(*) FROM schema_migrations"); n != int64(LatestSchemaVersion()) {
		t.Errorf("%d migrations recorded, want %d", n, LatestSchemaVersion())
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	url, schema := freshSchema(t)
	s := openIn(t, url, schema)
	newer := LatestSchemaVersion() + 1
	queryInt(t, url, schema, "INSERT INTO schema_migrations (version, name) VALUES ($1, 'from_the_future.sql') RETURNING version", newer)
	_ = s.Close()
	_, err := Open(context.Background(), url, &Options{Schema: schema})
	if !errors.Is(err, store.ErrSchemaTooNew) {
		t.Fatalf("Open of a version %d database: %v, want ErrSchemaTooNew", newer, err)
	}
}

// A migration that fails leaves nothing behind, not even the bookkeeping
// table: the whole of Open's migration is one transaction.
func TestOpenFailedMigrationLeavesDatabaseAsItWas(t *testing.T) {
	url, schema := freshSchema(t)
	execSQL(t, url, schema, "CREATE TABLE outbox (x int)") // clashes with the first migration
	_, err := Open(context.Background(), url, &Options{Schema: schema})
	if !errors.Is(err, store.ErrMigration) {
		t.Fatalf("Open over a clashing table: %v, want ErrMigration", err)
	}
	if n := queryInt(t, url, schema, "SELECT count(*) FROM pg_tables WHERE schemaname = $1", schema); n != 1 {
		t.Errorf("%d tables in the schema after a failed migration, want only the one there before", n)
	}
}

// A schema named in the URL, as openstore passes it, is created and used.
func TestOpenSchemaFromURL(t *testing.T) {
	url, schema := freshSchema(t)
	execSQL(t, url, schema, "DROP SCHEMA "+schema)
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	s, err := Open(t.Context(), url+sep+"search_path="+schema, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Save(t.Context(), referrals(1, t0)[0]); err != nil {
		t.Fatal(err)
	}
	if n := queryInt(t, url, schema, "SELECT count(*) FROM "+schema+".referrals"); n != 1 {
		t.Errorf("%d referrals in schema %s, want 1", n, schema)
	}
}

func TestOpenBadArguments(t *testing.T) {
	for _, tc := range []struct{ url, schema string }{
		{"postgres://u@host:notaport/db", ""},
		{"postgres://postgres@127.0.0.1:5432/test", "bad-name; DROP"},
		{"postgres://postgres@127.0.0.1:5432/test", "9starts_with_digit"},
	} {
		if _, err := Open(context.Background(), tc.url, &Options{Schema: tc.schema}); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("Open(%q, schema %q): %v, want ErrInvalid", tc.url, tc.schema, err)
		}
	}
}

// The journal table refuses changes even from outside the store.
func TestJournalTableIsAppendOnly(t *testing.T) {
	url, schema := freshSchema(t)
	s := openIn(t, url, schema)
	if _, err := s.Append(t.Context(), store.JournalEntry{Action: store.JournalExport, Actor: "desk"}); err != nil {
		t.Fatal(err)
	}
	for _, sql := range []string{"UPDATE journal SET actor = 'x'", "DELETE FROM journal", "TRUNCATE journal"} {
		err := s.conn(t.Context(), func(c *pgx.Conn) error { _, err := c.Exec(t.Context(), sql); return err })
		if err == nil {
			t.Errorf("%s: accepted", sql)
		}
	}
	if es, _ := s.Entries(t.Context(), 0, 10); len(es) != 1 || es[0].Actor != "desk" {
		t.Errorf("journal after the attempts: %+v", es)
	}
}

// Four stores (four pools, as four processes would have) save overlapping
// batches at once: each referral is stored once, with exactly one event.
func TestSeveralPoolsSaveAtOnce(t *testing.T) {
	url, schema := freshSchema(t)
	rs := referrals(400, t0)
	const pools = 4
	var wg sync.WaitGroup
	for p := range pools {
		s := openIn(t, url, schema)
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Each pool saves half of the referrals, overlapping its
			// neighbours', in batches of 50, some one by one.
			for start := p * 100; start < p*100+200; start += 50 {
				var batch []referral.Referral
				for i := start; i < start+50; i++ {
					batch = append(batch, rs[i%len(rs)])
				}
				if start%100 == 0 {
					if err := s.SaveReferrals(context.Background(), batch); err != nil {
						t.Errorf("pool %d: SaveReferrals: %v", p, err)
					}
					continue
				}
				for _, r := range batch {
					if err := s.Save(context.Background(), r); err != nil {
						t.Errorf("pool %d: Save: %v", p, err)
					}
				}
			}
		}()
	}
	wg.Wait()
	if n := queryInt(t, url, schema, "SELECT count(*) FROM referrals"); n != 400 {
		t.Errorf("%d referrals stored, want 400", n)
	}
	if n := queryInt(t, url, schema, "SELECT count(*) FROM outbox WHERE kind = $1", store.KindReferralCreated); n != 400 {
		t.Errorf("%d creation events, want 400 (one per referral)", n)
	}
}

// Eight writers, each with its own pool, update the same referrals: every
// update lands (the tokens all end in the record) and the losers of each
// race get ErrConflict.
func TestEightPoolsNoLostUpdate(t *testing.T) {
	url, schema := freshSchema(t)
	rs := referrals(2, t0)
	first := openIn(t, url, schema)
	if err := first.SaveReferrals(t.Context(), rs); err != nil {
		t.Fatal(err)
	}
	const writers, updates = 8, 10
	var wg sync.WaitGroup
	var mu sync.Mutex
	conflicts := 0
	for w := range writers {
		s := openIn(t, url, schema)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for u := range updates {
				id := rs[(w+u)%len(rs)].ID
				for {
					cur, err := s.Get(context.Background(), id)
					if err != nil {
						t.Errorf("writer %d: %v", w, err)
						return
					}
					cur.Rule += fmt.Sprintf("w%du%d;", w, u)
					err = s.Update(context.Background(), &cur)
					if err == nil {
						break
					}
					if !errors.Is(err, referral.ErrConflict) {
						t.Errorf("writer %d: Update: %v", w, err)
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
	tokens := 0
	for _, r := range rs {
		got, err := first.Get(t.Context(), r.ID)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, c := range got.Rule {
			if c == ';' {
				n++
			}
		}
		tokens += n
		if got.Version != 1+n {
			t.Errorf("referral %s: version %d with %d updates", r.ID, got.Version, n)
		}
	}
	if tokens != writers*updates {
		t.Errorf("%d updates kept, want %d", tokens, writers*updates)
	}
	if n := queryInt(t, url, schema, "SELECT count(*) FROM outbox WHERE kind = $1", store.KindReferralUpdated); n != writers*updates {
		t.Errorf("%d update events, want %d", n, writers*updates)
	}
	t.Logf("%d conflicts reported and retried", conflicts)
}

// Four consumers deliver the outbox at once: each event is delivered once.
func TestDeliverSeveralConsumers(t *testing.T) {
	url, schema := freshSchema(t)
	s := openIn(t, url, schema)
	if err := s.SaveReferrals(t.Context(), referrals(60, t0)); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	seen := map[uuid.UUID]int{}
	var wg sync.WaitGroup
	for range 4 {
		c := openIn(t, url, schema)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				n, err := c.Deliver(context.Background(), 4, func(_ context.Context, evs []store.Event) error {
					time.Sleep(5 * time.Millisecond) // hold the lock while others look
					mu.Lock()
					defer mu.Unlock()
					for _, e := range evs {
						seen[e.ID]++
					}
					return nil
				})
				if err != nil {
					t.Errorf("Deliver: %v", err)
					return
				}
				if n == 0 {
					return
				}
			}
		}()
	}
	wg.Wait()
	if len(seen) != 60 {
		t.Errorf("%d events delivered, want 60", len(seen))
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("event %s delivered %d times", id, n)
		}
	}
	if p, _ := s.Pending(t.Context(), 0); len(p) != 0 {
		t.Errorf("%d events still pending", len(p))
	}
}

func TestDeliverFailureKeepsEvents(t *testing.T) {
	s := openTest(t)
	if err := s.SaveReferrals(t.Context(), referrals(3, t0)); err != nil {
		t.Fatal(err)
	}
	sinkDown := errors.New("sink down")
	n, err := s.Deliver(t.Context(), 0, func(context.Context, []store.Event) error { return sinkDown })
	if !errors.Is(err, sinkDown) || n != 0 {
		t.Errorf("Deliver with a failing sink: %d, %v", n, err)
	}
	if p, _ := s.Pending(t.Context(), 0); len(p) != 3 {
		t.Errorf("%d pending after a failed delivery, want 3", len(p))
	}
}

// The child side of TestKilledWriterLosesNothingCommitted: it saves
// batches of 100 referrals until killed.
func TestHelperBatchWriter(t *testing.T) {
	schema := os.Getenv("PASSERELLE_TEST_CHILD_SCHEMA")
	if schema == "" {
		t.Skip("run by TestKilledWriterLosesNothingCommitted")
	}
	s, err := Open(context.Background(), testURL(t), &Options{Schema: schema})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; ; i++ {
		if err := s.SaveReferrals(context.Background(), referrals(100, t0.Add(time.Duration(i)*time.Hour))); err != nil {
			t.Fatal(err)
		}
	}
}

// Writer processes killed mid-batch: every batch is all there (100
// referrals and their 100 events) or not at all.
func TestKilledWriterLosesNothingCommitted(t *testing.T) {
	url, schema := freshSchema(t)
	openIn(t, url, schema) // migrate before the children race
	var children []*exec.Cmd
	for range 2 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperBatchWriter$")
		cmd.Env = append(os.Environ(), "PASSERELLE_TEST_CHILD_SCHEMA="+schema)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		children = append(children, cmd)
	}
	deadline := time.Now().Add(20 * time.Second)
	for queryInt(t, url, schema, "SELECT count(*) FROM referrals") < 1000 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	for _, c := range children {
		_ = c.Process.Signal(syscall.SIGKILL)
		_ = c.Wait()
	}
	n := queryInt(t, url, schema, "SELECT count(*) FROM referrals")
	ev := queryInt(t, url, schema, "SELECT count(*) FROM outbox")
	if n < 1000 {
		t.Fatalf("only %d referrals written before the deadline", n)
	}
	if n%100 != 0 || ev != n {
		t.Errorf("%d referrals and %d events after the kill, want whole batches of 100 and one event each", n, ev)
	}
	t.Logf("%d referrals in whole batches after killing 2 writers", n)
}

// Appends from four pools at once get seq 1..n with no gap, whatever
// order their transactions commit in.
func TestJournalSeqHasNoGapAcrossPools(t *testing.T) {
	url, schema := freshSchema(t)
	const pools, each = 4, 25
	var wg sync.WaitGroup
	for p := range pools {
		s := openIn(t, url, schema)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				if _, err := s.Append(context.Background(), store.JournalEntry{Action: store.JournalExport, Actor: fmt.Sprintf("pool-%d", p), Subject: fmt.Sprint(i)}); err != nil {
					t.Errorf("pool %d: %v", p, err)
					return
				}
			}
		}()
	}
	// A failed write in the middle takes no number.
	s := openIn(t, url, schema)
	if _, err := s.Append(t.Context(), store.JournalEntry{Action: store.JournalExport, Detail: []byte("{bad")}); err == nil {
		t.Error("bad detail accepted")
	}
	wg.Wait()
	es, err := s.Entries(t.Context(), 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != pools*each {
		t.Fatalf("%d entries, want %d", len(es), pools*each)
	}
	for i, e := range es {
		if e.Seq != int64(i+1) {
			t.Fatalf("entry %d has seq %d", i, e.Seq)
		}
	}
	if page, _ := s.Entries(t.Context(), 90, 0); len(page) != 10 || page[0].Seq != 91 {
		t.Errorf("entries after 90: %d from %v", len(page), page)
	}
}

// When the journal refuses the entry of a status change, the change and
// its event are not stored either: one statement, one transaction.
func TestFailedJournalEntryUndoesTheUpdate(t *testing.T) {
	url, schema := freshSchema(t)
	s := openIn(t, url, schema)
	r := referrals(1, t0)[0]
	if err := s.Save(t.Context(), r); err != nil {
		t.Fatal(err)
	}
	execSQL(t, url, schema, "ALTER TABLE journal ADD CONSTRAINT no_person CHECK (actor <> 'person')")
	r.Version = 1
	if err := r.Transition(referral.StatusAccepted, t0.Add(time.Hour), referral.ActorPerson, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.Update(t.Context(), &r); err == nil {
		t.Fatal("Update with a refused journal entry: no error")
	}
	got, err := s.Get(t.Context(), r.ID)
	if err != nil || got.Version != 1 || got.Status != referral.StatusProposed {
		t.Errorf("after the failed update: %s at version %d (%v), want proposed at version 1", got.Status, got.Version, err)
	}
	if n := queryInt(t, url, schema, "SELECT count(*) FROM outbox"); n != 1 {
		t.Errorf("%d events, want only the creation", n)
	}
	// The same update by the desk goes through.
	r.History[len(r.History)-1].By = referral.ActorDesk
	if err := s.Update(t.Context(), &r); err != nil || r.Version != 2 {
		t.Errorf("Update by the desk: %v, version %d", err, r.Version)
	}
}

// With one connection, calls take turns; a call that cannot get the
// connection in time returns its context's error.
func TestPoolOfOneConnection(t *testing.T) {
	url, schema := freshSchema(t)
	openIn(t, url, schema)
	s, err := Open(t.Context(), url, &Options{Schema: schema, MaxConns: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rs := referrals(20, t0)
	var wg sync.WaitGroup
	for i := range rs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := s.Save(context.Background(), rs[i]); err != nil {
				t.Errorf("Save %d: %v", i, err)
			}
		}()
	}
	wg.Wait()
	if page, _, err := s.List(t.Context(), referral.Filter{}); err != nil || len(page) != 20 {
		t.Fatalf("List: %d, %v", len(page), err)
	}
	// Deliver holds the only connection while its function runs.
	_, err = s.Deliver(t.Context(), 1, func(context.Context, []store.Event) error {
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		_, err := s.Get(ctx, rs[0].ID)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Get while the connection is held: %v, want DeadlineExceeded", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(t.Context(), rs[0].ID); !errors.Is(err, store.ErrClosed) {
		t.Errorf("Get after Close: %v, want ErrClosed", err)
	}
}
