package plugins

import (
	"context"
	"fmt"

	"github.com/passerelle-sante/passerelle/plugins/internal/wire"
)

// Indicator is one value of one indicator for one commune (INSEE code).
type Indicator = wire.Indicator

// TerritorySource reads a territory plugin.
type TerritorySource struct{ p *Plugin }

// Territory returns the plugin as a source of indicators per commune, or
// an error wrapping ErrUnsupported when its manifest does not declare the
// kind.
func (p *Plugin) Territory() (*TerritorySource, error) {
	if !p.manifest.Provides(KindTerritory) {
		return nil, fmt.Errorf("%w: plugin %q does not declare %q", ErrUnsupported, p.manifest.Name, KindTerritory)
	}
	return &TerritorySource{p: p}, nil
}

// Indicators returns every indicator of the plugin, under the stream
// timeout. One indicator that breaks the contract (an INSEE code, a name,
// a finite value, a date) fails the whole call with ErrGarbage: rules and
// reports must not run on half a data set.
func (t *TerritorySource) Indicators(ctx context.Context) ([]Indicator, error) {
	v, err := t.p.dispense(wire.KindTerritory)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, t.p.opts.StreamTimeout)
	defer cancel()
	ins, err := v.(*wire.TerritoryClient).Indicators(ctx)
	if err != nil {
		return nil, t.p.failed(fmt.Errorf("plugin %q: indicators: %w", t.p.manifest.Name, err))
	}
	t.p.succeeded()
	return ins, nil
}

// RulesDocument is a regional rules document served by a rules plugin;
// referral.LoadRulesBytes reads its Content.
type RulesDocument = wire.RulesDocument

// RulesSource reads a rules plugin.
type RulesSource struct{ p *Plugin }

// Rules returns the plugin as a source of a rules document, or an error
// wrapping ErrUnsupported when its manifest does not declare the kind.
func (p *Plugin) Rules() (*RulesSource, error) {
	if !p.manifest.Provides(KindRules) {
		return nil, fmt.Errorf("%w: plugin %q does not declare %q", ErrUnsupported, p.manifest.Name, KindRules)
	}
	return &RulesSource{p: p}, nil
}

// Document returns the plugin's rules document, under the call timeout.
func (r *RulesSource) Document(ctx context.Context) (RulesDocument, error) {
	v, err := r.p.dispense(wire.KindRules)
	if err != nil {
		return RulesDocument{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, r.p.opts.CallTimeout)
	defer cancel()
	d, err := v.(*wire.RulesClient).Document(ctx)
	if err != nil {
		return RulesDocument{}, r.p.failed(fmt.Errorf("plugin %q: rules: %w", r.p.manifest.Name, err))
	}
	r.p.succeeded()
	return d, nil
}
