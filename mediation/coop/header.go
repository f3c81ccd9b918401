package coop

import (
	"strings"
	"unicode"
)

// column is a column of the export the importer knows.
type column int

const (
	colDate column = iota
	colType
	colParticipants
	colChannel
	colPlaceName
	colCommune
	colPostalCode
	colINSEE
	colDuration
	colEquipment
	colThemes
	colAutonomy
	colWorkshopLevel
	colRedirected
	colRedirection
	colBeneficiaryINSEE
	colGender
	colAgeBand
	colStatus
	colCRAID
	numColumns

	// Columns recognised (so the header is found) but never read: names,
	// free text and bookkeeping the domain does not keep.
	colIgnored column = -1
)

// columnSpec is one known column: its name in the current export, the
// older spellings still found in files, and whether the import needs it.
type columnSpec struct {
	name     string
	aliases  []string
	required bool
}

var columnSpecs = [numColumns]columnSpec{
	colDate:             {name: "Date", required: true},
	colType:             {name: "Type", aliases: []string{"Type d’activité", "Type d’accompagnement"}, required: true},
	colParticipants:     {name: "Participants", required: true},
	colChannel:          {name: "Canaux d’accompagnement", aliases: []string{"Type de lieu", "Lieu d’accompagnement"}},
	colPlaceName:        {name: "Nom du lieu"},
	colCommune:          {name: "Commune"},
	colPostalCode:       {name: "Code postal"},
	colINSEE:            {name: "Code Insee", required: true},
	colDuration:         {name: "Durée (min)", aliases: []string{"Durée", "Durée (minutes)"}, required: true},
	colEquipment:        {name: "Matériel numérique utilisé"},
	colThemes:           {name: "Thématique(s) d’accompagnement", aliases: []string{"Thématiques d’accompagnement", "Thématiques"}, required: true},
	colAutonomy:         {name: "Niveau d’autonomie (ou de l’atelier)", aliases: []string{"Niveau d’autonomie du bénéficiaire", "Niveau d’autonomie"}, required: true},
	colWorkshopLevel:    {name: "Niveau de l’atelier"},
	colRedirected:       {name: "Bénéficiaire réorienté", aliases: []string{"Le bénéficiaire est-il orienté vers une autre structure ?"}},
	colRedirection:      {name: "Structure de redirection"},
	colBeneficiaryINSEE: {name: "Code Insee du bénéficiaire"},
	colGender:           {name: "Genre du bénéficiaire", required: true},
	colAgeBand:          {name: "Tranche d’âge du bénéficiaire", required: true},
	colStatus:           {name: "Statut du bénéficiaire", required: true},
	colCRAID:            {name: "ID CRA", aliases: []string{"Identifiant CRA"}, required: true},
}

// ignoredColumns are read past on purpose. The beneficiary's name, the
// mediator's names and the notes must never reach a record (privacy); the
// others are bookkeeping, free text or derivable from kept columns.
var ignoredColumns = []string{
	"Enregistré le", "Dernière modification le",
	"Prénom du médiateur", "Nom du médiateur", "Rôle", "ID - Conum",
	"Bénéficiaire", "Notes supplémentaires", "Adresse", "Nom de l’atelier",
	"Tags", "Nom de la démarche administrative",
	"Commune du bénéficiaire", "Code postal du bénéficiaire",
	"Commune de résidence du bénéficiaire", "La démarche est-elle finalisée ?",
	"Le bénéficiaire va-t-il poursuivre son parcours d’accompagnement ?",
	"Source de la donnée",
}

// headerNames maps a folded header to its column.
var headerNames = func() map[string]column {
	m := make(map[string]column)
	for c, s := range columnSpecs {
		m[foldHeader(s.name)] = column(c)
		for _, a := range s.aliases {
			m[foldHeader(a)] = column(c)
		}
	}
	for _, n := range ignoredColumns {
		m[foldHeader(n)] = colIgnored
	}
	return m
}()

