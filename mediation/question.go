package mediation

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/passerelle-sante/passerelle/territory"
)

// QuestionStatus says whether a mediator's question has been answered.
type QuestionStatus string

// Question statuses.
const (
	QuestionOpen     QuestionStatus = "ouverte"
	QuestionAnswered QuestionStatus = "repondue"
)

// QuestionStatuses lists the statuses.
func QuestionStatuses() []QuestionStatus { return []QuestionStatus{QuestionOpen, QuestionAnswered} }

// Valid says whether s is a known status.
func (s QuestionStatus) Valid() bool { return slices.Contains(QuestionStatuses(), s) }

// Limits of a question's texts.
const (
	MaxQuestionLength = 2000
	MaxAnswerLength   = 8000
	MaxTagLength      = 40
)

// Question is one question an ambassador asked the coordinator, with its
// answer once given. The log is coordinator-side content about the scheme
// (how to activate an account for a minor, what to do when the SMS code
// never arrives, ...), not about a person: its text is kept, but never put
// into outbox events, and Validate refuses text holding an e-mail address
// or a phone number.
type Question struct {
	ID            uuid.UUID `json:"id"`
	CoordinatorID uuid.UUID `json:"coordinator_id,omitzero"`
	// AmbassadorID is who asked, when known.
	AmbassadorID uuid.UUID      `json:"ambassador_id,omitzero"`
	Region       string         `json:"region"`
	AskedAt      time.Time      `json:"asked_at"`
	Text         string         `json:"question"`
	Answer       string         `json:"answer,omitempty"`
	AnsweredAt   time.Time      `json:"answered_at,omitzero"`
	Tags         []string       `json:"tags,omitempty"`
	Status       QuestionStatus `json:"status"`
	// Version counts stored updates, for optimistic concurrency.
	Version int `json:"version"`
}

// Validate lists every problem of q, taking now as the present.
func (q *Question) Validate() error { return q.ValidateAt(time.Now()) }

// ValidateAt lists every problem of q, each with its field.
func (q *Question) ValidateAt(now time.Time) error {
	var p problems
	p.id("id", q.ID)
	p.required("region", q.Region == "")
	if q.Region != "" && !ValidRegionCode(q.Region) {
		p.add("region", CodePattern, "%q is not a région code", "%q n'est pas un code de région", q.Region)
	}
	p.required("asked_at", q.AskedAt.IsZero())
	p.notFuture("asked_at", q.AskedAt, now)
	p.required("question", strings.TrimSpace(q.Text) == "")
	p.text("question", q.Text, MaxQuestionLength)
	if looksPersonal(q.Text) {
		p.add("question", CodePersonal, "holds an e-mail address or a phone number", "contient un courriel ou un numéro de téléphone")
	}
	p.text("answer", q.Answer, MaxAnswerLength)
	if looksPersonal(q.Answer) {
		p.add("answer", CodePersonal, "holds an e-mail address or a phone number", "contient un courriel ou un numéro de téléphone")
	}
	for i, t := range q.Tags {
		f := fmt.Sprintf("tags[%d]", i)
		p.required(f, strings.TrimSpace(t) == "")
		p.text(f, t, MaxTagLength)
	}
	p.required("status", q.Status == "")
	if q.Status != "" {
		p.enum("status", q.Status.Valid(), q.Status)
	}
	switch q.Status {
	case QuestionAnswered:
		p.required("answer", strings.TrimSpace(q.Answer) == "")
		p.required("answered_at", q.AnsweredAt.IsZero())
		p.notFuture("answered_at", q.AnsweredAt, now)
		if !q.AnsweredAt.IsZero() && q.AnsweredAt.Before(q.AskedAt) {
			p.add("answered_at", CodeMismatch, "is before asked_at", "est antérieur à asked_at")
		}
	case QuestionOpen:
		if !q.AnsweredAt.IsZero() {
			p.add("answered_at", CodeMismatch, "set on an open question", "renseigné sur une question ouverte")
		}
	}
	p.count("version", q.Version)
	return p.done("question", q.ID)
}

// Reply records the answer given at the given time and marks q answered.
func (q *Question) Reply(answer string, at time.Time) {
	q.Answer, q.AnsweredAt, q.Status = strings.TrimSpace(answer), at, QuestionAnswered
}

// FAQTerms splits a search into folded words (no case, no accents), the
// form MatchFAQ compares.
func FAQTerms(query string) []string {
	return strings.Fields(territory.Fold(query))
}

// FAQScore says how well an answered question matches the folded terms: 0
// when it is not answered or misses a term; otherwise a term found in a tag
// counts 3, in the question 2, in the answer 1.
func (q *Question) FAQScore(terms []string) int {
	if q.Status != QuestionAnswered {
		return 0
	}
	text, answer := territory.Fold(q.Text), territory.Fold(q.Answer)
	tags := make([]string, len(q.Tags))
	for i, t := range q.Tags {
		tags[i] = territory.Fold(t)
	}
	score := 0
	for _, t := range terms {
		s := 0
		if slices.Contains(tags, t) {
			s += 3
		}
		if strings.Contains(text, t) {
			s += 2
		}
		if strings.Contains(answer, t) {
			s++
		}
		if s == 0 {
			return 0
		}
		score += s
	}
	if len(terms) == 0 {
		score = 1
	}
	return score
}

// RankFAQ returns the answered questions of qs that hold every word of
// query, best first (score, then most recently answered, then id), at most
// limit (0: 20). Every NetworkStore's SearchFAQ answers as this function
// does, so stores may load the answered questions and call it.
func RankFAQ(qs []Question, query string, limit int) []Question {
	if limit <= 0 {
		limit = 20
	}
	terms := FAQTerms(query)
	type hit struct {
		q     Question
		score int
	}
	var hits []hit
	for i := range qs {
		if s := qs[i].FAQScore(terms); s > 0 {
			hits = append(hits, hit{qs[i], s})
		}
	}
	slices.SortFunc(hits, func(a, b hit) int {
		if a.score != b.score {
			return b.score - a.score
		}
		if c := b.q.AnsweredAt.Compare(a.q.AnsweredAt); c != 0 {
			return c
		}
		return strings.Compare(a.q.ID.String(), b.q.ID.String())
	})
	out := make([]Question, 0, min(limit, len(hits)))
	for i := 0; i < len(hits) && i < limit; i++ {
		out = append(out, hits[i].q)
	}
	return out
}
