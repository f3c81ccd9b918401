package assessment

import (
	"embed"
	"fmt"
	"sort"
	"sync"
)

//go:embed instruments/*.json
var builtinFiles embed.FS

// builtinIDs lists the built-in instruments in the order they are shown.
var builtinIDs = [...]string{"triage", "eheals", "dsi", "pix"}

// builtins are compiled once, on first use, and never modified.
var builtins = sync.OnceValues(func() (map[string]*Instrument, error) {
	out := make(map[string]*Instrument, len(builtinIDs))
	for _, id := range builtinIDs {
		data, err := builtinFiles.ReadFile("instruments/" + id + ".json")
		if err != nil {
			return nil, err
		}
		in, err := LoadBytes(data, "<builtin>/"+id+".json")
		if err != nil {
			return nil, err
		}
		out[id] = in
	}
	return out, nil
})

// Builtin returns the built-in instrument id: "triage" (the phone triage),
// "eheals", "dsi" (Eurostat's Digital Skills Indicator 2.0) or "pix".
func Builtin(id string) (*Instrument, error) {
	all, err := builtins()
	if err != nil {
		return nil, fmt.Errorf("built-in instruments: %w", err)
	}
	in, ok := all[id]
	if !ok {
		ids := BuiltinIDs()
		sort.Strings(ids)
		return nil, fmt.Errorf("%w %q (built-in: %v)", ErrUnknownInstrument, id, ids)
	}
	return in, nil
}

// BuiltinIDs lists the ids of the built-in instruments.
func BuiltinIDs() []string { return append([]string(nil), builtinIDs[:]...) }

// Builtins returns the built-in instruments, in the order of BuiltinIDs.
func Builtins() ([]*Instrument, error) {
	all, err := builtins()
	if err != nil {
		return nil, fmt.Errorf("built-in instruments: %w", err)
	}
	out := make([]*Instrument, 0, len(builtinIDs))
	for _, id := range builtinIDs {
		out = append(out, all[id])
	}
	return out, nil
}
