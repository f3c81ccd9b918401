package referral_test

import (
	"errors"
	"fmt"

	"github.com/passerelle-sante/passerelle/assessment"
	"github.com/passerelle-sante/passerelle/referral"
	"github.com/passerelle-sante/passerelle/territory"
)

// The national rules for a beginner from a very rural commune of Aveyron
// whom nobody can help with the procedures.
func ExampleRules_Evaluate() {
	rules, err := referral.NationalRules()
	if err != nil {
		panic(err)
	}
	in := referral.Input{
		Assessment: assessment.Result{
			Instrument: "triage",
			Level:      assessment.LevelBeginner,
			Flags:      []assessment.Flag{assessment.FlagNeedsProxy, assessment.FlagNoHelper},
		},
		Person:      referral.Person{AgeBand: referral.Age70Plus},
		Density:     territory.DensityClass(7),
		Departement: "12",
		Region:      "76",
	}
	var d referral.Decision // reuse it: evaluation then allocates nothing
	rules.Evaluate(&in, &d)
	for _, o := range d.Outcomes {
		fmt.Printf("%d %s (rule %s)\n", o.Priority, o.Pathway, o.Rule)
	}
	for _, t := range d.Trace {
		if !t.Fired && t.Rule == "intermediate" {
			fmt.Println(t.Rule, "at", t.Clause+":", t.Why.EN)
		}
	}
	// Output:
	// 1 immediate_answer (rule immediate_answer)
	// 2 mediation_place (rule beginner)
	// 2 aidants_connect (rule proxy_without_helper)
	// 5 france_services (rule rural_france_services)
	// 6 remote_mediation (rule rural_remote)
	// intermediate at /rules/4/when: Not applied: "level eq intermediate" does not hold.
}

// A regional rules file with mistakes: every problem comes back at once,
// with its line and JSON path.
func ExampleLoadRulesBytes() {
	doc := `version: "2026.1-bretagne"
title: {fr: Règles bretonnes, en: Breton rules}
rules:
  - id: seniors
    description: {fr: Les aînés vers un lieu, en: Seniors to a place}
    when:
      all:
        - {field: age_band, op: ge, value: "70_plus"}
        - {field: levl, op: in, value: [beginner]}
    then:
      - {pathway: mediation_place, priority: 0}
`
	_, err := referral.LoadRulesBytes([]byte(doc), "bretagne.yaml", nil)
	fmt.Println(err)
	fmt.Println(errors.Is(err, referral.ErrInvalidRules))
	// Output:
	// bretagne.yaml: 2 problems:
	//   line 9: /rules/0/when/all/1/field: unknown field "levl" (did you mean "level"?)
	//   line 11: /rules/0/then/0/priority: priority 0 is below 1 (1 comes first)
	// true
}
