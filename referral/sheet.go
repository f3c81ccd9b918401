package referral

import (
	"embed"
	"fmt"
	htmltemplate "html/template"
	"io"
	"slices"
	"strings"
	texttemplate "text/template"
	"time"

	"github.com/passerelle-sante/passerelle/assessment"
	"github.com/passerelle-sante/passerelle/mediation/openinghours"
)

//go:embed templates/sheet.html.tmpl templates/sheet.txt.tmpl
var sheetTemplates embed.FS

var (
	sheetHTML = htmltemplate.Must(htmltemplate.ParseFS(sheetTemplates, "templates/sheet.html.tmpl"))
	sheetText = texttemplate.Must(texttemplate.ParseFS(sheetTemplates, "templates/sheet.txt.tmpl"))
)

// Sheet is the printable orientation sheet (« fiche d'orientation ») a
// person takes home: where to go, when, and what to bring. Build it with
// Engine.Sheet, print it with RenderSheetHTML or RenderSheetText.
type Sheet struct {
	// Reference is pseudonymous (e.g. the referral id), for the place to
	// find the referral again.
	Reference string
	// Name is printed when the caller passes one; the library never stores
	// it.
	Name    string
	Date    time.Time
	Pathway Pathway
	// Place is nil for a pathway without a place.
	Place *RankedPlace
	// Commune is the person's commune, for "how to get there".
	Commune string
	// Remote is true when the place is a remote fallback.
	Remote bool
	// Days are the opening slots of the coming week, one entry per day
	// open; empty when the hours are unknown.
	Days []SheetDay
	// Hours is the place's weekly hours described in words, per language.
	Hours assessment.Text
	// Bring lists what to bring.
	Bring []assessment.Text
}

// SheetDay is one day of opening on the sheet.
type SheetDay struct {
	Date  time.Time
	Slots []openinghours.Slot
}

// SheetOptions carry what only the caller knows.
type SheetOptions struct {
	Reference string
	Name      string
	// HasEmail: the person has an e-mail address (bring it and its
	// password).
	HasEmail bool
	// HasActivationCode: the person received a Mon espace santé activation
	// code by post or e-mail.
	HasActivationCode bool
}

// Sheet builds the orientation sheet for one pathway of a proposal and,
// when the pathway has places, one of them (placeID empty: the first).
func (e *Engine) Sheet(p *Proposal, pathway PathwayID, placeID string, opts SheetOptions) (Sheet, error) {
	i := slices.IndexFunc(p.Pathways, func(pp ProposedPathway) bool { return pp.Pathway == pathway })
	if i < 0 {
		return Sheet{}, fmt.Errorf("%w: pathway %q is not in the proposal", ErrInvalidReferral, pathway)
	}
	pp := p.Pathways[i]
	pw, _ := e.cat.Pathway(pathway)
	s := Sheet{Reference: opts.Reference, Name: opts.Name, Date: p.At, Pathway: pw, Commune: p.Commune.Name, Remote: pp.Remote}
	if len(pp.Places) > 0 {
		j := 0
		if placeID != "" {
			if j = slices.IndexFunc(pp.Places, func(r RankedPlace) bool { return r.ID == placeID }); j < 0 {
				return Sheet{}, fmt.Errorf("%w: place %q is not proposed for pathway %q", ErrInvalidReferral, placeID, pathway)
			}
		}
		pl := pp.Places[j]
		s.Place = &pl
		if sch := e.schedule(&pl.Place); sch != nil {
			s.Hours = assessment.Text{FR: sch.Describe(openinghours.French), EN: sch.Describe(openinghours.English)}
			s.Days = weekDays(sch, p.At)
		}
	}
	s.Bring = []assessment.Text{
		{FR: "Votre carte Vitale (ou votre attestation de droits).", EN: "Your carte Vitale (or your health-insurance certificate)."},
		{FR: "Votre téléphone portable, chargé.", EN: "Your mobile phone, charged."},
	}
	if opts.HasEmail {
		s.Bring = append(s.Bring, assessment.Text{FR: "Votre adresse e-mail et son mot de passe.", EN: "Your e-mail address and its password."})
	}
	if opts.HasActivationCode {
		s.Bring = append(s.Bring, assessment.Text{FR: "Le code d'activation Mon espace santé reçu par courrier ou par e-mail.", EN: "The Mon espace santé activation code you received by post or e-mail."})
	}
	return s, nil
}

// weekDays groups the slots of the 7 days from `from` by day.
func weekDays(s *openinghours.Schedule, from time.Time) []SheetDay {
	loc := s.Location()
	from = from.In(loc)
	y, m, d := from.Date()
	start := time.Date(y, m, d, 0, 0, 0, 0, loc)
	var days []SheetDay
	for _, sl := range s.Slots(start, start.AddDate(0, 0, 7)) {
		y, m, d := sl.Start.In(loc).Date()
		day := time.Date(y, m, d, 0, 0, 0, 0, loc)
		if n := len(days); n > 0 && days[n-1].Date.Equal(day) {
			days[n-1].Slots = append(days[n-1].Slots, sl)
			continue
		}
		days = append(days, SheetDay{Date: day, Slots: []openinghours.Slot{sl}})
	}
	return days
}

