package render_test

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/passerelle-sante/passerelle/evaluation"
	"github.com/passerelle-sante/passerelle/evaluation/render"
)

func ExampleCSV() {
	from := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	r := &evaluation.Report{
		Period:        evaluation.Period{From: from, To: from.AddDate(1, 0, 0)},
		Territory:     evaluation.Territory{Level: evaluation.LevelFrance},
		MaskThreshold: 5,
		Actions:       evaluation.Actions{Hours: evaluation.Measure{Value: 12.5}},
		Referrals: evaluation.Referrals{Funnel: evaluation.Funnel{
			Proposed: evaluation.Count{N: 40}, Accepted: evaluation.Count{N: 31}, Scheduled: evaluation.Count{N: 20},
			Attended: evaluation.Count{N: 9}, Completed: evaluation.Count{Masked: true},
		}},
	}
	var b bytes.Buffer
	if err := render.CSV(&b, r, render.French); err != nil {
		fmt.Println(err)
		return
	}
	for _, line := range strings.Split(b.String(), "\r\n") {
		if strings.Contains(line, "funnel.completed") || strings.Contains(line, "actions.hours") {
			fmt.Println(line)
		}
	}
	// Output:
	// actions;actions.hours;Heures données;;12,5;;;
	// referrals;referrals.funnel.completed;Accompagnement terminé;;;masque;;
}

func ExampleHTML() {
	from := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	r := &evaluation.Report{
		Empty:         true,
		Period:        evaluation.Period{From: from, To: from.AddDate(1, 0, 0)},
		Territory:     evaluation.Territory{Level: evaluation.LevelDepartement, Code: "16", Name: "Charente"},
		MaskThreshold: 5,
	}
	var b bytes.Buffer
	if err := render.HTML(&b, r, &render.HTMLOptions{Lang: render.English}); err != nil {
		fmt.Println(err)
		return
	}
	page := b.String()
	fmt.Println(strings.Contains(page, `<html lang="en">`))
	fmt.Println(strings.Contains(page, "This report is empty"))
	fmt.Println(strings.Contains(page, "<svg"))
	// Output:
	// true
	// true
	// false
}
