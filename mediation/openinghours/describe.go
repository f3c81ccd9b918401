package openinghours

import (
	"strconv"
	"strings"
)

// Lang selects the language of Describe.
type Lang string

// Languages of the descriptions.
const (
	French  Lang = "fr"
	English Lang = "en"
)

// words holds the vocabulary of one language.
type words struct {
	days                              [7]string
	months                            [12]string
	everyDay, allDay, always          string
	closed, unknown                   string
	ph, sh, hFalling                  string
	rangeDays, rangeDates, rangeOther func(a, b string) string
	quote                             func(s string) string
	everyWeeks                        func(n int) string
	and, also, otherwise, ruleSep     string
	from                              string
	week, weeks                       string
	ofMonth, last, fromLast           string
	dawn, sunrise, sunset, dusk       string
	ordinal                           func(n int) string
	date                              func(day int, month string, year int) string
	yearsFrom, colon                  string
	everyYears                        func(n int) string
	easter                            string
	offset                            func(days int) string
}

// vocabulary returns the words of lang; built on each call so that no
// package state can be changed by a caller.
func vocabulary(lang Lang) *words {
	if lang == English {
		return englishWords()
	}
	return frenchWords()
}

func frenchWords() *words {
	return &words{
		days:       [7]string{"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"},
		months:     [12]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
		everyDay:   "tous les jours",
		allDay:     "ouvert toute la journée",
		always:     "ouvert 24 h/24, 7 j/7",
		closed:     "fermé",
		unknown:    "horaires non précisés",
		ph:         "jours fériés",
		sh:         "vacances scolaires",
		hFalling:   "tombant",
		rangeDays:  func(a, b string) string { return "du " + a + " au " + b },
		rangeDates: func(a, b string) string { return "du " + a + " au " + b },
		rangeOther: func(a, b string) string { return "de " + a + " à " + b },
		quote:      func(s string) string { return "« " + s + " »" },
		everyWeeks: func(n int) string { return "une sur " + strconv.Itoa(n) },
		and:        " et ",
		also:       "et aussi ",
		otherwise:  "sinon ",
		ruleSep:    " ; ",
		from:       "à partir de ",
		week:       "semaine ",
		weeks:      "semaines ",
		ofMonth:    " du mois",
		last:       "dernier",
		fromLast:   " en partant de la fin",
		dawn:       "aube", sunrise: "lever du soleil", sunset: "coucher du soleil", dusk: "crépuscule",
		ordinal: func(n int) string {
			if n == 1 {
				return "1er"
			}
			return strconv.Itoa(n) + "e"
		},
		date: func(day int, month string, year int) string {
			s := strconv.Itoa(day)
			if day == 1 {
				s = "1er"
			}
			s += " " + month
			if year != 0 {
				s += " " + strconv.Itoa(year)
			}
			return s
		},
		yearsFrom:  "à partir de ",
		colon:      " : ",
		everyYears: func(n int) string { return "tous les " + strconv.Itoa(n) + " ans" },
		easter:     "Pâques",
		offset:     func(n int) string { return signedDays(n, "jour", "jours") },
	}
}

func englishWords() *words {
	return &words{
		days:       [7]string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"},
		months:     [12]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
		everyDay:   "every day",
		allDay:     "open all day",
		always:     "open 24 hours a day, 7 days a week",
		closed:     "closed",
		unknown:    "hours not given",
		ph:         "public holidays",
		sh:         "school holidays",
		hFalling:   "falling",
		rangeDays:  func(a, b string) string { return a + " to " + b },
		rangeDates: func(a, b string) string { return a + " to " + b },
		rangeOther: func(a, b string) string { return a + " to " + b },
		quote:      func(s string) string { return "\"" + s + "\"" },
		everyWeeks: func(n int) string {
			if n == 2 {
				return "every other week"
			}
			return "every " + strconv.Itoa(n) + " weeks"
		},
		and:       " and ",
		also:      "and also ",
		otherwise: "otherwise ",
		ruleSep:   "; ",
		from:      "from ",
		week:      "week ",
		weeks:     "weeks ",
		ofMonth:   " of the month",
		last:      "last",
		fromLast:  " from last",
		dawn:      "dawn", sunrise: "sunrise", sunset: "sunset", dusk: "dusk",
		ordinal: func(n int) string {
			suffix := "th"
			switch {
			case n%100 >= 11 && n%100 <= 13:
			case n%10 == 1:
				suffix = "st"
			case n%10 == 2:
				suffix = "nd"
			case n%10 == 3:
				suffix = "rd"
			}
			return strconv.Itoa(n) + suffix
		},
		date: func(day int, month string, year int) string {
			s := month + " " + strconv.Itoa(day)
			if year != 0 {
				s += ", " + strconv.Itoa(year)
			}
			return s
		},
		yearsFrom:  "from ",
		colon:      ": ",
		everyYears: func(n int) string { return "every " + strconv.Itoa(n) + " years" },
		easter:     "Easter",
		offset:     func(n int) string { return signedDays(n, "day", "days") },
	}
}

