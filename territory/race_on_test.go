//go:build race

package territory

// raceEnabled lets the slowest sweeps sample less under the race detector,
// which makes each lookup about ten times slower.
const raceEnabled = true
