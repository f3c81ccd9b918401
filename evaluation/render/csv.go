package render

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/passerelle-sante/passerelle/evaluation"
)

// bom makes spreadsheets read the file as UTF-8.
const bom = "\ufeff"

// CSV writes the report as one long table that opens correctly in a French
// spreadsheet: UTF-8 with a byte-order mark, ";" between fields, CRLF line
// ends and a decimal comma. The columns are the section, the indicator's id
// (its JSON path in the report), its label in l, the key of its group (a
// type, a month, a département; empty for a total), the value, its state
// ("" when measured, "masque" or "non_mesurable"), and the same value and
// state for the previous period when the report has one.
//
// Values are plain numbers without thousands separators, shares are
// fractions (0,25 for a quarter), so a spreadsheet computes with them. The
// first lines describe the report (territory, period, synthetic, empty).
func CSV(w io.Writer, r *evaluation.Report, l Lang) error {
	if r == nil {
		return fmt.Errorf("render: no report")
	}
	if l == "" {
		l = French
	}
	if _, err := io.WriteString(w, bom); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	cw.UseCRLF = true
	head := []string{"section", "indicateur", "libelle", "cle", "valeur", "etat", "valeur_precedente", "etat_precedent"}
	if l == English {
		head = []string{"section", "indicator", "label", "key", "value", "state", "previous_value", "previous_state"}
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	meta := func(id, label, value string) error {
		return cw.Write([]string{"rapport", id, label, "", value, "", "", ""})
	}
	yes := func(b bool) string {
		if b {
			return "1"
		}
		return "0"
	}
	for _, m := range [][3]string{
		{"territory.level", word(l, "territory"), string(r.Territory.Level)},
		{"territory.code", word(l, "territory"), r.Territory.Code},
		{"period.from", word(l, "period"), r.Period.From.Format("2006-01-02")},
		{"period.to", word(l, "period"), r.Period.To.Format("2006-01-02")},
		{"synthetic", word(l, "synthetic"), yes(r.Synthetic)},
		{"empty", word(l, "empty"), yes(r.Empty)},
		{"mask_threshold", fmt.Sprintf(word(l, "threshold"), r.MaskThreshold), strconv.Itoa(r.MaskThreshold)},
	} {
		if err := meta(m[0], m[1], m[2]); err != nil {
			return err
		}
	}
	if !r.Empty {
		var prev map[string]cell
		if r.Previous != nil && !r.Previous.Empty {
			prev = index(r.Previous)
		}
		for _, x := range rows(r) {
			section, _, _ := strings.Cut(x.path, ".")
			v, s := csvCell(x.cell)
			pv, ps := "", ""
			if prev != nil {
				if c, ok := prev[x.path+"|"+x.key]; ok {
					pv, ps = csvCell(c)
				} else {
					ps = "absent"
				}
			}
			if err := cw.Write([]string{section, x.path, label(l, x.path), x.key, v, s, pv, ps}); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvCell writes a figure as a plain number with a decimal comma, and its
// state.
func csvCell(c cell) (value, state string) {
	switch c.kind {
	case cellMasked:
		return "", "masque"
	case cellUndefined:
		return "", "non_mesurable"
	}
	if c.integer {
		return strconv.FormatFloat(c.value, 'f', 0, 64), ""
	}
	return strings.Replace(strconv.FormatFloat(c.value, 'f', -1, 64), ".", ",", 1), ""
}
