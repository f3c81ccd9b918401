package demo

import (
	"context"
	"sync/atomic"

	"github.com/passerelle-sante/passerelle/evaluation"
	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/referral"
)

// Detector passes a Source through and notes whether any record it streams
// was generated here, so that a report computed from a store holding a demo
// year can be labelled synthetic even when nobody said so.
type Detector struct {
	evaluation.Source
	found atomic.Bool
}

// Detect wraps src.
func Detect(src evaluation.Source) *Detector { return &Detector{Source: src} }

// Found reports whether a synthetic record went through.
func (d *Detector) Found() bool { return d.found.Load() }

// Referrals streams src's referrals, noting synthetic ones.
func (d *Detector) Referrals(ctx context.Context, p evaluation.Period, fn func(*referral.Referral) error) error {
	return d.Source.Referrals(ctx, p, func(r *referral.Referral) error {
		if r.RulesVersion == RulesVersionSynthetic {
			d.found.Store(true)
		}
		return fn(r)
	})
}

// Actions streams src's actions, noting synthetic ones.
func (d *Detector) Actions(ctx context.Context, p evaluation.Period, fn func(*mediation.Action) error) error {
	return d.Source.Actions(ctx, p, func(a *mediation.Action) error {
		if a.Source == SourceSynthetic {
			d.found.Store(true)
		}
		return fn(a)
	})
}

// Accompaniments streams src's accompaniments, noting synthetic ones.
func (d *Detector) Accompaniments(ctx context.Context, p evaluation.Period, fn func(*mediation.Accompaniment) error) error {
	return d.Source.Accompaniments(ctx, p, func(a *mediation.Accompaniment) error {
		if a.Source == SourceSynthetic {
			d.found.Store(true)
		}
		return fn(a)
	})
}
