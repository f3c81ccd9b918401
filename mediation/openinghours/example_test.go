package openinghours_test

import (
	"fmt"
	"time"

	"github.com/passerelle-sante/passerelle/mediation/openinghours"
)

func ExampleParse() {
	s, err := openinghours.Parse("Mo-Fr 9h-12h, 14:00-17:00; We off; PH off")
	if err != nil {
		fmt.Println(err)
		return
	}
	monday := time.Date(2025, 3, 3, 10, 0, 0, 0, openinghours.Paris())
	fmt.Println(s)
	fmt.Println(s.Flags())
	fmt.Println(s.IsOpen(monday))

	_, err = openinghours.Parse("Mo-Fr 09:00 12:00")
	fmt.Println(err)
	// Output:
	// Mo-Fr 09:00-12:00,14:00-17:00; We off; PH off
	// lenient
	// true
	// opening_hours: at offset 11: expected "-" after "09:00"
}

func ExampleSchedule_NextOpen() {
	s := openinghours.MustParse("Mo-Fr 09:00-12:00,14:00-17:00; PH off")
	// Friday evening before Easter Monday 2025.
	friday := time.Date(2025, 4, 18, 18, 0, 0, 0, openinghours.Paris())
	next, ok := s.NextOpen(friday)
	fmt.Println(next.Format("Mon 2006-01-02 15:04"), ok)
	// Output: Tue 2025-04-22 09:00 true
}

func ExampleSchedule_Slots() {
	s := openinghours.MustParse(`Mo 09:00-12:00,11:00-13:00; Fr 22:00-02:00 "permanence de nuit"`)
	from := time.Date(2025, 3, 3, 0, 0, 0, 0, openinghours.Paris())
	for _, sl := range s.Slots(from, from.AddDate(0, 0, 7)) {
		line := sl.Start.Format("Mon 15:04") + " - " + sl.End.Format("Mon 15:04")
		if sl.Comment != "" {
			line += " (" + sl.Comment + ")"
		}
		fmt.Println(line)
	}
	// Output:
	// Mon 09:00 - Mon 13:00
	// Fri 22:00 - Sat 02:00 (permanence de nuit)
}

func ExampleWeekly() {
	// France Services style: one list of spans per weekday, Monday first.
	morning, _ := openinghours.ParseSpan("09:00 - 12:00")
	afternoon, _ := openinghours.ParseSpan("13:30 - 17:00")
	full := []openinghours.Span{morning, afternoon}
	s := openinghours.Weekly([7][]openinghours.Span{full, full, {morning}, full, full, nil, nil})
	fmt.Println(s)
	// Output: Mo,Tu,Th,Fr 09:00-12:00,13:30-17:00; We 09:00-12:00
}

func ExampleParseLenient() {
	h := openinghours.ParseLenient("du lundi au vendredi")
	fmt.Println(h.Raw, h.Known())
	fmt.Println(h.Err)
	// Output:
	// du lundi au vendredi false
	// opening_hours: at offset 0: unknown word "du" (want a weekday like Mo, a month like Jan, PH, a time like 09:00, off or a "comment")
}

func ExampleSchedule_Describe() {
	s := openinghours.MustParse(`Mo-Fr 09:00-12:00,14:00-17:00; We off; PH off; Sa[1] 10:00-12:00 "atelier"`)
	fmt.Println(s.Describe(openinghours.French))
	fmt.Println(s.Describe(openinghours.English))
	// Output:
	// du lundi au vendredi : 09:00-12:00, 14:00-17:00 ; mercredi : fermé ; jours fériés : fermé ; samedi (1er du mois) : 10:00-12:00 (« atelier »)
	// Monday to Friday: 09:00-12:00, 14:00-17:00; Wednesday: closed; public holidays: closed; Saturday (1st of the month): 10:00-12:00 ("atelier")
}

func ExampleForDepartement() {
	// A place in La Réunion: its hours are local, and 20 December is a holiday there.
	h := openinghours.ParseLenientWith("Mo-Fr 08:00-12:00; PH off", openinghours.ForDepartement("974"))
	paris := time.Date(2025, 3, 3, 7, 0, 0, 0, openinghours.Paris()) // 10:00 in Saint-Denis
	fmt.Println(h.Schedule.Location(), h.Schedule.IsOpen(paris))
	// Thursday 19 December 2024 after closing; Friday 20 is the abolition day.
	thursday := time.Date(2024, 12, 19, 13, 0, 0, 0, h.Schedule.Location())
	next, _ := h.Schedule.NextOpen(thursday)
	fmt.Println(next.Format("Mon 2006-01-02 15:04 MST"))
	// Output:
	// Indian/Reunion true
	// Mon 2024-12-23 08:00 +04
}

func ExampleSchedule_Warnings() {
	s := openinghours.MustParse("Mo-Fr 09:00-12:00; 14:00-17:00")
	for _, w := range s.Warnings() {
		fmt.Println(w.Code)
		fmt.Println(w.Message(openinghours.French))
	}
	// Output:
	// replaces_all
	// règle 2 (14:00-17:00) : sans jour précisé, elle remplace les règles précédentes tous les jours
}
