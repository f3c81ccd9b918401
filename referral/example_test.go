package referral_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/google/uuid"

	"github.com/passerelle-sante/passerelle/assessment"
	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/referral"
	"github.com/passerelle-sante/passerelle/referral/demo"
	"github.com/passerelle-sante/passerelle/territory"
)

func ExampleEngine_Refer() {
	rules, err := referral.NationalRules()
	if err != nil {
		panic(err)
	}
	places, err := demo.Directory(nil)
	if err != nil {
		panic(err)
	}
	communes, err := territory.Default()
	if err != nil {
		panic(err)
	}
	monday := time.Date(2026, 3, 23, 9, 0, 0, 0, time.UTC)
	engine, err := referral.NewEngine(referral.Infallible(rules), places, communes, &referral.EngineOptions{
		Now: func() time.Time { return monday },
	})
	if err != nil {
		panic(err)
	}
	p, err := engine.Refer(context.Background(), referral.Request{
		Assessment: assessment.Result{Instrument: "triage", Level: assessment.LevelBeginner},
		Person:     referral.Person{Commune: "16102"}, // Cognac
	})
	if err != nil {
		panic(err)
	}
	for _, pw := range p.Pathways {
		if pw.Pathway != referral.PathwayMediationPlace {
			continue
		}
		fmt.Printf("%s (rule %s)\n", pw.Title.EN, pw.Rule)
		for _, pl := range pw.Places {
			fmt.Printf("  %s, %.1f km\n", pl.Name, pl.DistanceKm)
			for _, w := range pl.Why {
				fmt.Printf("    %s\n", w.FR)
			}
		}
	}
	// Output:
	// Digital-mediation place (rule beginner)
	//   Pôle commerce de la ville de Cognac, 0.7 km
	//     À 0,7 km.
	//     Ouvert en ce moment.
	//   Médiathèque de Cognac, 0.7 km
	//     À 0,7 km.
	//     Ouvre demain à 10:00.
	//   Service Info 16, 0.8 km
	//     À 0,8 km.
	//     Ouvre mercredi à 09:00.
}

func ExampleReferral_Transition() {
	at := time.Date(2026, 3, 23, 9, 0, 0, 0, time.UTC)
	r := referral.Referral{
		ID:         uuid.MustParse("0b9e8c1e-6f1d-4c47-9a57-5b1c2e3d4f50"),
		PersonID:   "5f0c7f52-3a8e-4b0e-9a43-2c7d0e8b1f11",
		CreatedAt:  at,
		By:         referral.ActorDesk,
		Pathway:    referral.PathwayMediationPlace,
		PlaceID:    "cognac-mediatheque",
		Assessment: referral.AssessmentRef{Instrument: "triage", Level: assessment.LevelBeginner},
		Status:     referral.StatusProposed,
		UpdatedAt:  at,
	}
	_ = r.Transition(referral.StatusAccepted, at.Add(time.Hour), referral.ActorPerson, nil)
	err := r.Transition(referral.StatusCompleted, at.Add(2*time.Hour), referral.ActorMediator, nil)
	fmt.Println(err)
	_ = r.Transition(referral.StatusScheduled, at.Add(2*time.Hour), referral.ActorMediator,
		&referral.TransitionOptions{Appointment: at.Add(48 * time.Hour)})
	_ = r.Transition(referral.StatusAttended, at.Add(50*time.Hour), referral.ActorMediator, nil)
	_ = r.Transition(referral.StatusCompleted, at.Add(51*time.Hour), referral.ActorMediator,
		&referral.TransitionOptions{Autonomy: referral.AutonomyPartial})
	for _, h := range r.History {
		fmt.Println(h.From, "→", h.To, "by", h.By)
	}
	fmt.Println(r.Status, r.Autonomy)
	// Output:
	// referral: invalid status transition: accepted → completed: allowed next statuses are [scheduled cancelled expired]
	// proposed → accepted by person
	// accepted → scheduled by mediator
	// scheduled → attended by mediator
	// attended → completed by mediator
	// completed partiellement_autonome
}

func ExampleRenderSheetText() {
	communes, err := territory.Default()
	if err != nil {
		panic(err)
	}
	cognac, _ := communes.Commune("16102")
	places, err := mediation.NewIndex([]mediation.Place{{
		ID: "cognac-mediatheque", Name: "Médiathèque de Cognac", Commune: "Cognac",
		PostalCode: "16100", INSEECode: "16102", Address: "10 rue du Minage",
		Latitude: cognac.Lat + 0.005, Longitude: cognac.Lon, Phone: "+33545361950",
		Hours:        "Tu-Sa 10:00-12:30,14:00-18:00",
		Services:     []mediation.Service{mediation.ServiceEverydayTools},
		SupportModes: []mediation.SupportMode{mediation.SupportIndividual},
	}}, nil)
	if err != nil {
		panic(err)
	}
	rules, err := referral.NationalRules()
	if err != nil {
		panic(err)
	}
	monday := time.Date(2026, 3, 23, 9, 0, 0, 0, time.UTC)
	engine, err := referral.NewEngine(referral.Infallible(rules), places, communes, &referral.EngineOptions{
		Now: func() time.Time { return monday },
	})
	if err != nil {
		panic(err)
	}
	p, err := engine.Refer(context.Background(), referral.Request{
		Assessment: assessment.Result{Instrument: "triage", Level: assessment.LevelBeginner},
		Person:     referral.Person{Commune: "16102"},
	})
	if err != nil {
		panic(err)
	}
	sheet, err := engine.Sheet(p, referral.PathwayMediationPlace, "", referral.SheetOptions{Reference: "R-0001"})
	if err != nil {
		panic(err)
	}
	if err := referral.RenderSheetText(os.Stdout, sheet, assessment.LangEN); err != nil {
		panic(err)
	}
	// Output:
	// Referral sheet
	// Reference: R-0001
	// Date: Monday 23 March 2026
	//
	// == Digital-mediation place ==
	// Reinforced accompaniment, on site or remotely, by a digital mediator near home, until the person is autonomous.
	//
	// == Where to go ==
	// Médiathèque de Cognac
	// Address: 10 rue du Minage, 16100 Cognac
	// Phone: 05 45 36 19 50
	//
	// == How to get there ==
	// About 0.6 km from the centre of your commune (Cognac), as the crow flies. Public transport is not known here: plan the trip with the address above.
	//
	// == When to go (next 7 days) ==
	// - Tuesday 24 March 2026: 10:00 – 12:30, 14:00 – 18:00
	// - Wednesday 25 March 2026: 10:00 – 12:30, 14:00 – 18:00
	// - Thursday 26 March 2026: 10:00 – 12:30, 14:00 – 18:00
	// - Friday 27 March 2026: 10:00 – 12:30, 14:00 – 18:00
	// - Saturday 28 March 2026: 10:00 – 12:30, 14:00 – 18:00
	// Usual opening hours: Tuesday to Saturday: 10:00-12:30, 14:00-18:00
	//
	// == What to bring ==
	// - Your carte Vitale (or your health-insurance certificate).
	// - Your mobile phone, charged.
	//
	// Any question? Call 3422 (free service + cost of a call).
}
