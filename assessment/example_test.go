package assessment_test

import (
	"fmt"
	"log"

	"github.com/passerelle-sante/passerelle/assessment"
)

func ExampleInstrument_Score() {
	eheals, err := assessment.Builtin("eheals")
	if err != nil {
		log.Fatal(err)
	}
	answers, err := eheals.DecodeAnswers([]byte(`{"q1":4,"q2":4,"q3":3,"q4":3,"q5":3,"q6":2,"q7":2,"q8":3}`))
	if err != nil {
		log.Fatal(err)
	}
	r, err := eheals.Score(answers)
	if err != nil {
		log.Fatal(err)
	}
	total, _ := r.Score("total")
	fmt.Println(total, r.Band, r.Level)
	fmt.Println(r.WhyIn(assessment.LangEN)[0])
	// Output:
	// 24 problematic intermediate
	// eHEALS score 24 out of 40: problematic eHealth literacy. A digital workshop of the Assurance Maladie fits.
}

func ExampleSession() {
	triage, err := assessment.Builtin("triage")
	if err != nil {
		log.Fatal(err)
	}
	// What the caller says, question by question.
	replies := map[string]assessment.Value{
		"device":           assessment.Choice("no_device"),
		"helper":           assessment.Choice("relative"),
		"health_accounts":  assessment.Choice("ameli_only"),
		"barriers":         assessment.Choices("sight"),
		"forms_confidence": assessment.Choice("quite_a_bit"),
	}
	s := assessment.NewSession(triage)
	for {
		item, ok := s.Next()
		if !ok {
			break
		}
		fmt.Println("asked:", item.ID)
		if err := s.Answer(item.ID, replies[item.ID]); err != nil {
			log.Fatal(err)
		}
	}
	r := s.Result()
	fmt.Println(r.Level, r.Flags, r.Completeness)
	for _, line := range r.WhyIn(assessment.LangFR) {
		fmt.Println("-", line)
	}
	// Output:
	// asked: device
	// asked: helper
	// asked: health_accounts
	// asked: barriers
	// asked: forms_confidence
	// no_access [needs_proxy visual_impairment mes_not_activated] 1
	// - Vous n'avez pas d'appareil relié à internet chez vous : la première étape est d'avoir un équipement et une connexion.
	// - Une personne de confiance ou un aidant habilité (Aidants Connect) pourra faire les démarches avec vous ou pour vous.
	// - Vous avez des difficultés de vue : un accompagnement adapté sera recherché.
	// - Votre Mon espace santé n'est pas encore activé : nous pouvons vous aider à l'activer.
}

func ExampleCompare() {
	dsi, err := assessment.Builtin("dsi")
	if err != nil {
		log.Fatal(err)
	}
	score := func(js string) assessment.Result {
		a, err := dsi.DecodeAnswers([]byte(js))
		if err != nil {
			log.Fatal(err)
		}
		r, err := dsi.Score(a)
		if err != nil {
			log.Fatal(err)
		}
		return r
	}
	before := score(`{"internet_use_3m": true, "com_email": true}`)
	after := score(`{"internet_use_3m": true, "com_email": true, "info_health": true, "ps_banking": true, "saf_secure_website": true}`)
	p, err := assessment.Compare(before, after)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(before.Overall, "->", after.Overall, "illectronisme:", before.Illectronisme, "->", after.Illectronisme)
	fmt.Println(p.Before, "->", p.After, p.Direction)
	for _, d := range p.Dimensions {
		if d.Delta != 0 {
			fmt.Printf("%s %+g\n", d.Dimension, d.Delta)
		}
	}
	// Output:
	// none -> low illectronisme: true -> false
	// beginner -> intermediate up
	// information +1
	// safety +1
	// problem_solving +1
}
