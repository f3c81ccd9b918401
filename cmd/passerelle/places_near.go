package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/referral/demo"
	"github.com/passerelle-sante/passerelle/territory"
)

const placesNearUsage = `Usage:
  passerelle places near [--places FILE...] (--lat X --lon Y | --commune INSEE | --postal-code CP)
                         [--k 5] [--max-km D] [--service S]... [--public P]... [--support S]...
                         [--fee F]... [--program P]... [--label L]... [--access-mode M]...
                         [--support-mode M]... [--open-within-days N] [--bookable-online]
                         [--input-format auto|places|lamednum|france-services|datainclusion|hsds]
                         [--format text|json]

Find the mediation places nearest to a point (great-circle distance), among
the places of the --places files (any format "places import" reads; the
flag may be repeated, and files may also be given as arguments). Without
--places the embedded demo directory is used (real open data: Charente,
Auvergne-Rhône-Alpes and the France Services list).

The point is --lat/--lon (WGS84 degrees), or the centroid of a commune
(--commune, INSEE code) or of the most populous commune of a postal code
(--postal-code).

Filters take the standard's French values (case and accents are
forgiven), e.g. --service "Aide aux démarches administratives",
--label "Formé à « Mon Espace Santé »". Services, specific supports and
labels are all required; for publics, fees, programmes and modes any one
listed value is enough. --open-within-days N keeps places whose opening
hours say they open within N days; places without usable hours are left
out.

Cherche les lieux de médiation les plus proches d'un point, avec les
valeurs du standard national pour filtrer.

JSON output: {"point": {...}, "places": [{"id", "nom", "commune",
"code_postal", "adresse", "distance_km", "services", ...}]}, nearest first,
distance_km rounded to 0.01 km. Contact fields (telephone, courriels) are
not printed.

Exit codes: 1 when the point cannot be found (unknown commune or postal
code) or no file can be read; 2 when the command line is wrong (no point,
two points, an unknown value).`

// nearPoint is where the search starts, and what it was given as.
type nearPoint struct {
	Lat     float64 `json:"lat"`
	Lon     float64 `json:"lon"`
	From    string  `json:"depuis"` // "coordonnees", "commune" or "code_postal"
	Commune string  `json:"commune,omitempty"`
	Code    string  `json:"code_insee,omitempty"`
}

// nearPlace is one place of the JSON output, with the keys of the national
// standard and its distance. Contact fields (telephone, courriels) are left
// out: in real feeds they are often a named person's line or address, and
// this output gets pasted into referral notes; prise_rdv and site_web say
// how to reach the place.
type nearPlace struct {
	ID                string                      `json:"id"`
	Name              string                      `json:"nom"`
	Commune           string                      `json:"commune"`
	PostalCode        string                      `json:"code_postal"`
	INSEECode         string                      `json:"code_insee,omitempty"`
	Address           string                      `json:"adresse"`
	AddressComplement string                      `json:"complement_adresse,omitempty"`
	Latitude          float64                     `json:"latitude"`
	Longitude         float64                     `json:"longitude"`
	DistanceKm        float64                     `json:"distance_km"`
	Services          []mediation.Service         `json:"services"`
	Publics           []mediation.Public          `json:"publics_specifiquement_adresses,omitempty"`
	SpecificSupport   []mediation.SpecificSupport `json:"prise_en_charge_specifique,omitempty"`
	Fees              []mediation.Fee             `json:"frais_a_charge,omitempty"`
	Programs          []mediation.Program         `json:"dispositif_programmes_nationaux,omitempty"`
	Labels            []mediation.Label           `json:"formations_labels,omitempty"`
	AccessModes       []mediation.AccessMode      `json:"modalites_acces,omitempty"`
	SupportModes      []mediation.SupportMode     `json:"modalites_accompagnement,omitempty"`
	Hours             string                      `json:"horaires,omitempty"`
	Booking           string                      `json:"prise_rdv,omitempty"`
	Websites          []string                    `json:"site_web,omitempty"`
	Accessibility     string                      `json:"fiche_acces_libre,omitempty"`
	Source            string                      `json:"source,omitempty"`
	UpdatedAt         string                      `json:"date_maj,omitempty"`
	Flags             []mediation.RepairFlag      `json:"flags,omitempty"`
}

func toNearPlace(r mediation.Result) nearPlace {
	p := r.Place
	services := p.Services
	if services == nil {
		services = []mediation.Service{}
	}
	return nearPlace{
		ID: p.ID, Name: p.Name, Commune: p.Commune, PostalCode: p.PostalCode, INSEECode: p.INSEECode,
		Address: p.Address, AddressComplement: p.AddressComplement, Latitude: p.Latitude, Longitude: p.Longitude,
		DistanceKm: math.Round(r.DistanceKm*100) / 100,
		Services:   services, Publics: p.Publics, SpecificSupport: p.SpecificSupport, Fees: p.Fees,
		Programs: p.Programs, Labels: p.Labels, AccessModes: p.AccessModes, SupportModes: p.SupportModes,
		Hours: p.Hours, Booking: p.Booking, Websites: p.Websites, Accessibility: p.Accessibility,
		Source: p.Source, UpdatedAt: p.UpdatedAt, Flags: p.Flags,
	}
}

