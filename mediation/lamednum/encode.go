package lamednum

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	m "github.com/passerelle-sante/passerelle/mediation"
)

// Columns returns the columns of the v1 standard in its official order.
func Columns() []string {
	return []string{
		"id", "pivot", "nom", "commune", "code_postal", "code_insee", "adresse",
		"complement_adresse", "latitude", "longitude", "typologie", "telephone",
		"courriels", "site_web", "horaires", "presentation_resume",
		"presentation_detail", "source", "itinerance", "structure_parente",
		"date_maj", "services", "publics_specifiquement_adresses",
		"prise_en_charge_specifique", "frais_a_charge",
		"dispositif_programmes_nationaux", "formations_labels",
		"autres_formations_labels", "modalites_acces", "modalites_accompagnement",
		"fiche_acces_libre", "prise_rdv",
	}
}

// Row returns p as the cells of a v1 CSV row, in Columns order, with "|"
// between multiple values.
func Row(p m.Place) []string {
	coord := func(f float64) string {
		if !p.HasLocation() {
			return ""
		}
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return []string{
		p.ID, p.Pivot, p.Name, p.Commune, p.PostalCode, p.INSEECode, p.Address,
		p.AddressComplement, coord(p.Latitude), coord(p.Longitude),
		m.JoinValues(p.Typology), p.Phone, m.JoinValues(p.Emails),
		m.JoinValues(p.Websites), p.Hours, p.Summary, p.Detail, p.Source,
		m.JoinValues(p.Itinerance), p.ParentStructure, p.UpdatedAt,
		m.JoinValues(p.Services), m.JoinValues(p.Publics),
		m.JoinValues(p.SpecificSupport), m.JoinValues(p.Fees),
		m.JoinValues(p.Programs), m.JoinValues(p.Labels),
		m.JoinValues(p.OtherLabels), m.JoinValues(p.AccessModes),
		m.JoinValues(p.SupportModes), p.Accessibility, p.Booking,
	}
}

// EncodeCSV writes places as a v1 CSV file: the header, then one row per
// place. Free text never carries the separator of multiple values, so a "|"
// inside a label or URL is replaced by "/".
func EncodeCSV(ctx context.Context, w io.Writer, places []m.Place) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(Columns()); err != nil {
		return err
	}
	for i, p := range places {
		if err := ctx.Err(); err != nil {
			return err
		}
		p.Typology = noPipes(p.Typology)
		p.Emails = noPipes(p.Emails)
		p.Websites = noPipes(p.Websites)
		p.OtherLabels = noPipes(p.OtherLabels)
		if err := cw.Write(Row(p)); err != nil {
			return fmt.Errorf("place %d (%s): %w", i+1, p.ID, err)
		}
	}
	cw.Flush()
	return cw.Error()
}

func noPipes(vs []string) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = strings.ReplaceAll(v, "|", "/")
	}
	return out
}

// EncodeJSON writes places as a JSON array of v1 records: the CSV cells keyed
// by column, empty cells left out, latitude and longitude as numbers.
func EncodeJSON(ctx context.Context, w io.Writer, places []m.Place) error {
	cols := Columns()
	out := make([]map[string]any, 0, len(places))
	for _, p := range places {
		if err := ctx.Err(); err != nil {
			return err
		}
		rec := map[string]any{}
		for i, cell := range Row(p) {
			if cell == "" {
				continue
			}
			rec[cols[i]] = cell
		}
		if p.HasLocation() {
			rec["latitude"], rec["longitude"] = p.Latitude, p.Longitude
		}
		out = append(out, rec)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
