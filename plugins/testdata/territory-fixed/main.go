// Command territory-fixed is a test plugin serving a fixed set of
// indicators, a rules document and a one-ambassador registry;
// TERRITORY_BAD=1 adds an indicator with a wrong INSEE code, serves a rules
// document without a version and an ambassador whose handle is a phone
// number.
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/google/uuid"

	"github.com/passerelle-sante/passerelle/mediation"

	"github.com/passerelle-sante/passerelle/plugins/sdk"
)

type fixed struct{ bad bool }

func (f fixed) Indicators(context.Context) ([]sdk.Indicator, error) {
	ins := []sdk.Indicator{
		{INSEECode: "16015", Name: "indice_fragilite_numerique", Value: 61.5, Unit: "score 0-100", Date: "2025-01-01"},
		{INSEECode: "2A004", Name: "indice_fragilite_numerique", Value: 48},
		{INSEECode: "16015", Name: "couverture_fibre", Value: 92.1, Unit: "%"},
	}
	if f.bad {
		ins = append(ins, sdk.Indicator{INSEECode: "1601", Name: "couverture_fibre", Value: 1})
	}
	return ins, nil
}

func (f fixed) Document(context.Context) (sdk.RulesDocument, error) {
	d := sdk.RulesDocument{Content: []byte("version: 1\n"), MediaType: "application/yaml", Version: "2026-03"}
	if f.bad {
		d.Version = ""
	}
	return d, nil
}

func (f fixed) Network(context.Context) (sdk.Network, error) {
	d := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	a := mediation.Ambassador{ID: uuid.MustParse("0b9c1a3e-3c55-4f43-9d1f-2a8a7b1c0d01"), Handle: "amb-16-01", Region: "75",
		Kind: mediation.KindPharmacist, Communes: []string{"16015"}, Status: mediation.AmbassadorActive, JoinedAt: d, StatusSince: d}
	if f.bad {
		a.Handle = "06 12 34 56 78"
	}
	return sdk.Network{Ambassadors: []mediation.Ambassador{a}}, nil
}

func main() {
	f := fixed{bad: os.Getenv("TERRITORY_BAD") == "1"}
	if err := sdk.Serve(sdk.Plugin{Name: "territory-fixed", Version: "1.0.0", Territory: f, Rules: f, Registry: f}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