type nearOutput struct {
	Point  nearPoint   `json:"point"`
	Places []nearPlace `json:"places"`
}

func placesNearCommand() command {
	return command{
		name:    "near",
		summary: "find the mediation places nearest to a point, a commune or a postal code",
		usage:   placesNearUsage,
		run:     runPlacesNear,
	}
}

// nearFlags holds the filter flags, each repeatable.
type nearFlags struct {
	services, publics, supports, fees, programs, labels, accessModes, supportModes stringsFlag
}

func runPlacesNear(ctx context.Context, e *env, args []string) error {
	const help = "places near --help"
	fs := newFlags(e, "places near", placesNearUsage)
	var (
		files                  stringsFlag
		lat, lon               float64
		commune, postal        string
		k                      int
		maxKm                  float64
		openDays               int
		bookable               bool
		filters                nearFlags
		inputFormat, outFormat = newChoice(formatAuto, inputFormats...), newChoice("text", "text", "json")
	)
	fs.Var(&files, "places", "a file of places (repeatable); default: the embedded demo directory")
	pluginsDir := fs.String("plugins", "", "a plugin directory: the places of its directory plugins are added to --places")
	fs.Float64Var(&lat, "lat", 0, "latitude of the point, WGS84 degrees")
	fs.Float64Var(&lon, "lon", 0, "longitude of the point, WGS84 degrees")
	fs.StringVar(&commune, "commune", "", "INSEE code of the commune whose centroid is the point")
	fs.StringVar(&postal, "postal-code", "", "postal code whose most populous commune's centroid is the point")
	fs.IntVar(&k, "k", 5, "number of places to return")
	fs.Float64Var(&maxKm, "max-km", 0, "maximum distance in km (0: no limit)")
	fs.Var(&filters.services, "service", "required service (repeatable: all required)")
	fs.Var(&filters.publics, "public", "public specifically addressed (repeatable: any)")
	fs.Var(&filters.supports, "support", "specific support needed (repeatable: all required)")
	fs.Var(&filters.fees, "fee", "acceptable fee condition (repeatable: any)")
	fs.Var(&filters.programs, "program", "national programme (repeatable: any)")
	fs.Var(&filters.labels, "label", "required training or label (repeatable: all required)")
	fs.Var(&filters.accessModes, "access-mode", "access mode (repeatable: any)")
	fs.Var(&filters.supportModes, "support-mode", "support mode (repeatable: any)")
	fs.IntVar(&openDays, "open-within-days", 0, "keep places open within N days (0: no filter)")
	fs.BoolVar(&bookable, "bookable-online", false, "keep places bookable online")
	fs.Var(inputFormat, "input-format", "format of the --places files")
	fs.Var(outFormat, "format", "output format: text or json")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	files = append(files, pos...)

	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	ways := 0
	for _, given := range []bool{set["lat"] || set["lon"], set["commune"], set["postal-code"]} {
		if given {
			ways++
		}
	}
	switch {
	case ways == 0:
		return usagef(help, "places near needs a point: --lat and --lon, --commune or --postal-code")
	case ways > 1:
		return usagef(help, "places near takes one point: --lat/--lon, --commune or --postal-code, not several")
	case set["lat"] != set["lon"]:
		return usagef(help, "--lat and --lon go together")
	case openDays < 0:
		return usagef(help, "--open-within-days must be 0 or more, got %d", openDays)
	}

	q := mediation.Query{K: k, MaxKm: maxKm, BookableOnline: bookable, OpenWithin: time.Duration(openDays) * 24 * time.Hour}
	if err := filters.apply(&q); err != nil {
		return usagef(help, "%v", err)
	}

	point := nearPoint{Lat: lat, Lon: lon, From: "coordonnees"}
	if set["commune"] || set["postal-code"] {
		ref, err := territory.Default()
		if err != nil {
			return err
		}
		var c territory.Commune
		if set["commune"] {
			code := strings.ToUpper(strings.TrimSpace(commune))
			var ok bool
			if c, ok = ref.Commune(code); !ok {
				return fmt.Errorf("no commune has INSEE code %q / aucune commune n'a le code INSEE %q", commune, commune)
			}
			point.From = "commune"
		} else {
			cs := ref.ByPostalCode(strings.TrimSpace(postal))
			if len(cs) == 0 {
				return fmt.Errorf("no commune has postal code %q / aucune commune n'a le code postal %q", postal, postal)
			}
			c = cs[0]
			point.From = "code_postal"
		}
		point.Lat, point.Lon, point.Commune, point.Code = c.Lat, c.Lon, c.Name, c.Code
	}
	q.Lat, q.Lon = point.Lat, point.Lon
	if err := q.Validate(); err != nil {
		return usagef(help, "%v", err)
	}

	var places []mediation.Place
	if len(files) > 0 {
		communes, err := communeResolver()
		if err != nil {
			return err
		}
		if places, _, err = loadPlaces(ctx, e, files, inputFormat.value, communes); err != nil {
			return err
		}
	}
	if *pluginsDir != "" {
		more, err := pluginPlaces(ctx, e, *pluginsDir)
		if err != nil {
			return err
		}
		places = append(places, more...)
	}
	if len(files) == 0 && *pluginsDir == "" {
		if places, err = demo.Places(); err != nil {
			return err
		}
	}
	ix, err := mediation.NewIndex(places, nil)
	if err != nil {
		return err
	}
	if n := ix.Skipped(); n > 0 {
		fmt.Fprintf(e.stderr, "passerelle: %d places without a location were left out / %d lieux sans position ignorés\n", n, n)
	}
	found, err := ix.Nearby(ctx, q)
	if err != nil {
		return err
	}
	out := nearOutput{Point: point, Places: make([]nearPlace, len(found))}
	for i, r := range found {
		out.Places[i] = toNearPlace(r)
	}
	if outFormat.value == "json" {
		return writeJSON(e.stdout, out)
	}
	printNear(e.stdout, out)
	return nil
}

