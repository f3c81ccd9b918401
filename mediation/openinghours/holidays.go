package openinghours

import "time"

// Holidays is the public-holiday calendar that PH refers to. Implement it
// to plug in another calendar; Holiday must be safe for concurrent use.
type Holidays interface {
	// Holiday reports whether the civil date is a public holiday, and its
	// name (in French, as published) when it is.
	Holiday(year int, month time.Month, day int) (name string, ok bool)
}

// Region selects the French public-holiday calendar.
type Region uint8

// Regions whose calendars differ from the metropolitan one.
const (
	Metropole         Region = iota // the 11 national public holidays
	AlsaceMoselle                   // + Vendredi saint and 26 December (Bas-Rhin, Haut-Rhin, Moselle)
	Guadeloupe                      // + abolition of slavery, 27 May
	Martinique                      // + abolition of slavery, 22 May
	Guyane                          // + abolition of slavery, 10 June
	LaReunion                       // + abolition of slavery, 20 December
	Mayotte                         // + abolition of slavery, 27 April
	SaintBarthelemy                 // + abolition of slavery, 9 October
	SaintMartin                     // + abolition of slavery, 28 May
	NouvelleCaledonie               // + Fête de la citoyenneté, 24 September
	Polynesie                       // + Vendredi saint, Arrivée de l'Évangile 5 March, Fête de l'autonomie 29 June
)

// FrenchHolidays is the French public-holiday calendar (jours fériés,
// Code du travail L3133-1) for a region. The zero value is the
// metropolitan calendar: 1 Jan, Easter Monday, 1 May, 8 May, Ascension,
// Whit Monday, 14 Jul, 15 Aug, 1 Nov, 11 Nov, 25 Dec.
type FrenchHolidays struct {
	Region Region
}

// HolidaysForDepartement returns the calendar of a département or
// overseas collectivity code ("67", "974", "977"); unknown codes get the
// metropolitan calendar.
func HolidaysForDepartement(code string) FrenchHolidays {
	switch code {
	case "57", "67", "68":
		return FrenchHolidays{Region: AlsaceMoselle}
	case "971":
		return FrenchHolidays{Region: Guadeloupe}
	case "972":
		return FrenchHolidays{Region: Martinique}
	case "973":
		return FrenchHolidays{Region: Guyane}
	case "974":
		return FrenchHolidays{Region: LaReunion}
	case "976":
		return FrenchHolidays{Region: Mayotte}
	case "977":
		return FrenchHolidays{Region: SaintBarthelemy}
	case "978":
		return FrenchHolidays{Region: SaintMartin}
	case "987":
		return FrenchHolidays{Region: Polynesie}
	case "988":
		return FrenchHolidays{Region: NouvelleCaledonie}
	}
	return FrenchHolidays{}
}

// zoneOfDepartement returns the IANA zone of an overseas code; the rest
// of France is in Europe/Paris.
func zoneOfDepartement(code string) string {
	switch code {
	case "971":
		return "America/Guadeloupe"
	case "972":
		return "America/Martinique"
	case "973":
		return "America/Cayenne"
	case "974":
		return "Indian/Reunion"
	case "975":
		return "America/Miquelon"
	case "976":
		return "Indian/Mayotte"
	case "977":
		return "America/St_Barthelemy"
	case "978":
		return "America/Marigot"
	case "986":
		return "Pacific/Wallis"
	case "987":
		return "Pacific/Tahiti" // most of French Polynesia; the Marquesas and Gambier differ
	case "988":
		return "Pacific/Noumea"
	}
	return ""
}

// ForDepartement returns the options for a place in a département or
// overseas collectivity (code "75", "2A", "971", "988"...): its time zone
// and its public holidays. Unknown codes get Europe/Paris and the
// metropolitan calendar.
func ForDepartement(code string) Options {
	opts := Options{Holidays: HolidaysForDepartement(code)}
	if name := zoneOfDepartement(code); name != "" {
		if loc, err := time.LoadLocation(name); err == nil {
			opts.Location = loc
		}
	}
	return opts
}

// Holiday implements Holidays.
func (f FrenchHolidays) Holiday(year int, month time.Month, day int) (string, bool) {
	switch {
	case month == time.January && day == 1:
		return "Jour de l'an", true
	case month == time.May && day == 1:
		return "Fête du Travail", true
	case month == time.May && day == 8:
		return "Victoire 1945", true
	case month == time.July && day == 14:
		return "Fête nationale", true
	case month == time.August && day == 15:
		return "Assomption", true
	case month == time.November && day == 1:
		return "Toussaint", true
	case month == time.November && day == 11:
		return "Armistice 1918", true
	case month == time.December && day == 25:
		return "Noël", true
	}
	if month >= time.March && month <= time.June {
		em, ed := easterSunday(year)
		// Days after Easter Sunday, through a UTC date so month lengths are right.
		diff := int(time.Date(year, month, day, 0, 0, 0, 0, time.UTC).Sub(time.Date(year, em, ed, 0, 0, 0, 0, time.UTC)).Hours() / 24)
		switch diff {
		case 1:
			return "Lundi de Pâques", true
		case 39:
			return "Ascension", true
		case 50:
			return "Lundi de Pentecôte", true
		case -2:
			if f.Region == AlsaceMoselle || f.Region == Polynesie {
				return "Vendredi saint", true
			}
		}
	}
	if f.Region == AlsaceMoselle && month == time.December && day == 26 {
		return "Saint-Étienne", true
	}
	if m, d, ok := abolitionDay(f.Region); ok && month == m && day == d {
		return "Abolition de l'esclavage", true
	}
	switch {
	case f.Region == NouvelleCaledonie && month == time.September && day == 24:
		return "Fête de la citoyenneté", true
	case f.Region == Polynesie && month == time.March && day == 5:
		return "Arrivée de l'Évangile", true
	case f.Region == Polynesie && month == time.June && day == 29:
		return "Fête de l'autonomie", true
	}
	return "", false
}

func abolitionDay(r Region) (time.Month, int, bool) {
	switch r {
	case Guadeloupe:
		return time.May, 27, true
	case Martinique:
		return time.May, 22, true
	case Guyane:
		return time.June, 10, true
	case LaReunion:
		return time.December, 20, true
	case Mayotte:
		return time.April, 27, true
	case SaintBarthelemy:
		return time.October, 9, true
	case SaintMartin:
		return time.May, 28, true
	}
	return 0, 0, false
}

// easterSunday computes the Gregorian Easter date (anonymous Gregorian
// algorithm, Meeus/Jones/Butcher).
func easterSunday(year int) (time.Month, int) {
	a := year % 19
	b, c := year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return time.Month(month), day
}
