package evaluation_test

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/passerelle-sante/passerelle/evaluation"
	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/referral"
	"github.com/passerelle-sante/passerelle/store"
	"github.com/passerelle-sante/passerelle/store/evalsource"
	"github.com/passerelle-sante/passerelle/store/memory"
	"github.com/passerelle-sante/passerelle/store/sqlite"
)

// storeBenchRecords is the size of BenchmarkNationalReportStore:
// PASSERELLE_BENCH_10M=1 asks for 10 million records (issue 6's target),
// PASSERELLE_BENCH_RECORDS=n for n; neither skips the benchmark (loading
// 10 million records takes minutes).
func storeBenchRecords(b *testing.B) int {
	if n, err := strconv.Atoi(os.Getenv("PASSERELLE_BENCH_RECORDS")); err == nil && n > 0 {
		return n
	}
	if os.Getenv("PASSERELLE_BENCH_10M") != "" {
		return 10_000_000
	}
	b.Skip("set PASSERELLE_BENCH_10M=1 (or PASSERELLE_BENCH_RECORDS=n) to generate a store and time the national report on it")
	return 0
}

// procStatus reads a size in kB from /proc/self/status (VmHWM, VmRSS), in
// MB; 0 where there is no /proc.
func procStatus(field string) float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}

// resetPeakRSS makes VmHWM start again from the current RSS (Linux).
func resetPeakRSS() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// heapSampler records the largest heap in use until stopped.
func heapSampler() (stop func() uint64) {
	var peak atomic.Uint64
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		var ms runtime.MemStats
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 { close(done); <-finished; return peak.Load() }
}

// cpuTime is the user and system CPU time the process has used: on a
// shared machine, what a report costs whatever the others run.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func heapInuse() uint64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}

// loadSQLite writes the generated records into a new SQLite file the way
// the store lays them out (same tables, columns and documents), in one
// transaction with prepared statements; the outbox is left empty (the
// evaluation does not read it).
func loadSQLite(b *testing.B, g *evaluation.BenchGen, path string) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, path, nil) // creates the tables
	if err != nil {
		b.Fatal(err)
	}
	st.Close()
	// A new file that is thrown away on failure: no journal, no sync, and a
	// page cache that holds the indexes (inserts land all over them).
	db, err := sql.Open("sqlite", path+"?_pragma=journal_mode(OFF)&_pragma=synchronous(OFF)&_pragma=cache_size(-3000000)")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	prep := func(q string) *sql.Stmt {
		s, err := tx.PrepareContext(ctx, q)
		if err != nil {
			b.Fatal(err)
		}
		return s
	}
	insAmb := prep(`INSERT INTO ambassadors (id, region, status, version, doc) VALUES (?, ?, ?, 1, ?)`)
	for _, a := range g.AmbassadorList() {
		if err := a.Validate(); err != nil {
			b.Fatal(err)
		}
		a.Version = 1
		doc, _ := json.Marshal(&a)
		if _, err := insAmb.ExecContext(ctx, a.ID.String(), a.Region, string(a.Status), string(doc)); err != nil {
			b.Fatal(err)
		}
	}
	insRef := prep(`INSERT INTO referrals (id, created_at_ns, changed_at_ns, status, place_id, version, doc) VALUES (?, ?, ?, ?, ?, 1, ?)`)
	insAct := prep(`INSERT INTO actions (id, date_ns, region, departement, source, external_id, doc) VALUES (?, ?, ?, ?, ?, ?, ?)`)
	insAcc := prep(`INSERT INTO accompaniments (id, action_id, date_ns, region, departement, doc) VALUES (?, ?, ?, ?, ?, ?)`)
	nr, na, nc := g.Counts()
	var r referral.Referral
	for i := range nr {
		g.Referral(i, &r)
		r.Version = 1
		doc, _ := json.Marshal(&r)
		if _, err := insRef.ExecContext(ctx, r.ID.String(), r.CreatedAt.UnixNano(), store.LastChange(&r).UnixNano(), string(r.Status), r.PlaceID, string(doc)); err != nil {
			b.Fatal(err)
		}
	}
	var a mediation.Action
	for i := range na {
		g.Action(i, &a)
		doc, _ := json.Marshal(&a)
		if _, err := insAct.ExecContext(ctx, a.ID.String(), a.Date.UnixNano(), a.Region, a.Departement, a.Source, a.ExternalID, string(doc)); err != nil {
			b.Fatal(err)
		}
	}
	var c mediation.Accompaniment
	for i := range nc {
		g.Accompaniment(i, &c)
		doc, _ := json.Marshal(&c)
		if _, err := insAcc.ExecContext(ctx, c.ID.String(), "", c.Date.UnixNano(), c.Region, c.Departement, string(doc)); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `PRAGMA journal_mode = WAL`); err != nil { // as the store keeps it
		b.Fatal(err)
	}
}