// sheetView is what the templates see: every string already in the
// chosen language, so the templates hold no language logic.
type sheetView struct {
	Lang        string
	L           sheetLabels
	Title       string
	Description string
	Name        string
	Reference   string
	Date        string
	Remote      bool
	HasPlace    bool
	PlaceName   string
	Address     string
	Phone       string
	Booking     string
	Distance    string
	Days        []dayView
	Hours       string
	Bring       []string
}

type dayView struct{ Day, Slots string }

type sheetLabels struct {
	Heading, For, Ref, Date, Where, Address, Phone, Booking, GetThere, When, HoursUnknown,
	WeekHours, Bring, Remote, NoPlace, Footer string
	// Colon is " : " in French typography, ": " in English.
	Colon string
}

var labels = map[string]sheetLabels{
	"fr": {
		Heading: "Fiche d'orientation", For: "Pour", Ref: "Référence", Date: "Date",
		Where: "Où aller", Address: "Adresse", Phone: "Téléphone", Booking: "Prendre rendez-vous",
		GetThere: "Comment y aller", When: "Quand y aller (les 7 prochains jours)",
		HoursUnknown: "Les horaires ne sont pas connus : appelez avant de vous déplacer.",
		WeekHours:    "Horaires habituels", Bring: "À apporter",
		Remote:  "Aucun lieu n'a été trouvé près de chez vous : cette aide peut se faire à distance, par téléphone ou en visio.",
		NoPlace: "Cette aide ne demande pas de vous déplacer.",
		Footer:  "Une question ? Appelez le 3422 (service gratuit + prix d'un appel).",
		Colon:   " : ",
	},
	"en": {
		Heading: "Referral sheet", For: "For", Ref: "Reference", Date: "Date",
		Where: "Where to go", Address: "Address", Phone: "Phone", Booking: "Book an appointment",
		GetThere: "How to get there", When: "When to go (next 7 days)",
		HoursUnknown: "Opening hours are not known: call before going.",
		WeekHours:    "Usual opening hours", Bring: "What to bring",
		Remote:  "No place was found near you: this help can be given remotely, by phone or video.",
		NoPlace: "This help does not require you to go anywhere.",
		Footer:  "Any question? Call 3422 (free service + cost of a call).",
		Colon:   ": ",
	},
}

var (
	monthsFR = [12]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}
)

func dayName(t time.Time, lang string) string {
	if lang == "en" {
		return t.Format("Monday 2 January 2006")
	}
	return fmt.Sprintf("%s %d %s %d", weekdaysFR[t.Weekday()], t.Day(), monthsFR[t.Month()-1], t.Year())
}

func (s Sheet) view(lang assessment.Lang) sheetView {
	l := "fr"
	if lang == assessment.LangEN {
		l = "en"
	}
	v := sheetView{
		Lang: l, L: labels[l], Title: s.Pathway.Title.In(lang), Description: s.Pathway.Description.In(lang),
		Name: s.Name, Reference: s.Reference, Date: dayName(s.Date, l), Remote: s.Remote,
	}
	if s.Place != nil {
		p := s.Place
		v.HasPlace = true
		v.PlaceName = p.Name
		v.Address = strings.TrimSpace(strings.Join([]string{p.Address, strings.TrimSpace(p.PostalCode + " " + p.Commune)}, ", "))
		v.Phone = displayPhone(p.Phone)
		v.Booking = p.Booking
		if l == "en" {
			v.Distance = fmt.Sprintf("About %s km from the centre of your commune (%s), as the crow flies. Public transport is not known here: plan the trip with the address above.", kmEN(p.DistanceKm), s.Commune)
		} else {
			v.Distance = fmt.Sprintf("À environ %s km du centre de votre commune (%s), à vol d'oiseau. Les transports en commun ne sont pas connus ici : préparez le trajet avec l'adresse ci-dessus.", kmFR(p.DistanceKm), s.Commune)
		}
		v.Hours = s.Hours.In(lang)
		for _, d := range s.Days {
			var parts []string
			for _, sl := range d.Slots {
				parts = append(parts, sl.Start.Format("15:04")+" – "+sl.End.Format("15:04"))
			}
			v.Days = append(v.Days, dayView{Day: dayName(d.Date, l), Slots: strings.Join(parts, ", ")})
		}
	}
	for _, b := range s.Bring {
		v.Bring = append(v.Bring, b.In(lang))
	}
	return v
}

// RenderSheetHTML writes the sheet as a standalone, print-friendly HTML
// page in large print. Place data is escaped.
func RenderSheetHTML(w io.Writer, s Sheet, lang assessment.Lang) error {
	return sheetHTML.Execute(w, s.view(lang))
}

// RenderSheetText writes the sheet as plain text.
func RenderSheetText(w io.Writer, s Sheet, lang assessment.Lang) error {
	return sheetText.Execute(w, s.view(lang))
}

// displayPhone writes a French number the way people read it on paper:
// "+33545000000" becomes "05 45 00 00 00". Other numbers stay as found.
func displayPhone(p string) string {
	if len(p) != 12 || !strings.HasPrefix(p, "+33") {
		return p
	}
	d := "0" + p[3:]
	var b strings.Builder
	for i := 0; i < len(d); i += 2 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(d[i : i+2])
	}
	return b.String()
}
