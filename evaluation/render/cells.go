package render

import (
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/passerelle-sante/passerelle/evaluation"
)

// cellKind says how a figure reads.
type cellKind int

const (
	cellNumber cellKind = iota
	cellMasked
	cellUndefined
)

// cell is one figure of a report, as shown.
type cell struct {
	kind  cellKind
	value float64
	// integer counts are written without decimals.
	integer bool
	// share is a fraction from 0 to 1, shown as a percentage.
	share bool
}

func countCell(c evaluation.Count) cell {
	if c.Masked {
		return cell{kind: cellMasked}
	}
	return cell{value: float64(c.N), integer: true}
}

func measureCell(m evaluation.Measure, share bool) cell {
	switch {
	case m.Masked:
		return cell{kind: cellMasked}
	case m.Undefined || math.IsNaN(m.Value) || math.IsInf(m.Value, 0):
		return cell{kind: cellUndefined}
	}
	return cell{value: m.Value, share: share}
}

// isShare says whether the indicator at path is a fraction.
func isShare(path string) bool {
	for _, s := range []string{"share", "conversion", "rate"} {
		if strings.Contains(path, s) {
			return true
		}
	}
	return false
}

// number formats x in l: a French decimal comma and narrow no-break spaces
// between thousands, or an English point and commas.
func number(l Lang, x float64, decimals int) string {
	s := strconv.FormatFloat(x, 'f', decimals, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	sep, point := "\u202f", ","
	if l == English {
		sep, point = ",", "."
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	if frac != "" {
		b.WriteString(point)
		b.WriteString(frac)
	}
	return b.String()
}

// show writes c for a reader in l.
func (c cell) show(l Lang) string {
	switch c.kind {
	case cellMasked:
		return word(l, "masked")
	case cellUndefined:
		return word(l, "undefined")
	}
	switch {
	case c.integer:
		return number(l, c.value, 0)
	case c.share:
		if l == English {
			return number(l, 100*c.value, 1) + "%"
		}
		return number(l, 100*c.value, 1) + "\u202f%"
	}
	return number(l, c.value, 1)
}

// row is one figure of the long table: the indicator's JSON path, the key of
// its group (a type, a month, a département; "" for a total) and the figure.
type row struct {
	path string
	key  string
	cell cell
}

// rows flattens r into the long table, in the Report's field order, using
// the JSON names: a figure added to the Report appears without a change here.
// Definitions, the map and the previous period are not figures of r.
func rows(r *evaluation.Report) []row {
	var out []row
	v := reflect.ValueOf(r).Elem()
	t := v.Type()
	for i := range t.NumField() {
		name := jsonName(t.Field(i))
		switch name {
		case "network", "actions", "referrals", "progression", "equity", "coverage", "targets":
			walk(&out, name, "", v.Field(i))
		}
	}
	return out
}

var (
	countType   = reflect.TypeFor[evaluation.Count]()
	measureType = reflect.TypeFor[evaluation.Measure]()
	timeType    = reflect.TypeFor[time.Time]()
)

func jsonName(f reflect.StructField) string {
	tag := f.Tag.Get("json")
	name, _, _ := strings.Cut(tag, ",")
	if name == "" {
		return f.Name
	}
	return name
}

func walk(out *[]row, path, key string, v reflect.Value) {
	switch v.Type() {
	case countType:
		*out = append(*out, row{path, key, countCell(v.Interface().(evaluation.Count))})
		return
	case measureType:
		*out = append(*out, row{path, key, measureCell(v.Interface().(evaluation.Measure), isShare(path))})
		return
	case timeType:
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			walk(out, path, key, v.Elem())
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() || f.Type.Kind() == reflect.String {
				continue
			}
			walk(out, path+"."+jsonName(f), key, v.Field(i))
		}
	case reflect.Slice:
		for i := range v.Len() {
			e := v.Index(i)
			walk(out, path, joinKey(key, elementKey(e)), e)
		}
	case reflect.Int, reflect.Int64:
		*out = append(*out, row{path, key, cell{value: float64(v.Int()), integer: true}})
	case reflect.Float64:
		x := v.Float()
		c := cell{value: x, share: isShare(path)}
		if math.IsNaN(x) || math.IsInf(x, 0) {
			c = cell{kind: cellUndefined}
		}
		*out = append(*out, row{path, key, c})
	case reflect.Bool:
		b := 0.0
		if v.Bool() {
			b = 1
		}
		*out = append(*out, row{path, key, cell{value: b, integer: true}})
	}
}

func joinKey(a, b string) string {
	if a == "" {
		return b
	}
	return a + "/" + b
}

// elementKey names an element of a list by its first string field (Key,
// Type, Month, Departement, ...) or, for a target, its indicator.
func elementKey(v reflect.Value) string {
	if v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return ""
	}
	for i := range v.NumField() {
		f := v.Field(i)
		switch f.Kind() {
		case reflect.String:
			return f.String()
		case reflect.Struct:
			if k := elementKey(f); k != "" && f.Type() != countType && f.Type() != measureType {
				return k
			}
		}
	}
	return ""
}
