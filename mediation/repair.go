package mediation

import (
	"math"
	"strings"
)

// CommuneInfo is what repairs need to know about a commune.
type CommuneInfo struct {
	Code        string   // INSEE code
	Name        string   // official name
	PostalCodes []string // every postal code of the commune
	Lat         float64  // centroid
	Lon         float64
}

// CommuneResolver finds communes; TerritoryCommunes adapts territory.Reference
// to it, tests pass a fake.
type CommuneResolver interface {
	// CommuneByCode returns the commune with this INSEE code.
	CommuneByCode(code string) (CommuneInfo, bool)
	// ResolveCommune finds the commune named name that has postalCode; it
	// may fall back on the postal code alone when only one commune has it.
	ResolveCommune(postalCode, name string) (CommuneInfo, bool)
}

// Distances used by Repair, in kilometres.
const (
	// SuspiciousDistanceKm: coordinates farther than this from the commune
	// centroid are flagged (communes are rarely wider).
	SuspiciousDistanceKm = 50
	// swapProofKm: swapped coordinates must land this close to the commune
	// centroid for the swap to be considered proven.
	swapProofKm = 30
	// guianaDistanceKm: communes of French Guiana span up to 150 km.
	guianaDistanceKm = 150
)

// arrondissementCity returns the commune code of the city a municipal
// arrondissement code belongs to (75112 → 75056), or "".
func arrondissementCity(code string) string {
	if len(code) != 5 || !isDigits(code) {
		return ""
	}
	switch {
	case code[:3] == "751" && code >= "75101" && code <= "75120":
		return "75056"
	case code[:3] == "132" && code >= "13201" && code <= "13216":
		return "13055"
	case code[:4] == "6938" && code >= "69381" && code <= "69389":
		return "69123"
	}
	return ""
}

// PivotPlaceholder is the pivot real feeds write when a place has no known
// SIRET, RNA or RIDET; repairs use it so the record stays valid.
const PivotPlaceholder = "00000000000000"

// Repair fixes what can be proven about p's location with communes, flags
// each fix on p and returns one FieldError (code "repaired") per fix. With a
// nil resolver it only normalises formats.
func Repair(p *Place, communes CommuneResolver) []FieldError {
	var reasons []FieldError
	fix := func(flag RepairFlag, field, en, fr string, args ...any) {
		p.AddFlag(flag)
		reasons = append(reasons, NewFieldError(field, CodeRepaired, en, fr, args...))
	}
	reasons = append(reasons, normalizeFormats(p)...)
	if communes == nil {
		return reasons
	}
	c, ok := CommuneInfo{}, false
	if p.INSEECode != "" {
		c, ok = communes.CommuneByCode(p.INSEECode)
		if !ok {
			// A municipal arrondissement of Paris, Lyon or Marseille is a
			// valid code_insee: keep it, locate with its city.
			if city := arrondissementCity(p.INSEECode); city != "" {
				c, ok = communes.CommuneByCode(city)
			}
		}
	}
	if !ok && (p.PostalCode != "" || p.Commune != "") {
		if c, ok = communes.ResolveCommune(p.PostalCode, p.Commune); ok && c.Code != p.INSEECode {
			if p.INSEECode == "" {
				fix(FlagINSEECodeDerived, "code_insee", "derived %s from code_postal %q and commune %q",
					"%s déduit du code postal %q et de la commune %q", c.Code, p.PostalCode, p.Commune)
			} else {
				fix(FlagINSEECodeDerived, "code_insee", "unknown code %q replaced by %s from code_postal %q and commune %q",
					"code inconnu %q remplacé par %s d'après le code postal %q et la commune %q", p.INSEECode, c.Code, p.PostalCode, p.Commune)
			}
			p.INSEECode = c.Code
		}
	}
	if !ok {
		return reasons
	}
	if p.Commune == "" {
		p.Commune = c.Name
		fix(FlagCommuneDerived, "commune", "%s taken from code %s", "%s repris du code %s", c.Name, c.Code)
	}
	if p.PostalCode == "" && len(c.PostalCodes) == 1 {
		p.PostalCode = c.PostalCodes[0]
		fix(FlagPostalCodeDerived, "code_postal", "%s, the only postal code of %s (%s)", "%s, seul code postal de %s (%s)", p.PostalCode, c.Name, c.Code)
	}
	if !p.HasLocation() {
		if p.Latitude == 0 && p.Longitude == 0 {
			fix(FlagApproximateLocation, "latitude", "no coordinates: centre of the commune %s (%s) used",
				"pas de coordonnées : centre de la commune %s (%s) utilisé", c.Name, c.Code)
		} else {
			fix(FlagApproximateLocation, "latitude", "coordinates (%v, %v) out of range: centre of the commune %s (%s) used",
				"coordonnées (%v, %v) hors limites : centre de la commune %s (%s) utilisé", p.Latitude, p.Longitude, c.Name, c.Code)
		}
		p.Latitude, p.Longitude = c.Lat, c.Lon
		return reasons
	}
	d := DistanceKm(p.Latitude, p.Longitude, c.Lat, c.Lon)
	limit := float64(SuspiciousDistanceKm)
	if strings.HasPrefix(c.Code, "973") {
		limit = guianaDistanceKm
	}
	if d <= limit {
		return reasons
	}
	if validCoordinates(p.Longitude, p.Latitude) && DistanceKm(p.Longitude, p.Latitude, c.Lat, c.Lon) <= swapProofKm {
		fix(FlagCoordinatesSwapped, "latitude", "latitude %v and longitude %v swapped: the swapped point lies in %s",
			"latitude %v et longitude %v inversées : le point inversé tombe à %s", p.Latitude, p.Longitude, c.Name)
		p.Latitude, p.Longitude = p.Longitude, p.Latitude
		return reasons
	}
	fix(FlagSuspiciousLocation, "latitude", "(%v, %v) is %.0f km from the centre of %s (%s); kept",
		"(%v, %v) est à %.0f km du centre de %s (%s) ; conservé", p.Latitude, p.Longitude, d, c.Name, c.Code)
	return reasons
}