// Describe tells the schedule in words for a person, in French or
// English (any other Lang gets French), e.g. "du lundi au vendredi :
// 09:00-12:00, 14:00-17:00 ; mercredi : fermé". Comments are quoted as
// written. It is meant for display, not for parsing back.
func (s *Schedule) Describe(lang Lang) string {
	if s == nil {
		return ""
	}
	w := vocabulary(lang)
	var b strings.Builder
	for i := range s.rules {
		r := &s.rules[i]
		if i > 0 {
			b.WriteString(w.ruleSep)
			switch r.sep {
			case sepAdditional:
				b.WriteString(w.also)
			case sepFallback:
				b.WriteString(w.otherwise)
			}
		}
		b.WriteString(r.describe(w))
	}
	return b.String()
}

func joinWords(w *words, items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + w.and + items[len(items)-1]
}

func (r *rule) describe(w *words) string {
	var sel []string
	for _, y := range r.years {
		switch {
		case y.openEnd:
			sel = append(sel, w.yearsFrom+strconv.Itoa(y.from))
		case y.to == y.from:
			sel = append(sel, strconv.Itoa(y.from))
		default:
			t := w.rangeOther(strconv.Itoa(y.from), strconv.Itoa(y.to))
			if y.step > 1 {
				t += " (" + w.everyYears(y.step) + ")"
			}
			sel = append(sel, t)
		}
	}
	var dates []string
	for _, m := range r.monthdays {
		from := describeDate(w, m.from)
		if m.to == m.from {
			dates = append(dates, from)
			continue
		}
		to := m.to
		if to.year == 0 && m.from.year != 0 && !to.easter && !m.from.easter && to.offset == 0 && m.from.offset == 0 {
			// Same year: say it once, at the end ("du 24 au 26 décembre 2025").
			to.year = m.from.year
			if to.month*100+to.day < m.from.month*100+m.from.day {
				to.year++
			}
			if to.year == m.from.year {
				f := m.from
				f.year = 0
				from = describeDate(w, f)
			}
		}
		if !m.from.dayLevel() || m.from.easter {
			dates = append(dates, w.rangeOther(from, describeDate(w, to)))
		} else {
			dates = append(dates, w.rangeDates(from, describeDate(w, to)))
		}
	}
	if len(dates) > 0 {
		sel = append(sel, joinWords(w, dates))
	}
	var weeks []string
	for _, k := range r.weeks {
		t := strconv.Itoa(k.from)
		if k.to != k.from || k.step > 1 {
			t = w.rangeOther(t, strconv.Itoa(k.to))
		}
		if k.step > 1 {
			t += " (" + w.everyWeeks(k.step) + ")"
		}
		weeks = append(weeks, t)
	}
	if len(weeks) == 1 && r.weeks[0].from == r.weeks[0].to && r.weeks[0].step <= 1 {
		sel = append(sel, w.week+weeks[0])
	} else if len(weeks) > 0 {
		sel = append(sel, w.weeks+joinWords(w, weeks))
	}
	if !r.weekdays.empty() {
		sel = append(sel, r.weekdays.describe(w))
	}
	head := strings.Join(sel, ", ")
	if head == "" && !r.is247 && (len(r.times) > 0 || r.comment == "") {
		head = w.everyDay
	}

	var body string
	switch {
	case r.state == Closed && len(r.times) == 0:
		body = w.closed
	case r.state == Unknown && r.comment != "" && len(r.times) == 0:
		body = ""
	case len(r.times) > 0:
		var ts []string
		for _, t := range r.times {
			ts = append(ts, t.describe(w))
		}
		body = strings.Join(ts, ", ")
		switch r.state {
		case Closed:
			body += " " + w.closed
		case Unknown:
			body += " (" + w.unknown + ")"
		}
	case r.is247:
		body = w.always
	case r.state == Unknown:
		body = w.unknown
	default:
		body = w.allDay
	}
	out := body
	if head != "" {
		out = head + w.colon + body
		if body == "" {
			out = head
		}
	}
	if r.comment != "" {
		switch {
		case out == "":
			return w.quote(r.comment)
		case body == "":
			return out + w.colon + w.quote(r.comment)
		}
		out += " (" + w.quote(r.comment) + ")"
	}
	return out
}