// apply turns the filter flags into q's filters; an unknown value is an
// error that lists the values of the standard.
func (f *nearFlags) apply(q *mediation.Query) error {
	var err error
	if q.Services, err = lookupAll("--service", f.services, mediation.AllServices()); err != nil {
		return err
	}
	if q.Publics, err = lookupAll("--public", f.publics, mediation.AllPublics()); err != nil {
		return err
	}
	if q.SpecificSupport, err = lookupAll("--support", f.supports, mediation.AllSpecificSupports()); err != nil {
		return err
	}
	if q.Fees, err = lookupAll("--fee", f.fees, mediation.AllFees()); err != nil {
		return err
	}
	if q.Programs, err = lookupAll("--program", f.programs, mediation.AllPrograms()); err != nil {
		return err
	}
	if q.Labels, err = lookupAll("--label", f.labels, mediation.AllLabels()); err != nil {
		return err
	}
	if q.AccessModes, err = lookupAll("--access-mode", f.accessModes, mediation.AllAccessModes()); err != nil {
		return err
	}
	q.SupportModes, err = lookupAll("--support-mode", f.supportModes, mediation.AllSupportModes())
	return err
}

func lookupAll[T ~string](flagName string, raw []string, all []T) ([]T, error) {
	var out []T
	for _, r := range raw {
		v, ok := mediation.Lookup(r, all)
		if !ok {
			names := make([]string, len(all))
			for i, a := range all {
				names[i] = fmt.Sprintf("%q", string(a))
			}
			return nil, fmt.Errorf("%s %q is not a value of the standard; one of: %s", flagName, r, strings.Join(names, ", "))
		}
		out = append(out, v)
	}
	return out, nil
}

func printNear(w io.Writer, out nearOutput) {
	where := fmt.Sprintf("%.4f, %.4f", out.Point.Lat, out.Point.Lon)
	if out.Point.Commune != "" {
		where = fmt.Sprintf("%s (%s) %s", out.Point.Commune, out.Point.Code, where)
	}
	if len(out.Places) == 0 {
		fmt.Fprintf(w, "Aucun lieu trouvé près de %s / no place found.\n", where)
		return
	}
	fmt.Fprintf(w, "Lieux les plus proches de %s / nearest places:\n", where)
	for i, p := range out.Places {
		fmt.Fprintf(w, "%2d. %7.2f km  %s\n", i+1, p.DistanceKm, p.Name)
		addr := strings.TrimSpace(strings.Join([]string{p.Address, strings.TrimSpace(p.PostalCode + " " + p.Commune)}, ", "))
		fmt.Fprintf(w, "               %s\n", strings.Trim(addr, ", "))
		if len(p.Services) > 0 {
			fmt.Fprintf(w, "               services : %s\n", joinValues(p.Services))
		}
		if p.Hours != "" {
			fmt.Fprintf(w, "               horaires : %s\n", p.Hours)
		}
		if slices.Contains(p.Flags, mediation.FlagApproximateLocation) {
			fmt.Fprintln(w, "               position approximative (centre de la commune) / approximate location")
		}
	}
}

func joinValues[T ~string](vs []T) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = string(v)
	}
	return strings.Join(s, ", ")
}
