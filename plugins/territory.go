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

// Network is the ambassador network served by a registry plugin.
type Network = wire.Network

// RegistrySource reads a registry plugin.
type RegistrySource struct{ p *Plugin }

// Registry returns the plugin as a source of the ambassador network, or an
// error wrapping ErrUnsupported when its manifest does not declare the
// kind.
func (p *Plugin) Registry() (*RegistrySource, error) {
	if !p.manifest.Provides(KindRegistry) {
		return nil, fmt.Errorf("%w: plugin %q does not declare %q", ErrUnsupported, p.manifest.Name, KindRegistry)
	}
	return &RegistrySource{p: p}, nil
}

// Network returns the plugin's coordinators, ambassadors and trainings,
// under the stream timeout. One record that fails its Validate fails the
// call with ErrGarbage naming it.
func (r *RegistrySource) Network(ctx context.Context) (Network, error) {
	v, err := r.p.dispense(wire.KindRegistry)
	if err != nil {
		return Network{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, r.p.opts.StreamTimeout)
	defer cancel()
	n, err := v.(*wire.RegistryClient).Network(ctx)
	if err != nil {
		return Network{}, r.p.failed(fmt.Errorf("plugin %q: registry: %w", r.p.manifest.Name, err))
	}
	r.p.succeeded()
	return n, nil
}