func describeDate(w *words, d date) string {
	year := d.year
	if year < 0 {
		year = 0
	}
	if d.easter || d.offset != 0 {
		base := w.easter
		if !d.easter {
			base = w.date(d.day, w.months[d.month-1], 0)
		}
		if year != 0 {
			base += " " + strconv.Itoa(year)
		}
		return base + w.offset(d.offset)
	}
	month := w.months[d.month-1]
	if d.day == 0 {
		if year != 0 {
			return month + " " + strconv.Itoa(year)
		}
		return month
	}
	return w.date(d.day, month, year)
}

func (sel *weekdaySelector) describe(w *words) string {
	var days []string
	for _, d := range sel.days {
		t := w.days[d.from]
		if d.to != d.from {
			t = w.rangeDays(w.days[d.from], w.days[d.to])
		}
		if len(d.nth) > 0 {
			var ns []string
			for _, n := range d.nth {
				a := nthWord(w, n.from)
				if n.to != n.from {
					a = a + "-" + nthWord(w, n.to)
				}
				ns = append(ns, a)
			}
			t += " (" + joinWords(w, ns) + w.ofMonth + ")"
		}
		days = append(days, t)
	}
	var hols []string
	for _, h := range sel.holidays {
		if h == schoolHoliday {
			hols = append(hols, w.sh)
		} else {
			hols = append(hols, w.ph)
		}
	}
	if sel.intersect {
		return joinWords(w, hols) + " " + w.hFalling + " " + joinWords(w, days)
	}
	return joinWords(w, append(days, hols...))
}

func nthWord(w *words, n int) string {
	switch {
	case n > 0:
		return w.ordinal(n)
	case n == -1:
		return w.last
	default:
		return w.ordinal(-n) + w.fromLast
	}
}

func (t timeSpan) describe(w *words) string {
	start := t.start.describe(w)
	if !t.hasEnd {
		return w.from + start
	}
	var b strings.Builder
	end := t.end
	if end.event == eventNone && end.min > 24*60 && end.min-24*60 < t.start.minutes() {
		end.min -= 24 * 60
	}
	b.WriteString(start)
	b.WriteString("-")
	b.WriteString(end.describe(w))
	if t.openEnd {
		b.WriteString("+")
	}
	return b.String()
}

func (c clock) describe(w *words) string {
	if c.event == eventNone {
		var b strings.Builder
		c.write(&b)
		return b.String()
	}
	name := [...]string{"", w.dawn, w.sunrise, w.sunset, w.dusk}[c.event]
	if c.offset == 0 {
		return name
	}
	var b strings.Builder
	c.write(&b)
	s := b.String()
	// "(sunset-01:00)": keep the sign and offset, translate the event.
	return "(" + name + s[1+len(eventNames[c.event]):]
}

// signedDays writes a day offset: " + 1 jour", " - 2 days"; "" for 0.
func signedDays(n int, one, many string) string {
	if n == 0 {
		return ""
	}
	sign := " + "
	if n < 0 {
		sign, n = " - ", -n
	}
	unit := many
	if n == 1 {
		unit = one
	}
	return sign + strconv.Itoa(n) + " " + unit
}
