package territory

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
)

func TestWithIndicators(t *testing.T) {
	ctx := context.Background()
	r, err := Load(ctx, WithIndicators(Embedded(), map[string]map[string]float64{
		"12208": {"fragilite_numerique": 0.62},
		"75056": {"fragilite_numerique": 0.31, "part_sans_internet": 0.08},
	}))
	if err != nil {
		t.Fatal(err)
	}
	c, _ := r.Commune("12208")
	if c.Indicators["fragilite_numerique"] != 0.62 || len(c.Indicators) != 1 {
		t.Errorf("12208 indicators = %v", c.Indicators)
	}
	if c, _ := r.Commune("75056"); len(c.Indicators) != 2 {
		t.Errorf("75056 indicators = %v", c.Indicators)
	}
	if c, _ := r.Commune("12145"); c.Indicators != nil {
		t.Errorf("12145 has indicators %v, want none", c.Indicators)
	}
	// The shared default reference is untouched.
	if c, _ := mustDefault(t).Commune("12208"); c.Indicators != nil {
		t.Errorf("default reference changed: %v", c.Indicators)
	}

	// Layers merge: a later layer replaces a value of the same name.
	base := WithIndicators(Embedded(), map[string]map[string]float64{"12208": {"a": 1, "b": 2}})
	r2, err := Load(ctx, WithIndicators(base, map[string]map[string]float64{"12208": {"b": 3}}))
	if err != nil {
		t.Fatal(err)
	}
	if c, _ := r2.Commune("12208"); c.Indicators["a"] != 1 || c.Indicators["b"] != 3 {
		t.Errorf("layered indicators = %v", c.Indicators)
	}

	tests := []struct {
		name string
		in   map[string]map[string]float64
		want string
	}{
		{"unknown code", map[string]map[string]float64{"99999": {"x": 1}}, `commune "99999": unknown code`},
		{"NaN", map[string]map[string]float64{"12208": {"x": math.NaN()}}, `commune "12208": x = NaN`},
		{"infinite", map[string]map[string]float64{"12208": {"x": math.Inf(1)}}, `x = +Inf`},
	}
	for _, tt := range tests {
		_, err := Load(ctx, WithIndicators(Embedded(), tt.in))
		if !errors.Is(err, ErrInvalidReference) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want ErrInvalidReference mentioning %q", tt.name, err, tt.want)
		}
	}
}
