package mediation_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/passerelle-sante/passerelle/mediation"
)

// An action typed with negative counts and a date in the future is refused
// with every problem named by its field, in English and in French.
func ExampleAction_ValidateAt() {
	now := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	a := mediation.Action{
		ID:   uuid.MustParse("5d0a4c8e-1f7b-4c3a-9e55-0c6f1b2a9d10"),
		Type: mediation.ActionAccountStand, Date: time.Date(2025, 3, 12, 0, 0, 0, 0, time.UTC),
		Commune: "12202", Departement: "12", DurationMinutes: 180,
		PeopleSensitised: 40, AccountsActivated: -3,
	}
	err := a.ValidateAt(now)
	var re *mediation.RecordError
	if errors.As(err, &re) {
		for _, p := range re.Problems {
			fmt.Printf("%s (%s): %s / %s\n", p.Field, p.Code, p.Message, p.MessageFR)
		}
	}
	fmt.Println(errors.Is(err, mediation.ErrInvalidRecord))
	// Output:
	// date (future): 2025-03-12 is in the future / 2025-03-12 est dans le futur
	// accounts_activated (negative): -3 is negative / -3 est négatif
	// true
}

// The FAQ is built from the answered questions: every word must match,
// accents and case aside.
func ExampleRankFAQ() {
	q := mediation.Question{ID: uuid.New(), Region: "76", AskedAt: time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC),
		Text: "Comment activer le profil d'un enfant ?", Tags: []string{"mineurs"}, Status: mediation.QuestionOpen}
	q.Reply("Le représentant légal l'active depuis son propre profil.", time.Date(2025, 1, 7, 0, 0, 0, 0, time.UTC))
	for _, query := range []string{"Représentant legal", "carte vitale"} {
		fmt.Printf("%q: %d answer(s)\n", query, len(mediation.RankFAQ([]mediation.Question{q}, query, 5)))
	}
	// Output:
	// "Représentant legal": 1 answer(s)
	// "carte vitale": 0 answer(s)
}