// loadMemory saves the generated records through the memory store's own
// methods, in batches, in the order it keeps them (so each insert lands at
// the end of its index).
func loadMemory(b *testing.B, g *evaluation.BenchGen) *memory.Store {
	ctx := context.Background()
	st := memory.New(nil)
	for _, a := range g.AmbassadorList() {
		if err := st.SaveAmbassador(ctx, a); err != nil {
			b.Fatal(err)
		}
	}
	nr, na, nc := g.Counts()
	const batch = 20_000
	type key struct {
		at time.Time
		id uuid.UUID
		i  int
	}
	keys := make([]key, nr)
	var r referral.Referral
	for i := range nr {
		g.Referral(i, &r)
		keys[i] = key{r.CreatedAt, r.ID, i}
	}
	slices.SortFunc(keys, func(x, y key) int {
		return cmp.Or(x.at.Compare(y.at), bytes.Compare(x.id[:], y.id[:]))
	})
	rs := make([]referral.Referral, 0, batch)
	for start := 0; start < nr; start += batch {
		rs = rs[:0]
		for _, k := range keys[start:min(start+batch, nr)] {
			rs = append(rs, referral.Referral{})
			g.Referral(k.i, &rs[len(rs)-1])
		}
		if err := st.SaveReferrals(ctx, rs); err != nil {
			b.Fatal(err)
		}
	}
	keys = nil
	// Actions and accompaniments are kept by id as text: save them in that
	// order (the text of a uuid sorts as its bytes).
	order := func(n int, id func(i int) uuid.UUID) []int {
		idx := make([]int, n)
		ids := make([]uuid.UUID, n)
		for i := range n {
			idx[i], ids[i] = i, id(i)
		}
		slices.SortFunc(idx, func(x, y int) int { return bytes.Compare(ids[x][:], ids[y][:]) })
		return idx
	}
	var a mediation.Action
	actIdx := order(na, func(i int) uuid.UUID { g.Action(i, &a); return a.ID })
	as := make([]mediation.Action, 0, batch)
	for start := 0; start < na; start += batch {
		as = as[:0]
		for _, i := range actIdx[start:min(start+batch, na)] {
			as = append(as, mediation.Action{})
			g.Action(i, &as[len(as)-1])
		}
		if _, err := st.SaveActions(ctx, as); err != nil {
			b.Fatal(err)
		}
	}
	var c mediation.Accompaniment
	accIdx := order(nc, func(i int) uuid.UUID { g.Accompaniment(i, &c); return c.ID })
	cs := make([]mediation.Accompaniment, 0, batch)
	for start := 0; start < nc; start += batch {
		cs = cs[:0]
		for _, i := range accIdx[start:min(start+batch, nc)] {
			cs = append(cs, mediation.Accompaniment{})
			g.Accompaniment(i, &cs[len(cs)-1])
		}
		if _, err := st.SaveAccompaniments(ctx, cs); err != nil {
			b.Fatal(err)
		}
	}
	return st
}

