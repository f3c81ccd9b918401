package assessment

import "fmt"

// Direction is how a level moved between two assessments.
type Direction string

// Directions of a progression.
const (
	DirectionUp   Direction = "up"   // closer to autonomy
	DirectionSame Direction = "same" // same level
	DirectionDown Direction = "down" // farther from autonomy
)

// DimensionDelta is how one dimension score changed.
type DimensionDelta struct {
	Dimension string  `json:"dimension"`
	Before    float64 `json:"before"`
	After     float64 `json:"after"`
	Delta     float64 `json:"delta"`
}

// Progression is what changed between two results of the same person with
// the same instrument.
type Progression struct {
	Instrument string           `json:"instrument"`
	Before     Level            `json:"before"`
	After      Level            `json:"after"`
	Direction  Direction        `json:"direction"`
	Steps      int              `json:"steps"` // rank difference, negative when down
	Dimensions []DimensionDelta `json:"dimensions"`
	// FlagsRaised and FlagsCleared list flags present only after, or only
	// before.
	FlagsRaised  []Flag `json:"flags_raised"`
	FlagsCleared []Flag `json:"flags_cleared"`
}

// Compare tells the progression from before to after. Both results must
// come from the same instrument (versions may differ: dimensions present in
// only one of them are left out).
func Compare(before, after Result) (Progression, error) {
	if before.Instrument != after.Instrument {
		return Progression{}, fmt.Errorf("%w: %q and %q", ErrDifferentInstruments, before.Instrument, after.Instrument)
	}
	if !before.Level.Valid() || !after.Level.Valid() {
		return Progression{}, fmt.Errorf("compare: results need a level, got %q and %q", before.Level, after.Level)
	}
	p := Progression{
		Instrument: after.Instrument, Before: before.Level, After: after.Level,
		Steps:        after.Level.Rank() - before.Level.Rank(),
		Dimensions:   []DimensionDelta{},
		FlagsRaised:  []Flag{},
		FlagsCleared: []Flag{},
	}
	switch {
	case p.Steps > 0:
		p.Direction = DirectionUp
	case p.Steps < 0:
		p.Direction = DirectionDown
	default:
		p.Direction = DirectionSame
	}
	for _, b := range before.Scores {
		if a, ok := after.Score(b.Dimension); ok {
			p.Dimensions = append(p.Dimensions, DimensionDelta{Dimension: b.Dimension, Before: b.Value, After: a, Delta: a - b.Value})
		}
	}
	for _, f := range after.Flags {
		if !before.HasFlag(f) {
			p.FlagsRaised = append(p.FlagsRaised, f)
		}
	}
	for _, f := range before.Flags {
		if !after.HasFlag(f) {
			p.FlagsCleared = append(p.FlagsCleared, f)
		}
	}
	return p, nil
}
