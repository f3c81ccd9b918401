package mediation

import (
	"strings"
)

// SplitValues splits a multi-valued cell. The v1 standard separates values
// with "|", v0.1 with ";", and files found in the wild mix both, so both are
// separators (no value of any enumeration contains either). Empty values and
// surrounding spaces are dropped.
func SplitValues(raw string) []string {
	var out []string
	for _, v := range strings.FieldsFunc(raw, func(r rune) bool { return r == '|' || r == ';' }) {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// JoinValues joins values the v1 way, with "|".
func JoinValues[T ~string](vs []T) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = string(v)
	}
	return strings.Join(parts, "|")
}

// ParseValues turns the raw values of field into values of the enumeration
// all, tolerating spelling slips (see Lookup). Values it cannot place are
// dropped, each with a FieldError (code "dropped"); duplicates are removed.
func ParseValues[T ~string](field string, raw []string, all []T) ([]T, []FieldError) {
	var out []T
	var reasons []FieldError
	for _, r := range raw {
		v, ok := Lookup(r, all)
		if !ok {
			reasons = append(reasons, NewFieldError(field, CodeDropped,
				"%q is not a value of the standard; dropped", "%q n'est pas une valeur du standard ; retiré", r))
			continue
		}
		if string(v) != r {
			reasons = append(reasons, NewFieldError(field, CodeRepaired, "%q read as %q", "%q lu comme %q", r, string(v)))
		}
		out = AppendUnique(out, v)
	}
	return out, reasons
}

// AppendUnique appends the values of add to vs that vs does not hold yet.
func AppendUnique[T comparable](vs []T, add ...T) []T {
next:
	for _, a := range add {
		for _, v := range vs {
			if v == a {
				continue next
			}
		}
		vs = append(vs, a)
	}
	return vs
}

// Vocabulary looks raw values up in one enumeration like Lookup, with the
// comparison keys computed once: build one per import, not per value.
type Vocabulary[T ~string] struct {
	exact  map[string]T
	folded map[string]T
}

// NewVocabulary indexes all for repeated lookups.
func NewVocabulary[T ~string](all []T) Vocabulary[T] {
	v := Vocabulary[T]{exact: make(map[string]T, len(all)), folded: make(map[string]T, len(all))}
	for _, a := range all {
		v.exact[string(a)] = a
		v.folded[foldValue(string(a))] = a
	}
	return v
}

// Lookup finds the value raw names, as the package-level Lookup does.
func (v Vocabulary[T]) Lookup(raw string) (T, bool) {
	if a, ok := v.exact[raw]; ok {
		return a, true
	}
	a, ok := v.folded[foldValue(raw)]
	return a, ok
}