// normalizeFormats rewrites values real feeds write loosely into the
// standard's format, when the rewrite cannot change the meaning.
func normalizeFormats(p *Place) []FieldError {
	var reasons []FieldError
	fix := func(field, en, fr string, args ...any) {
		p.AddFlag(FlagFieldNormalized)
		reasons = append(reasons, NewFieldError(field, CodeRepaired, en, fr, args...))
	}
	if cp := strings.TrimSpace(p.PostalCode); len(cp) == 4 && isDigits(cp) {
		fix("code_postal", "%q padded to 0%s (leading zero lost by a spreadsheet)",
			"%q complété en 0%s (zéro initial perdu par un tableur)", p.PostalCode, cp)
		p.PostalCode = "0" + cp
	}
	if code := strings.TrimSpace(p.INSEECode); len(code) == 4 && isDigits(code) {
		fix("code_insee", "%q padded to 0%s (leading zero lost by a spreadsheet)",
			"%q complété en 0%s (zéro initial perdu par un tableur)", p.INSEECode, code)
		p.INSEECode = "0" + code
	}
	if p.Phone != "" && !phonePattern.MatchString(p.Phone) {
		if n, ok := NormalizePhone(p.Phone); ok {
			fix("telephone", "%q rewritten as %s", "%q réécrit en %s", p.Phone, n)
			p.Phone = n
		}
	}
	if p.Pivot == "" {
		fix("pivot", "no SIRET, RNA or RIDET: placeholder %s", "ni SIRET, ni RNA, ni RIDET : valeur d'attente %s", PivotPlaceholder)
		p.Pivot = PivotPlaceholder
	} else if s := strings.ReplaceAll(p.Pivot, " ", ""); s != p.Pivot && pivotPattern.MatchString(s) {
		fix("pivot", "spaces removed from %q", "espaces retirées de %q", p.Pivot)
		p.Pivot = s
	}
	return reasons
}

// NormalizePhone rewrites a French number written nationally ("04 50 56 87
// 49", "04.50.56.87.49") or with spaces ("+33 4 50 56 87 49") into the
// standard's international form (+33450568749). It returns false when the
// number is not recognisably French.
func NormalizePhone(raw string) (string, bool) {
	var b strings.Builder
	for i, r := range strings.TrimSpace(raw) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0:
			b.WriteRune(r)
		case r == ' ' || r == '.' || r == '-' || r == '\u00a0' || r == '(' || r == ')':
		default:
			return "", false
		}
	}
	s := b.String()
	switch {
	case strings.HasPrefix(s, "+"):
		s = strings.Replace(s, "(0)", "", 1)
		if strings.HasPrefix(s, "+330") {
			s = "+33" + s[4:]
		}
	case strings.HasPrefix(s, "0033"):
		s = "+33" + strings.TrimPrefix(s[4:], "0")
	case len(s) == 10 && s[0] == '0':
		s = overseasPrefix(s[:4]) + s[1:]
	default:
		return "", false
	}
	return s, phonePattern.MatchString(s)
}

// overseasPrefix returns the country code a national number dials:
// overseas départements have their own (0262 12 34 56 is +262 262 12 34 56).
func overseasPrefix(first4 string) string {
	switch first4 {
	case "0262", "0263", "0269", "0692", "0693", "0639":
		return "+262"
	case "0590", "0690", "0691":
		return "+590"
	case "0594", "0694":
		return "+594"
	case "0596", "0696", "0697":
		return "+596"
	}
	return "+33"
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// DistanceKm is the great-circle distance between two WGS84 points.
func DistanceKm(lat1, lon1, lat2, lon2 float64) float64 {
	const earthRadiusKm = 6371.0088
	rad := math.Pi / 180
	dLat := (lat2 - lat1) * rad
	dLon := (lon2 - lon1) * rad
	a := math.Sin(dLat/2)*math.Sin(dLat/2) +
		math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * earthRadiusKm * math.Asin(math.Sqrt(min(1, a)))
}
