//go:build !race

package territory

const raceEnabled = false
