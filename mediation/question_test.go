package mediation

import (
	"slices"
	"testing"

	"github.com/google/uuid"
)

func answered(id, text, answer string, at string, tags ...string) Question {
	q := Question{ID: uuid.MustParse(id), Region: "76", AskedAt: day("2024-01-02"), Text: text, Tags: tags, Status: QuestionOpen}
	q.Reply(answer, day(at))
	return q
}

func TestQuestionValidate(t *testing.T) {
	open := Question{ID: uuid.New(), Region: "53", AskedAt: day("2025-01-15"), Text: "Le code d'activation n'arrive pas par SMS : que faire ?", Status: QuestionOpen}
	tests := []struct {
		name   string
		edit   func(q *Question)
		fields []string
	}{
		{"open", func(*Question) {}, nil},
		{"answered", func(q *Question) {
			q.Reply("Demander un nouveau code depuis l'écran d'activation.", day("2025-01-16"))
		}, nil},
		{"answered without answer", func(q *Question) { q.Status = QuestionAnswered }, []string{"answer:required", "answered_at:required"}},
		{"answered before asked", func(q *Question) { q.Reply("Voir la FAQ.", day("2025-01-01")) }, []string{"answered_at:mismatch"}},
		{"phone number in text", func(q *Question) { q.Text = "Rappeler Mme X au 06 12 34 56 78" }, []string{"question:personal"}},
		{"empty tag, bad status", func(q *Question) { q.Tags, q.Status = []string{" "}, "closed" }, []string{"tags[0]:required", "status:enum"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := open
			tt.edit(&q)
			if got := fields(t, q.ValidateAt(testNow)); !slices.Equal(got, tt.fields) {
				t.Errorf("fields = %v, want %v", got, tt.fields)
			}
		})
	}
}

func TestRankFAQ(t *testing.T) {
	qs := []Question{
		answered("00000000-0000-0000-0000-000000000001", "Comment activer le profil d'un enfant mineur ?", "Le représentant légal l'active depuis son propre profil.", "2024-02-01", "mineurs"),
		answered("00000000-0000-0000-0000-000000000002", "Le code provisoire a expiré", "Redemander un code : il est valable 6 semaines. Cela vaut aussi pour un mineur.", "2024-03-01", "activation"),
		answered("00000000-0000-0000-0000-000000000003", "Quelle pièce d'identité pour l'activation ?", "Aucune : la carte Vitale et le code suffisent.", "2024-01-20", "activation"),
		{ID: uuid.MustParse("00000000-0000-0000-0000-000000000004"), Region: "76", AskedAt: day("2024-01-02"), Text: "Activation d'un mineur sans carte Vitale ?", Status: QuestionOpen},
	}
	ids := func(qs []Question) []string {
		var out []string
		for _, q := range qs {
			out = append(out, q.ID.String()[35:])
		}
		return out
	}
	tests := []struct {
		query string
		limit int
		want  []string
	}{
		// Tag match (3+2) beats an answer-only match (1); the open question never shows.
		{"MINEUR", 0, []string{"1", "2"}},
		// Accents and case are ignored; same score, most recent answer first.
		{"activation", 0, []string{"3", "2"}},
		{"activation carte vitale", 0, []string{"3"}},
		{"activation", 1, []string{"3"}},
		{"téléconsultation", 0, nil},
		{"", 0, []string{"2", "1", "3"}},
	}
	for _, tt := range tests {
		if got := ids(RankFAQ(qs, tt.query, tt.limit)); !slices.Equal(got, tt.want) {
			t.Errorf("RankFAQ(%q, %d) = %v, want %v", tt.query, tt.limit, got, tt.want)
		}
	}
}

func TestQuestionFilterTag(t *testing.T) {
	q := answered("00000000-0000-0000-0000-000000000001", "Profil d'un mineur ?", "Par le représentant légal.", "2024-02-01", "Mineurs", "Activation")
	for _, tt := range []struct {
		f    QuestionFilter
		want bool
	}{
		{QuestionFilter{Tag: "mineurs"}, true},
		{QuestionFilter{Tag: "ACTIVATION"}, true},
		{QuestionFilter{Tag: "mineur"}, false},
		{QuestionFilter{Status: QuestionOpen}, false},
		{QuestionFilter{Region: "76", Status: QuestionAnswered}, true},
	} {
		if got := tt.f.Matches(&q); got != tt.want {
			t.Errorf("%+v.Matches = %v, want %v", tt.f, got, tt.want)
		}
	}
}
