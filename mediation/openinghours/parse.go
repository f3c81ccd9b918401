package openinghours

import (
	"fmt"
	"strings"
	"time"
)

// Options configures parsing. The zero value evaluates in Europe/Paris
// with the metropolitan French public holidays.
type Options struct {
	// Location is the time zone of evaluation; nil means Europe/Paris.
	Location *time.Location
	// Holidays resolves PH; nil means FrenchHolidays{} (metropole).
	Holidays Holidays
}

// Parse parses an OSM opening_hours value, evaluated in Europe/Paris with
// the metropolitan French public holidays. The error is a *SyntaxError.
func Parse(s string) (*Schedule, error) { return ParseWith(s, Options{}) }

// ParseIn parses s for evaluation in loc (nil means Europe/Paris).
func ParseIn(s string, loc *time.Location) (*Schedule, error) {
	return ParseWith(s, Options{Location: loc})
}

// MustParse is Parse that panics on error; for tests and examples only.
func MustParse(s string) *Schedule {
	sch, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return sch
}

// ParseWith parses s with explicit options.
func ParseWith(s string, opts Options) (*Schedule, error) {
	if strings.TrimSpace(s) == "" {
		return nil, fmt.Errorf("%w", ErrEmpty)
	}
	p := parser{src: s}
	rules, err := p.parse()
	if err != nil {
		return nil, err
	}
	h := opts.Holidays
	if h == nil {
		h = FrenchHolidays{}
	}
	sch := &Schedule{rules: rules, loc: orParis(opts.Location), holidays: h, flags: p.flags}
	sch.finish()
	return sch, nil
}

type parser struct {
	src   string
	pos   int
	flags Flag
}