// BenchmarkNationalReportStore times the national report with the previous
// year (evaluation.Compute through store/evalsource) over n generated
// records held in a store: a SQLite file and the memory store, against the
// same records streamed by the generator itself (baseline-generator, no
// store). Each reports seconds per report, ns per record, the peak heap
// in use during Compute (for the memory store: minus the heap the store's
// own records took before Compute) and the process's peak RSS during
// Compute (VmHWM after resetting it; for the memory store it includes the
// store's records, given apart as store-heap-MB). The reports are checked
// equal, byte for byte, to the generator's.
func BenchmarkNationalReportStore(b *testing.B) {
	n := storeBenchRecords(b)
	g := evaluation.NewBenchGen(b, n)
	nr, _, _ := g.Counts()
	o := evaluation.Options{Period: evaluation.BenchYear, Now: func() time.Time { return time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC) }}
	var want []byte
	measure := func(b *testing.B, src evaluation.Source, storeHeap uint64) {
		runtime.GC()
		debug.FreeOSMemory()
		resetPeakRSS()
		stop := heapSampler()
		cpu0 := cpuTime()
		var rep *evaluation.Report
		for b.Loop() {
			var err error
			if rep, err = evaluation.Compute(context.Background(), src, o); err != nil {
				b.Fatal(err)
			}
		}
		cpu := (cpuTime() - cpu0).Seconds() / float64(b.N)
		peak := stop()
		if rep.Records.Referrals != nr {
			b.Fatalf("%d referrals in the report, want %d", rep.Records.Referrals, nr)
		}
		got, _ := json.Marshal(rep)
		if want == nil {
			want = got
		} else if !bytes.Equal(got, want) {
			b.Errorf("the report differs from the generator's")
		}
		el := b.Elapsed().Seconds() / float64(b.N)
		b.ReportMetric(el, "s/report")
		b.ReportMetric(cpu, "cpu-s/report")
		b.ReportMetric(el*1e9/float64(n), "ns/record")
		b.ReportMetric(float64(peak-min(peak, storeHeap))/(1<<20), "peak-heap-MB")
		b.ReportMetric(procStatus("VmHWM"), "peak-rss-MB")
		if storeHeap > 0 {
			b.ReportMetric(float64(storeHeap)/(1<<20), "store-heap-MB")
		}
	}
	b.Run(fmt.Sprintf("baseline-generator/records=%d", n), func(b *testing.B) { measure(b, g, 0) })
	b.Run(fmt.Sprintf("sqlite/records=%d", n), func(b *testing.B) {
		// PASSERELLE_BENCH_DIR keeps the file there, and reuses it.
		dir := os.Getenv("PASSERELLE_BENCH_DIR")
		if dir == "" {
			dir = b.TempDir()
		}
		path := filepath.Join(dir, fmt.Sprintf("national-%d.db", n))
		if _, err := os.Stat(path); err != nil {
			t0 := time.Now()
			loadSQLite(b, g, path)
			b.Logf("loaded %d records into %s in %s", n, path, time.Since(t0).Round(time.Second))
		}
		fi, _ := os.Stat(path)
		b.Logf("%s: %d MB", path, fi.Size()>>20)
		st, err := sqlite.Open(context.Background(), path, nil)
		if err != nil {
			b.Fatal(err)
		}
		defer st.Close()
		b.ResetTimer()
		measure(b, evalsource.New(st, 0), 0)
	})
	b.Run(fmt.Sprintf("memory/records=%d", n), func(b *testing.B) {
		t0 := time.Now()
		st := loadMemory(b, g)
		defer st.Close()
		// Loading 10 million records wants a GOMEMLIMIT on a shared machine
		// (the heap would double past the store's 12 GB); the report runs
		// without one, or the collector would mark the store's heap over and
		// over whenever Compute allocates.
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))
		runtime.GC()
		storeHeap := heapInuse()
		b.Logf("loaded %d records into the memory store (%d MB of heap) in %s", n, storeHeap>>20, time.Since(t0).Round(time.Second))
		b.ResetTimer()
		measure(b, evalsource.New(st, 0), storeHeap)
	})
}