// foldHeader makes header matching tolerant of what spreadsheets and
// people do to a label: case, accents, the typographic apostrophe ’ against
// ', non-breaking or repeated spaces, a stray BOM.
func foldHeader(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case r == '\uFEFF' || r == '\u200B':
			continue
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		switch r {
		case '’', '‘', 'ʼ', '`', '´':
			r = '\''
		case '…':
			b.WriteString("..")
			r = '.'
		default:
			r = unicode.ToLower(foldAccent(r))
		}
		b.WriteRune(r)
	}
	return b.String()
}

// foldAccent removes the accents French uses.
func foldAccent(r rune) rune {
	switch r {
	case 'à', 'â', 'ä', 'á', 'À', 'Â', 'Ä', 'Á':
		return 'a'
	case 'é', 'è', 'ê', 'ë', 'É', 'È', 'Ê', 'Ë':
		return 'e'
	case 'î', 'ï', 'í', 'Î', 'Ï':
		return 'i'
	case 'ô', 'ö', 'ó', 'Ô', 'Ö':
		return 'o'
	case 'ù', 'û', 'ü', 'ú', 'Ù', 'Û', 'Ü':
		return 'u'
	case 'ç', 'Ç':
		return 'c'
	case 'ÿ', 'Ÿ':
		return 'y'
	}
	return r
}

// Header is where the columns of an export sit.
type Header struct {
	// Row is the 1-based row of the header in the file.
	Row int
	// index[c] is the 0-based cell of column c, or -1 when absent.
	index [numColumns]int
	// Unknown lists header cells the importer does not know, kept for the
	// report; their content is never read.
	Unknown []string
	// Coordinator is true for a coordinator's export (mediator columns),
	// false for a mediator's own (a beneficiary name column).
	Coordinator bool
}

// Has reports whether the header has the column named name (as La Coop
// spells it, or any spelling foldHeader makes equal).
func (h *Header) Has(name string) bool {
	c, ok := headerNames[foldHeader(name)]
	return ok && c != colIgnored && h.index[c] >= 0
}

// minHeaderMatches is how many known column names a row must hold to be
// taken for the header; metadata rows above the table hold one or two
// label-value pairs at most.
const minHeaderMatches = 4

// maxHeaderSearch bounds how far down the header is looked for.
const maxHeaderSearch = 64

// FindHeader finds the header row among the first rows of a sheet (cells
// as read from XLSX or CSV) and maps its columns. firstRow is the 1-based
// row number of rows[0]. It returns ErrNoHeader when no row looks like the
// header, and a *MissingColumnsError (wrapping ErrMissingColumns) when the
// header lacks required columns.
func FindHeader(rows [][]string, firstRow int) (*Header, error) {
	best, bestScore := -1, 0
	for i, row := range rows {
		if i >= maxHeaderSearch {
			break
		}
		score := 0
		for _, cell := range row {
			if _, ok := headerNames[foldHeader(cell)]; ok {
				score++
			}
		}
		if score > bestScore {
			best, bestScore = i, score
		}
	}
	if best < 0 || bestScore < minHeaderMatches {
		return nil, ErrNoHeader
	}
	h := &Header{Row: firstRow + best}
	for c := range h.index {
		h.index[c] = -1
	}
	for i, cell := range rows[best] {
		f := foldHeader(cell)
		c, ok := headerNames[f]
		switch {
		case !ok:
			if f != "" {
				h.Unknown = append(h.Unknown, cell)
			}
		case c == colIgnored:
			if f == foldHeader("Nom du médiateur") {
				h.Coordinator = true
			}
		case h.index[c] < 0:
			h.index[c] = i
		}
	}
	var missing []string
	for c, s := range columnSpecs {
		if s.required && h.index[c] < 0 {
			missing = append(missing, s.name)
		}
	}
	if len(missing) > 0 {
		return nil, &MissingColumnsError{Row: h.Row, Columns: missing}
	}
	return h, nil
}

// cell returns the trimmed value of column c in row, "" when absent.
func (h *Header) cell(row []string, c column) string {
	i := h.index[c]
	if i < 0 || i >= len(row) {
		return ""
	}
	return strings.TrimSpace(row[i])
}
