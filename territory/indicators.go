package territory

import (
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
)

// WithIndicators returns a Source that is src with extra figures per
// commune, e.g. a regional digital-fragility index: indicators maps an
// INSEE code to named values, merged into Commune.Indicators (a value
// given here replaces one of the same name from src). A code unknown to
// src or a value that is not a finite number makes Communes fail with
// ErrInvalidReference, naming the code and the indicator. src's own
// slices and maps are not modified.
func WithIndicators(src Source, indicators map[string]map[string]float64) Source {
	return indicatorSource{Source: src, indicators: indicators}
}

type indicatorSource struct {
	Source
	indicators map[string]map[string]float64
}

func (s indicatorSource) Communes(ctx context.Context) ([]Commune, error) {
	communes, err := s.Source.Communes(ctx)
	if err != nil {
		return nil, err
	}
	communes = slices.Clone(communes)
	at := make(map[string]int, len(communes))
	for i, c := range communes {
		at[c.Code] = i
	}
	// Sorted codes: the first error reported does not depend on map order.
	for _, code := range slices.Sorted(maps.Keys(s.indicators)) {
		values := s.indicators[code]
		i, ok := at[code]
		if !ok {
			return nil, fmt.Errorf("%w: indicators: commune %q: unknown code", ErrInvalidReference, code)
		}
		merged := maps.Clone(communes[i].Indicators)
		if merged == nil {
			merged = make(map[string]float64, len(values))
		}
		for _, name := range slices.Sorted(maps.Keys(values)) {
			v := values[name]
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("%w: indicators: commune %q: %s = %v is not a finite number", ErrInvalidReference, code, name, v)
			}
			merged[name] = v
		}
		communes[i].Indicators = merged
	}
	return communes, nil
}
