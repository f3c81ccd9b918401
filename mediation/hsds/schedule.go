package hsds

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

var osmDays = [...]string{"Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"}
var icalDays = [...]string{"MO", "TU", "WE", "TH", "FR", "SA", "SU"}

type span struct{ opens, closes string } // "HH:MM"

// weekly parses the plain weekly subset of OSM opening_hours ("Mo-Fr
// 09:00-12:00,14:00-17:00; Sa 09:00-12:00"): day lists and ranges, time
// spans, rules separated by ";". Anything else (holidays, months, "off",
// week numbers) returns false.
func weekly(osm string) (week [7][]span, ok bool) {
	rules := 0
	for _, rule := range strings.Split(osm, ";") {
		rule = strings.TrimSpace(rule)
		if rule == "" {
			continue
		}
		rules++
		days, times, found := strings.Cut(rule, " ")
		if !found {
			return week, false
		}
		var dayIdx []int
		for _, d := range strings.Split(days, ",") {
			from, to, isRange := strings.Cut(d, "-")
			a, b := dayIndex(from), dayIndex(to)
			switch {
			case a < 0 || isRange && b < 0:
				return week, false
			case !isRange:
				dayIdx = append(dayIdx, a)
			default:
				for i := a; ; i = (i + 1) % 7 {
					dayIdx = append(dayIdx, i)
					if i == b {
						break
					}
				}
			}
		}
		var spans []span
		for _, t := range strings.Split(strings.TrimSpace(times), ",") {
			o, c, found := strings.Cut(strings.TrimSpace(t), "-")
			if !found || !clock(o) || !clock(c) || c <= o {
				return week, false
			}
			spans = append(spans, span{o, c})
		}
		for _, d := range dayIdx {
			week[d] = spans // a later rule replaces the day, as in OSM
		}
	}
	return week, rules > 0
}

func dayIndex(s string) int {
	for i, d := range osmDays {
		if d == s {
			return i
		}
	}
	return -1
}

func clock(s string) bool {
	return len(s) == 5 && s[2] == ':' && s[0] >= '0' && s[0] <= '2' && s[1] >= '0' && s[1] <= '9' &&
		s[3] >= '0' && s[3] <= '5' && s[4] >= '0' && s[4] <= '9' && s <= "24:00"
}

// schedules turns OSM hours into HSDS weekly schedules, one per time span
// shared by a set of days. Hours outside the weekly subset give a single
// schedule whose description is the OSM string.
func schedules(osm, locationID string) []Schedule {
	if strings.TrimSpace(osm) == "" {
		return nil
	}
	week, ok := weekly(osm)
	if !ok {
		return []Schedule{{ID: id("schedule", locationID+"\x00raw"), LocationID: locationID, Description: osm}}
	}
	byspan := map[span][]int{}
	var order []span
	for d, spans := range week {
		for _, s := range spans {
			if _, seen := byspan[s]; !seen {
				order = append(order, s)
			}
			byspan[s] = append(byspan[s], d)
		}
	}
	slices.SortStableFunc(order, func(a, b span) int {
		return cmp.Or(cmp.Compare(byspan[a][0], byspan[b][0]), cmp.Compare(a.opens, b.opens))
	})
	out := make([]Schedule, 0, len(order))
	for i, s := range order {
		var days []string
		for _, d := range byspan[s] {
			days = append(days, icalDays[d])
		}
		out = append(out, Schedule{
			ID: id("schedule", fmt.Sprintf("%s\x00%d", locationID, i)), LocationID: locationID,
			Freq: "WEEKLY", Byday: strings.Join(days, ","), OpensAt: s.opens, ClosesAt: s.closes,
		})
	}
	return out
}

// openingHours turns HSDS weekly schedules back into a canonical OSM
// string. It returns false when a schedule is not a plain weekly rule.
func openingHours(sch []Schedule) (string, bool) {
	var week [7][]span
	for _, s := range sch {
		if s.Freq == "" && s.Byday == "" && s.OpensAt == "" && s.Description != "" {
			if _, ok := weekly(s.Description); ok && len(sch) == 1 {
				return s.Description, true
			}
			return "", false
		}
		if !strings.EqualFold(s.Freq, "WEEKLY") || s.Byday == "" {
			return "", false
		}
		o, c := trimSeconds(s.OpensAt), trimSeconds(s.ClosesAt)
		if !clock(o) || !clock(c) || c <= o {
			return "", false
		}
		for _, d := range strings.Split(s.Byday, ",") {
			i := slices.Index(icalDays[:], strings.ToUpper(strings.TrimSpace(d)))
			if i < 0 {
				return "", false
			}
			week[i] = append(week[i], span{o, c})
		}
	}
	var rules []string
	for i := 0; i < 7; {
		if len(week[i]) == 0 {
			i++
			continue
		}
		slices.SortFunc(week[i], func(a, b span) int { return cmp.Compare(a.opens, b.opens) })
		j := i
		for j+1 < 7 && slices.Equal(sortedSpans(week[j+1]), week[i]) {
			j++
		}
		days := osmDays[i]
		switch {
		case j == i+1:
			days += "," + osmDays[j]
		case j > i+1:
			days += "-" + osmDays[j]
		}
		parts := make([]string, len(week[i]))
		for k, s := range week[i] {
			parts[k] = s.opens + "-" + s.closes
		}
		rules = append(rules, days+" "+strings.Join(parts, ","))
		i = j + 1
	}
	return strings.Join(rules, "; "), true
}

func sortedSpans(s []span) []span {
	slices.SortFunc(s, func(a, b span) int { return cmp.Compare(a.opens, b.opens) })
	return s
}

// trimSeconds accepts "09:00:00" as "09:00".
func trimSeconds(t string) string {
	if len(t) == 8 && t[5] == ':' {
		return t[:5]
	}
	return t
}
