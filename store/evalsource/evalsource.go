// Package evalsource makes any store.Store an evaluation.Source. The dated
// records (referrals, actions, accompaniments) are read in one pass through
// the store's store.Streamer when it has one (the memory, SQLite and
// PostgreSQL stores do), else page by page through its List methods; the
// network records always page. Either way the evaluation streams the store
// without loading it whole, and gets the same records (TestStreamSamePaged).
//
// It sits beside the store implementations because the evaluation package,
// a domain package, does not import store.
//
// # Speed
//
// BenchmarkReferrals compares the two paths per store. The national report
// over 10 million generated records (evaluation's
// BenchmarkNationalReportStore, PASSERELLE_BENCH_10M=1) measured on the
// project's shared 2-core machine: streamed by the generator itself, 3.4 to
// 18 s of wall time depending on the load, 4.3 to 5.1 s of CPU; from a
// SQLite file (7.7 GB), 58 s of CPU, 111 s of wall time on the loaded
// machine, with a peak heap of 56 MB and a peak RSS of 100 MB; from the
// memory store (12.4 GB of heap for the records), 5.5 s of wall time and
// 8.5 s of CPU against 3.4 s and 4.3 s for the generator in the same run,
// with 10 MB of heap beyond the store's. SQLite cannot give 10 million
// records in 10 s on 2 cores: reading a row of about 700 bytes out of the pure-Go SQLite costs 2.5 to 3 µs of CPU and
// decoding its document about 1.5 µs, so reading alone takes some 50 s of
// CPU, 25 s on two idle cores at best.
package evalsource

import (
	"context"

	"github.com/passerelle-sante/passerelle/evaluation"
	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/referral"
	"github.com/passerelle-sante/passerelle/store"
)

// DefaultPageSize is how many records one list call asks for.
const DefaultPageSize = 1000

// Source reads a store.Store for an evaluation.
type Source struct {
	st       store.Store
	pageSize int
	// stream is the store's own one-pass reader, nil when it has none or
	// paging was asked for.
	stream store.Streamer
}

var _ evaluation.Source = (*Source)(nil)

// New returns a Source over st: it streams the dated records when st is a
// store.Streamer, and otherwise (and for the network records) asks
// pageSize records per list call (0 means DefaultPageSize).
func New(st store.Store, pageSize int) *Source {
	src := Paged(st, pageSize)
	src.stream, _ = st.(store.Streamer)
	return src
}

// Paged returns a Source over st that pages through the List methods even
// when st could stream: the reference the streams are compared with.
func Paged(st store.Store, pageSize int) *Source {
	if pageSize <= 0 {
		pageSize = DefaultPageSize
	}
	return &Source{st: st, pageSize: pageSize}
}

// Streaming reports whether the dated records are read in one pass.
func (s *Source) Streaming() bool { return s.stream != nil }

// pages calls fn for every record of every page of list.
func pages[T any](ctx context.Context, list func(cursor string) ([]T, string, error), fn func(*T) error) error {
	return store.Pages(ctx, list, func(page []T) error {
		for i := range page {
			if err := fn(&page[i]); err != nil {
				return err
			}
		}
		return nil
	})
}

// Referrals implements evaluation.Source.
func (s *Source) Referrals(ctx context.Context, p evaluation.Period, fn func(*referral.Referral) error) error {
	if s.stream != nil {
		return s.stream.StreamReferrals(ctx, p.From, p.To, fn)
	}
	return pages(ctx, func(c string) ([]referral.Referral, string, error) {
		return s.st.List(ctx, referral.Filter{From: p.From, To: p.To, Limit: s.pageSize, Cursor: c})
	}, fn)
}

// Actions implements evaluation.Source.
func (s *Source) Actions(ctx context.Context, p evaluation.Period, fn func(*mediation.Action) error) error {
	if s.stream != nil {
		return s.stream.StreamActions(ctx, p.From, p.To, fn)
	}
	return pages(ctx, func(c string) ([]mediation.Action, string, error) {
		return s.st.ListActions(ctx, mediation.ActionFilter{From: p.From, To: p.To, Limit: s.pageSize, Cursor: c})
	}, fn)
}

// Accompaniments implements evaluation.Source.
func (s *Source) Accompaniments(ctx context.Context, p evaluation.Period, fn func(*mediation.Accompaniment) error) error {
	if s.stream != nil {
		return s.stream.StreamAccompaniments(ctx, p.From, p.To, fn)
	}
	return pages(ctx, func(c string) ([]mediation.Accompaniment, string, error) {
		return s.st.ListAccompaniments(ctx, mediation.AccompanimentFilter{From: p.From, To: p.To, Limit: s.pageSize, Cursor: c})
	}, fn)
}

// Ambassadors implements evaluation.Source.
func (s *Source) Ambassadors(ctx context.Context, fn func(*mediation.Ambassador) error) error {
	return pages(ctx, func(c string) ([]mediation.Ambassador, string, error) {
		return s.st.ListAmbassadors(ctx, mediation.AmbassadorFilter{Limit: s.pageSize, Cursor: c})
	}, fn)
}

// Trainings implements evaluation.Source.
func (s *Source) Trainings(ctx context.Context, fn func(*mediation.Training) error) error {
	return pages(ctx, func(c string) ([]mediation.Training, string, error) {
		return s.st.ListTrainings(ctx, mediation.TrainingFilter{Limit: s.pageSize, Cursor: c})
	}, fn)
}

// Coordinators implements evaluation.Source.
func (s *Source) Coordinators(ctx context.Context, fn func(*mediation.Coordinator) error) error {
	cs, err := s.st.ListCoordinators(ctx, "")
	if err != nil {
		return err
	}
	for i := range cs {
		if err := fn(&cs[i]); err != nil {
			return err
		}
	}
	return nil
}
