package territory

// DensityClass is the INSEE communal density grid at 7 levels
// (grille communale de densité): 1 Grands centres urbains … 7 Rural à
// habitat très dispersé. 0 means unknown: the COM are outside the grid.
type DensityClass int

// The seven levels of the INSEE grid.
const (
	DensityUnknown           DensityClass = 0
	LargeUrbanCentres        DensityClass = 1
	IntermediateUrbanCentres DensityClass = 2
	SmallTowns               DensityClass = 3
	UrbanBelts               DensityClass = 4
	RuralTowns               DensityClass = 5
	RuralDispersed           DensityClass = 6
	RuralVeryDispersed       DensityClass = 7
)

var densityLabels = [8][2]string{
	{"Inconnue", "Unknown"},
	{"Grands centres urbains", "Large urban centres"},
	{"Centres urbains intermédiaires", "Intermediate urban centres"},
	{"Petites villes", "Small towns"},
	{"Ceintures urbaines", "Urban belts"},
	{"Bourgs ruraux", "Rural towns"},
	{"Rural à habitat dispersé", "Rural, dispersed housing"},
	{"Rural à habitat très dispersé", "Rural, very dispersed housing"},
}

// Valid reports whether d is one of the seven levels.
func (d DensityClass) Valid() bool { return d >= 1 && d <= 7 }

// Label is the official French label for lang "fr" and an English one for
// any other language.
func (d DensityClass) Label(lang string) string {
	if !d.Valid() {
		d = DensityUnknown
	}
	if lang == "fr" {
		return densityLabels[d][0]
	}
	return densityLabels[d][1]
}

// Group is the 4-level grouping INSEE publishes beside the 7 levels:
// 1 dense; 2, 3, 4 intermédiaire; 5, 6 peu dense; 7 très peu dense.
func (d DensityClass) Group() DensityGroup {
	switch d {
	case 1:
		return Dense
	case 2, 3, 4:
		return Intermediate
	case 5, 6:
		return LowDensity
	case 7:
		return VeryLowDensity
	}
	return ""
}

// DensityGroup is the 4-level density grouping; its values are wire values.
type DensityGroup string

// The four groups; the empty group is unknown.
const (
	Dense          DensityGroup = "dense"
	Intermediate   DensityGroup = "intermediaire"
	LowDensity     DensityGroup = "peu_dense"
	VeryLowDensity DensityGroup = "tres_peu_dense"
)

// Label is the French label for lang "fr", English otherwise.
func (g DensityGroup) Label(lang string) string {
	fr, en := "inconnu", "unknown"
	switch g {
	case Dense:
		fr, en = "dense", "dense"
	case Intermediate:
		fr, en = "intermédiaire", "intermediate density"
	case LowDensity:
		fr, en = "peu dense", "low density"
	case VeryLowDensity:
		fr, en = "très peu dense", "very low density"
	}
	if lang == "fr" {
		return fr
	}
	return en
}