func (p *parser) fail(off int, format string, args ...any) error {
	return &SyntaxError{Input: p.src, Offset: off, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) unsupported(off int, format string, args ...any) error {
	return &SyntaxError{Input: p.src, Offset: off, Msg: "unsupported: " + fmt.Sprintf(format, args...), Unsupported: true}
}

func (p *parser) eof() bool { return p.pos >= len(p.src) }

func (p *parser) peek() byte {
	if p.pos < len(p.src) {
		return p.src[p.pos]
	}
	return 0
}

func (p *parser) peekAt(i int) byte {
	if i < len(p.src) {
		return p.src[i]
	}
	return 0
}

// skipSpace skips blanks, including the non-breaking spaces found in
// copy-pasted data.
func (p *parser) skipSpace() {
	for p.pos < len(p.src) {
		switch {
		case p.src[p.pos] == ' ' || p.src[p.pos] == '\t' || p.src[p.pos] == '\n' || p.src[p.pos] == '\r':
			p.pos++
		case strings.HasPrefix(p.src[p.pos:], "\u00a0") || strings.HasPrefix(p.src[p.pos:], "\u202f"):
			p.pos += 2
			if p.src[p.pos-2] == 0xe2 {
				p.pos++
			}
			p.flags |= FlagLenient
		default:
			return
		}
	}
}

// dash consumes a range dash: "-", or leniently an en dash.
func (p *parser) dash() bool {
	if p.peek() == '-' {
		p.pos++
		return true
	}
	if strings.HasPrefix(p.src[p.pos:], "\u2013") {
		p.pos += len("\u2013")
		p.flags |= FlagLenient
		return true
	}
	return false
}

// dashAhead consumes optional blanks and a dash; it restores the
// position when there is no dash.
func (p *parser) dashAhead() bool {
	save := p.pos
	p.skipSpace()
	if p.dash() {
		p.skipSpace()
		return true
	}
	p.pos = save
	return false
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }

// word returns the run of ASCII letters at i.
func (p *parser) wordAt(i int) string {
	j := i
	for j < len(p.src) && isLetter(p.src[j]) {
		j++
	}
	return p.src[i:j]
}

func (p *parser) digitsAt(i int) string {
	j := i
	for j < len(p.src) && isDigit(p.src[j]) {
		j++
	}
	return p.src[i:j]
}

// keyword matches w against want, case-insensitively; a case difference is
// accepted and flagged as lenient.
func (p *parser) keyword(w, want string) bool {
	if w == want {
		return true
	}
	if strings.EqualFold(w, want) {
		p.flags |= FlagLenient
		return true
	}
	return false
}

func lookup(w string, names []string) int {
	for i, n := range names {
		if strings.EqualFold(w, n) {
			return i
		}
	}
	return -1
}

// weekdayAliases are the spellings of French data accepted leniently, by
// weekday: French abbreviations and names, English names.
var weekdayAliases = [7][]string{
	{"Lu", "lundi", "Mon", "Monday"},
	{"Ma", "mardi", "Tue", "Tuesday"},
	{"Me", "mercredi", "Wed", "Wednesday"},
	{"Je", "jeudi", "Thu", "Thursday"},
	{"Ve", "vendredi", "Fri", "Friday"},
	{"samedi", "Sat", "Saturday"},
	{"Di", "dimanche", "Sun", "Sunday"},
}

// weekdayAt returns the weekday written at i (0 = Monday) and the length
// of the word, or -1.
func (p *parser) weekdayAt(i int) int {
	w := p.wordAt(i)
	if len(w) == 2 {
		if d := lookup(w, dayNames[:]); d >= 0 {
			return d
		}
	}
	for d, names := range weekdayAliases {
		if lookup(w, names) >= 0 {
			return d
		}
	}
	return -1
}

// takeWeekday consumes the weekday at p.pos, flagging non-standard
// spellings.
func (p *parser) takeWeekday(d int) {
	w := p.wordAt(p.pos)
	if w != dayNames[d] {
		p.flags |= FlagLenient
	}
	p.pos += len(w)
}

func (p *parser) monthAt(i int) int {
	w := p.wordAt(i)
	if len(w) != 3 {
		return -1
	}
	m := lookup(w, monthNames[1:])
	if m < 0 {
		return -1
	}
	return m + 1
}

func (p *parser) holidayAt(i int) holidayKind {
	switch w := p.wordAt(i); {
	case strings.EqualFold(w, "PH"):
		return publicHoliday
	case strings.EqualFold(w, "SH"):
		return schoolHoliday
	}
	return 0
}

// yearAt: four digits that are not the hour of a time.
func (p *parser) yearAt(i int) bool {
	d := p.digitsAt(i)
	if len(d) != 4 {
		return false
	}
	c := p.peekAt(i + 4)
	return c != ':' && c != 'h' && c != 'H'
}

// timeAt: something that starts a time span.
func (p *parser) timeAt(i int) bool {
	if c := p.peekAt(i); c == '(' {
		return true
	}
	if d := p.digitsAt(i); len(d) == 1 || len(d) == 2 {
		c := p.peekAt(i + len(d))
		return c == ':' || c == 'h' || c == 'H'
	}
	w := p.wordAt(i)
	for _, n := range eventNames[1:] {
		if strings.EqualFold(w, n) {
			return true
		}
	}
	return false
}

// afterComma returns the index of the first non-blank after a comma at
// p.pos, or -1 when there is no comma.
func (p *parser) afterComma() int {
	i := p.pos
	for i < len(p.src) && (p.src[i] == ' ' || p.src[i] == '\t') {
		i++
	}
	if p.peekAt(i) != ',' {
		return -1
	}
	i++
	for i < len(p.src) && (p.src[i] == ' ' || p.src[i] == '\t') {
		i++
	}
	return i
}

func (p *parser) parse() ([]rule, error) {
	rules := make([]rule, 0, 1+strings.Count(p.src, ";")+strings.Count(p.src, "||"))
	sep := sepNormal
	for {
		p.skipSpace()
		if p.eof() {
			if len(rules) == 0 {
				return nil, p.fail(p.pos, "expected a rule")
			}
			// A trailing separator ("Mo 09:00-12:00;") is a common slip.
			p.flags |= FlagLenient
			return rules, nil
		}
		if p.peek() == ';' && sep == sepNormal {
			// Empty rule (";;"): skip it.
			p.flags |= FlagLenient
			p.pos++
			continue
		}
		r, err := p.parseRule()
		if err != nil {
			return nil, err
		}
		if len(rules) == 0 {
			sep = sepNormal
		}
		r.sep = sep
		rules = append(rules, r)
		p.skipSpace()
		switch {
		case p.eof():
			return rules, nil
		case p.peek() == ';':
			p.pos++
			sep = sepNormal
		case strings.HasPrefix(p.src[p.pos:], "||"):
			p.pos += 2
			sep = sepFallback
		case p.peek() == ',':
			p.pos++
			sep = sepAdditional
		default:
			return nil, p.fail(p.pos, "unexpected %q after a rule (want \";\", \",\" or \"||\")", p.near())
		}
	}
}

// near returns a short excerpt at the current position for messages.
func (p *parser) near() string {
	rest := p.src[p.pos:]
	if len(rest) > 12 {
		cut := 12
		for cut < len(rest) && rest[cut]&0xC0 == 0x80 {
			cut++
		}
		rest = rest[:cut]
	}
	return rest
}

func (p *parser) parseRule() (rule, error) {
	var r rule
	start := p.pos
	explicit := false
	if strings.HasPrefix(p.src[p.pos:], "24/7") {
		r.is247 = true
		p.pos += 4
		p.skipSpace()
	} else {
		if err := p.parseWide(&r); err != nil {
			return r, err
		}
		if err := p.parseWeekdays(&r); err != nil {
			return r, err
		}
		if err := p.parseTimes(&r); err != nil {
			return r, err
		}
	}
	// Modifier.
	w := p.wordAt(p.pos)
	switch {
	case w == "":
	case p.keyword(w, "open"):
		r.state, explicit = Open, true
	case p.keyword(w, "closed"), p.keyword(w, "off"):
		r.state, explicit = Closed, true
	case p.keyword(w, "unknown"):
		r.state, explicit = Unknown, true
	default:
		if p.pos == start {
			return r, p.fail(p.pos, "unknown word %q (want a weekday like Mo, a month like Jan, PH, a time like 09:00, off or a \"comment\")", w)
		}
		return r, p.fail(p.pos, "unexpected word %q", w)
	}
	if explicit {
		p.pos += len(w)
		p.skipSpace()
	}
	if p.peek() == '"' {
		end := strings.IndexByte(p.src[p.pos+1:], '"')
		if end < 0 {
			return r, p.fail(p.pos, "unterminated comment (missing closing '\"')")
		}
		r.comment = p.src[p.pos+1 : p.pos+1+end]
		p.pos += end + 2
		if strings.HasPrefix(p.src[p.pos:], ":") {
			return r, p.unsupported(p.pos, "comment used as a selector (\"...\":)")
		}
	}
	if p.pos == start {
		if p.eof() {
			return r, p.fail(p.pos, "expected a rule")
		}
		return r, p.fail(p.pos, "unexpected %q (want a weekday like Mo, a month like Jan, PH, a time like 09:00, off or a \"comment\")", p.near())
	}
	if !explicit {
		r.state = r.defaultState()
	}
	if r.state == Unknown {
		p.flags |= FlagUnknown
	}
	return r, nil
}

// parseWide parses the year, month/day and week selectors and the
// optional ':' after them.
func (p *parser) parseWide(r *rule) error {
	found := false
	for {
		p.skipSpace()
		i := p.pos
		switch {
		case p.monthAt(i) > 0 && !(p.weekdayAt(i) >= 0):
			if len(r.monthdays) > 0 {
				return p.fail(i, "month selector given twice; separate months with \",\"")
			}
			if err := p.parseMonthdays(r); err != nil {
				return err
			}
		case p.yearAt(i):
			j := i + 4
			for j < len(p.src) && p.src[j] == ' ' {
				j++
			}
			if p.monthAt(j) > 0 || strings.EqualFold(p.wordAt(j), "easter") {
				if len(r.monthdays) > 0 {
					return p.fail(i, "month selector given twice; separate months with \",\"")
				}
				if err := p.parseMonthdays(r); err != nil {
					return err
				}
			} else {
				if len(r.years) > 0 || len(r.monthdays) > 0 {
					return p.fail(i, "unexpected year here")
				}
				if err := p.parseYears(r); err != nil {
					return err
				}
			}
		case strings.EqualFold(p.wordAt(i), "week"):
			if len(r.weeks) > 0 {
				return p.fail(i, "week selector given twice; separate weeks with \",\"")
			}
			p.keyword(p.wordAt(i), "week")
			p.pos += 4
			if err := p.parseWeeks(r); err != nil {
				return err
			}
		case strings.EqualFold(p.wordAt(i), "easter"):
			if len(r.monthdays) > 0 {
				return p.fail(i, "date selector given twice; separate dates with \",\"")
			}
			if err := p.parseMonthdays(r); err != nil {
				return err
			}
		default:
			if found && p.peek() == ':' {
				p.pos++
				p.skipSpace()
			}
			return nil
		}
		found = true
	}
}

func (p *parser) number(min, max int, what string) (int, error) {
	d := p.digitsAt(p.pos)
	if d == "" {
		return 0, p.fail(p.pos, "expected %s, found %q", what, p.near())
	}
	if len(d) > 4 {
		return 0, p.fail(p.pos, "%s %q is out of range %d-%d", what, d, min, max)
	}
	n := 0
	for _, c := range []byte(d) {
		n = n*10 + int(c-'0')
	}
	if n < min || n > max {
		return 0, p.fail(p.pos, "%s %d is out of range %d-%d", what, n, min, max)
	}
	p.pos += len(d)
	return n, nil
}

func (p *parser) parseYears(r *rule) error {
	for {
		from, err := p.number(1900, 9999, "year")
		if err != nil {
			return err
		}
		y := yearRange{stepRange: stepRange{from: from, to: from, step: 1}}
		switch {
		case p.peek() == '+':
			p.pos++
			y.openEnd = true
			y.to = 9999
		case p.dashAhead():
			at := p.pos
			to, err := p.number(1900, 9999, "year")
			if err != nil {
				return err
			}
			if to < from {
				return p.fail(at, "year range %d-%d ends before it starts", from, to)
			}
			y.to = to
			if p.peek() == '/' {
				p.pos++
				if y.step, err = p.number(1, 1000, "year step"); err != nil {
					return err
				}
			}
		}
		r.years = append(r.years, y)
		i := p.afterComma()
		if i < 0 || !p.yearAt(i) {
			return nil
		}
		p.pos = i
	}
}

var daysInMonthMax = [...]int{0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

// parseDate parses [year] month [day]. A day is only taken when it is not
// the hour of a time ("Jan 10:00-12:00" is the whole of January).
func (p *parser) parseDate(allowYear bool) (date, error) {
	var d date
	if allowYear && p.yearAt(p.pos) {
		y, err := p.number(1900, 9999, "year")
		if err != nil {
			return d, err
		}
		d.year = y
		p.skipSpace()
	}
	if w := p.wordAt(p.pos); strings.EqualFold(w, "easter") {
		p.keyword(w, "easter")
		p.pos += len(w)
		d.easter = true
		return d, p.dayOffset(&d)
	}
	m := p.monthAt(p.pos)
	if m <= 0 {
		return d, p.fail(p.pos, "expected a month (Jan..Dec), found %q", p.near())
	}
	p.keyword(p.wordAt(p.pos), monthNames[m])
	p.pos += 3
	d.month = m
	save := p.pos
	p.skipSpace()
	if p.isDayAt(p.pos) {
		at := p.pos
		day, err := p.number(1, 31, "day of month")
		if err != nil {
			return d, err
		}
		if day > daysInMonthMax[m] {
			return d, p.fail(at, "%s has no day %d", monthNames[m], day)
		}
		d.day = day
		return d, p.dayOffset(&d)
	}
	p.pos = save
	return d, nil
}

// dayOffset parses an optional " +1 day" / " -2 days" after a date.
func (p *parser) dayOffset(d *date) error {
	i := p.pos
	for i < len(p.src) && p.src[i] == ' ' {
		i++
	}
	c := p.peekAt(i)
	if c != '+' && c != '-' {
		return nil
	}
	j := i + 1
	n := p.digitsAt(j)
	if n == "" {
		return nil
	}
	k := j + len(n)
	for k < len(p.src) && p.src[k] == ' ' {
		k++
	}
	w := p.wordAt(k)
	if !strings.EqualFold(w, "day") && !strings.EqualFold(w, "days") {
		return nil // "Dec 24-26": a range, not an offset
	}
	p.pos = j
	off, err := p.number(1, 366, "day offset")
	if err != nil {
		return err
	}
	if c == '-' {
		off = -off
	}
	d.offset = off
	p.pos = k + len(w)
	return nil
}

func (p *parser) isDayAt(i int) bool {
	d := p.digitsAt(i)
	if len(d) == 0 || len(d) > 2 {
		return false
	}
	c := p.peekAt(i + len(d))
	if c == ':' {
		// "Mar 03: 10:00-12:00": a day followed by the selector colon.
		return !isDigit(p.peekAt(i + len(d) + 1))
	}
	return c != 'h' && c != 'H' && c != '.'
}

func (p *parser) parseMonthdays(r *rule) error {
	for {
		from, err := p.parseDate(true)
		if err != nil {
			return err
		}
		md := monthdayRange{from: from, to: from}
		if p.peek() == '[' || p.peek() == '+' {
			return p.unsupported(p.pos, "date with a weekday or open end (%q)", p.near())
		}
		if p.dashAhead() {
			at := p.pos
			switch {
			case from.day != 0 && !from.easter && from.offset == 0 && p.isDayAt(p.pos):
				day, err := p.number(1, 31, "day of month")
				if err != nil {
					return err
				}
				if day > daysInMonthMax[from.month] {
					return p.fail(at, "%s has no day %d", monthNames[from.month], day)
				}
				md.to = date{month: from.month, day: day}
				if err := p.dayOffset(&md.to); err != nil {
					return err
				}
			default:
				to, err := p.parseDate(from.year != 0)
				if err != nil {
					return err
				}
				if to.dayLevel() != from.dayLevel() {
					return p.fail(at, "a range must go from month to month or from date to date")
				}
				md.to = to
			}
			if md.to.year != 0 && md.to.year < from.year {
				return p.fail(at, "date range ends before it starts")
			}
		}
		r.monthdays = append(r.monthdays, md)
		i := p.afterComma()
		if i < 0 || !(p.monthAt(i) > 0 || p.yearAt(i) || strings.EqualFold(p.wordAt(i), "easter")) {
			return nil
		}
		p.pos = i
	}
}

func (p *parser) parseWeeks(r *rule) error {
	p.skipSpace()
	for {
		from, err := p.number(1, 53, "week number")
		if err != nil {
			return err
		}
		w := stepRange{from: from, to: from, step: 1}
		if p.dashAhead() {
			if w.to, err = p.number(1, 53, "week number"); err != nil {
				return err
			}
			if p.peek() == '/' {
				p.pos++
				if w.step, err = p.number(1, 53, "week step"); err != nil {
					return err
				}
			}
		}
		r.weeks = append(r.weeks, w)
		i := p.afterComma()
		if i < 0 || !isDigit(p.peekAt(i)) || p.timeAt(i) {
			return nil
		}
		p.pos = i
	}
}

func (p *parser) parseWeekdays(r *rule) error {
	p.skipSpace()
	sel := &r.weekdays
	for {
		i := p.pos
		if h := p.holidayAt(i); h != 0 {
			p.keyword(p.wordAt(i), strings.ToUpper(p.wordAt(i)))
			p.pos += 2
			sel.holidays = append(sel.holidays, h)
			if h == schoolHoliday {
				p.flags |= FlagSchoolHolidays
			}
			save := p.pos
			p.skipSpace()
			if c := p.peek(); c == '+' || (c == '-' && isDigit(p.peekAt(p.pos+1))) {
				return p.unsupported(p.pos, "holiday with a day offset")
			}
			p.pos = save
		} else if d := p.weekdayAt(i); d >= 0 {
			p.takeWeekday(d)
			wr := weekdayRange{from: d, to: d}
			if p.dashAhead() {
				e := p.weekdayAt(p.pos)
				if e < 0 {
					return p.fail(p.pos, "expected a weekday after \"-\", found %q", p.near())
				}
				p.takeWeekday(e)
				wr.to = e
			} else if p.peek() == '[' {
				if err := p.parseNth(&wr); err != nil {
					return err
				}
			}
			sel.days = append(sel.days, wr)
		} else {
			if !sel.empty() {
				return p.fail(i, "expected a weekday or PH after \",\", found %q", p.near())
			}
			return nil
		}
		if i := p.afterComma(); i >= 0 && (p.weekdayAt(i) >= 0 || p.holidayAt(i) != 0) {
			p.pos = i
			continue
		}
		// "PH Mo-Fr": holidays restricted to weekdays.
		if len(sel.days) == 0 && len(sel.holidays) > 0 && !sel.intersect {
			j := p.pos
			for j < len(p.src) && p.src[j] == ' ' {
				j++
			}
			if j > p.pos && p.weekdayAt(j) >= 0 {
				sel.intersect = true
				p.pos = j
				continue
			}
		}
		p.skipSpace()
		if p.peek() == ':' {
			// "Mo-Fr: 09:00-12:00" is a frequent slip.
			p.pos++
			p.flags |= FlagLenient
			p.skipSpace()
		}
		return nil
	}
}

func (p *parser) parseNth(wr *weekdayRange) error {
	p.pos++ // '['
	for {
		p.skipSpace()
		from, err := p.signed()
		if err != nil {
			return err
		}
		n := stepRange{from: from, to: from}
		if p.peek() == '-' {
			p.pos++
			if n.to, err = p.signed(); err != nil {
				return err
			}
			if n.to < n.from || (n.from < 0) != (n.to < 0) {
				return p.fail(p.pos, "bad range of weekdays in month [%d-%d]", n.from, n.to)
			}
		}
		wr.nth = append(wr.nth, n)
		p.skipSpace()
		switch p.peek() {
		case ',':
			p.pos++
		case ']':
			p.pos++
			save := p.pos
			p.skipSpace()
			if c := p.peek(); c == '+' || (c == '-' && isDigit(p.peekAt(p.pos+1))) {
				return p.unsupported(p.pos, "weekday with a day offset")
			}
			p.pos = save
			return nil
		default:
			return p.fail(p.pos, "expected \",\" or \"]\" in weekday-of-month list, found %q", p.near())
		}
	}
}

func (p *parser) signed() (int, error) {
	neg := false
	if p.peek() == '-' {
		neg = true
		p.pos++
	}
	n, err := p.number(1, 5, "weekday-of-month index")
	if neg {
		n = -n
	}
	return n, err
}

func (p *parser) parseTimes(r *rule) error {
	p.skipSpace()
	if !p.timeAt(p.pos) {
		return nil
	}
	for {
		t, err := p.parseSpan()
		if err != nil {
			return err
		}
		r.times = append(r.times, t)
		i := p.afterComma()
		if i >= 0 && p.timeAt(i) {
			p.pos = i
			continue
		}
		if j := p.looseSpanSeparator(); j >= 0 {
			p.flags |= FlagLenient
			p.pos = j
			continue
		}
		p.skipSpace()
		return nil
	}
}

// looseSpanSeparator finds another time span after a blank, " / " or
// " et " ("09:00-12:00 14:00-17:00", "9h-12h / 14h-17h", "9h-12h et
// 14h-17h"); it returns where that span starts, or -1.
func (p *parser) looseSpanSeparator() int {
	i := p.pos
	for i < len(p.src) && p.src[i] == ' ' {
		i++
	}
	if i == p.pos && p.peekAt(i) != '/' {
		return -1
	}
	switch {
	case p.peekAt(i) == '/':
		i++
	case strings.EqualFold(p.wordAt(i), "et"):
		i += 2
	}
	j := i
	for j < len(p.src) && p.src[j] == ' ' {
		j++
	}
	if j == i && i > p.pos && p.src[i-1] == '/' && p.src[p.pos] == '/' {
		return -1 // "10:00-16:00/01:00": an OSM interval, not a list
	}
	if !p.timeAt(j) {
		return -1
	}
	return j
}

func (p *parser) parseSpan() (timeSpan, error) {
	var t timeSpan
	startAt := p.pos
	var err error
	if t.start, err = p.parseClock(24*60 - 1); err != nil {
		return t, err
	}
	if p.peek() == '+' {
		p.pos++
		t.openEnd = true
		p.flags |= FlagOpenEnd
		return t, nil
	}
	if !p.dashAhead() {
		return t, p.fail(p.pos, "expected \"-\" after %q", p.src[startAt:p.pos])
	}
	if t.end, err = p.parseClock(48 * 60); err != nil {
		return t, err
	}
	t.hasEnd = true
	if p.peek() == '+' {
		p.pos++
		t.openEnd = true
		p.flags |= FlagOpenEnd
	}
	if p.peek() == '/' {
		return t, p.unsupported(p.pos, "repeating time interval (%q)", p.near())
	}
	if t.start.event == eventNone && t.end.event == eventNone {
		if t.end.min == t.start.min {
			return t, p.fail(startAt, "time span %q is empty", p.src[startAt:p.pos])
		}
	}
	return t, nil
}

// parseClock parses hh:mm, a sun event or "(sunset-01:00)". Leniently it
// accepts one-digit hours and "h" as separator ("9h", "9h30", "9:00").
func (p *parser) parseClock(max int) (clock, error) {
	var c clock
	if p.peek() == '(' {
		open := p.pos
		p.pos++
		ev := p.event()
		if ev == eventNone {
			return c, p.fail(p.pos, "expected sunrise, sunset, dawn or dusk after \"(\"")
		}
		c.event = ev
		sign := 0
		switch p.peek() {
		case '+':
			sign = 1
		case '-':
			sign = -1
		default:
			return c, p.fail(p.pos, "expected \"+\" or \"-\" in %q", p.src[open:p.pos])
		}
		p.pos++
		off, err := p.parseClock(12 * 60)
		if err != nil {
			return c, err
		}
		if off.event != eventNone {
			return c, p.fail(p.pos, "offset of a sun event must be a time")
		}
		c.offset = sign * off.min
		if p.peek() != ')' {
			return c, p.fail(p.pos, "expected \")\" after %q", p.src[open:p.pos])
		}
		p.pos++
		return c, nil
	}
	if ev := p.event(); ev != eventNone {
		c.event = ev
		return c, nil
	}
	at := p.pos
	hh := p.digitsAt(p.pos)
	if len(hh) == 0 || len(hh) > 2 {
		return c, p.fail(p.pos, "expected a time like 09:00, found %q", p.near())
	}
	h := int(hh[0] - '0')
	if len(hh) == 2 {
		h = h*10 + int(hh[1]-'0')
	} else {
		p.flags |= FlagLenient
	}
	p.pos += len(hh)
	m := 0
	switch p.peek() {
	case ':':
		p.pos++
		mm := p.digitsAt(p.pos)
		if len(mm) != 2 {
			return c, p.fail(p.pos, "expected two-digit minutes after %q", p.src[at:p.pos])
		}
		m = int(mm[0]-'0')*10 + int(mm[1]-'0')
		p.pos += 2
	case 'h', 'H':
		// French "9h30" / "9h".
		p.pos++
		p.flags |= FlagLenient
		if mm := p.digitsAt(p.pos); len(mm) == 2 {
			m = int(mm[0]-'0')*10 + int(mm[1]-'0')
			p.pos += 2
		} else if len(mm) != 0 {
			return c, p.fail(p.pos, "expected two-digit minutes after %q", p.src[at:p.pos])
		}
	default:
		return c, p.fail(p.pos, "expected \":\" after hour %q", hh)
	}
	if m > 59 {
		return c, p.fail(at, "minutes %02d out of range in %q", m, p.src[at:p.pos])
	}
	c.min = h*60 + m
	if c.min > max {
		lim := fmt.Sprintf("%02d:%02d", max/60, max%60)
		return c, p.fail(at, "time %q is after %s", p.src[at:p.pos], lim)
	}
	return c, nil
}

func (p *parser) event() timeEvent {
	w := p.wordAt(p.pos)
	for i, n := range eventNames[1:] {
		if p.keyword(w, n) {
			p.pos += len(w)
			p.flags |= FlagSunApproximated
			return timeEvent(i + 1)
		}
	}
	return eventNone
}
