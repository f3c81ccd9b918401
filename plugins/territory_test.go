package plugins

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
)

func TestTerritoryPlugin(t *testing.T) {
	for _, tc := range []struct {
		name    string
		env     []string
		want    int
		wantErr string
	}{
		{"good", nil, 3, ""},
		{"garbage indicator", []string{"TERRITORY_BAD=1"}, 0, `indicator 4: code_insee: "1601"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir, m := install(t, "territory-fixed")
			if !m.Provides(KindTerritory) {
				t.Fatalf("manifest kinds %v", m.Kinds)
			}
			p, err := Open(dir, m.Name, &Options{Env: tc.env, Logger: slog.New(slog.DiscardHandler)})
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close()
			src, err := p.Territory()
			if err != nil {
				t.Fatal(err)
			}
			ins, err := src.Indicators(context.Background())
			if tc.wantErr != "" {
				if !errors.Is(err, ErrGarbage) || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("Indicators = %v, want ErrGarbage with %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || len(ins) != tc.want || ins[1].INSEECode != "2A004" || ins[0].Value != 61.5 || ins[0].Unit != "score 0-100" {
				t.Fatalf("Indicators = %+v, %v", ins, err)
			}
			rules, err := p.Rules()
			if err != nil {
				t.Fatal(err)
			}
			doc, err := rules.Document(context.Background())
			if err != nil || string(doc.Content) != "version: 1\n" || doc.Version != "2026-03" || doc.MediaType != "application/yaml" {
				t.Fatalf("Document = %+v, %v", doc, err)
			}
			reg, err := p.Registry()
			if err != nil {
				t.Fatal(err)
			}
			if n, err := reg.Network(context.Background()); err != nil || len(n.Ambassadors) != 1 || n.Ambassadors[0].Handle != "amb-16-01" {
				t.Fatalf("Network = %+v, %v", n, err)
			}
			if _, err := p.Directory(); !errors.Is(err, ErrUnsupported) {
				t.Errorf("Directory() on a territory plugin = %v", err)
			}
		})
	}
}

func TestRulesPluginRefusesABadDocument(t *testing.T) {
	dir, m := install(t, "territory-fixed")
	p, err := Open(dir, m.Name, &Options{Env: []string{"TERRITORY_BAD=1"}, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	rules, _ := p.Rules()
	// The SDK refuses to send it; the host sees a plugin failure that
	// names the field.
	if _, err := rules.Document(context.Background()); !errors.Is(err, ErrPluginFailed) || !strings.Contains(err.Error(), "version: empty") {
		t.Fatalf("Document = %v, want ErrPluginFailed naming version", err)
	}
	reg, _ := p.Registry()
	if _, err := reg.Network(context.Background()); !errors.Is(err, ErrGarbage) || !strings.Contains(err.Error(), "ambassador 1") || !strings.Contains(err.Error(), "handle") {
		t.Fatalf("Network = %v, want ErrGarbage naming ambassador 1's handle", err)
	}
}
