package store

import (
	"encoding/json"
	"time"

	"github.com/google/uuid"

	"github.com/passerelle-sante/passerelle/mediation"
)

// Event kinds of the ambassador network. Wire values. Their payloads carry
// ids, codes, dates and counts; never a question's or answer's text, a
// handle or a structure's name.
const (
	KindCoordinatorCreated      = "coordinator.created"
	KindAmbassadorCreated       = "ambassador.created"
	KindAmbassadorStatusChanged = "ambassador.status_changed"
	KindAmbassadorUpdated       = "ambassador.updated"
	KindTrainingRecorded        = "training.recorded"
	KindActionRecorded          = "action.recorded"
	KindAccompanimentRecorded   = "accompaniment.recorded"
	KindQuestionAsked           = "question.asked"
	KindQuestionAnswered        = "question.answered"
	KindQuestionUpdated         = "question.updated"
)

func event(kind string, id uuid.UUID, at time.Time, payload any) Event {
	b, _ := json.Marshal(payload) // maps of strings, ints and times always encode
	return Event{ID: uuid.New(), Kind: kind, Subject: id.String(), At: at, Payload: b}
}

func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02")
}

func firstSet(ts ...time.Time) time.Time {
	for _, t := range ts {
		if !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}

// CoordinatorEvent is the event of a new coordinator.
func CoordinatorEvent(c *mediation.Coordinator, now time.Time) Event {
	return event(KindCoordinatorCreated, c.ID, firstSet(c.CreatedAt, now), map[string]any{"region": c.Region, "host_kind": c.HostKind})
}

// AmbassadorWrite is the event, and the journal entry of a status change,
// that storing next implies; prev is nil for a new ambassador. next.Version
// is the stored version.
func AmbassadorWrite(prev, next *mediation.Ambassador, actor string, now time.Time) (Event, *JournalEntry) {
	p := map[string]any{"region": next.Region, "kind": next.Kind, "status": next.Status, "version": next.Version}
	switch {
	case prev == nil:
		return event(KindAmbassadorCreated, next.ID, firstSet(next.JoinedAt, now), p), nil
	case prev.Status == next.Status:
		return event(KindAmbassadorUpdated, next.ID, now, p), nil
	}
	p["from"] = prev.Status
	ev := event(KindAmbassadorStatusChanged, next.ID, firstSet(next.StatusSince, now), p)
	if actor == "" {
		actor = "coordinator"
	}
	detail, _ := json.Marshal(map[string]any{"from": prev.Status, "to": next.Status, "version": next.Version})
	return ev, &JournalEntry{At: now, Actor: actor, Action: JournalStatusChange, Subject: next.ID.String(), Detail: detail}
}

// TrainingEvent is the event of a recorded training.
func TrainingEvent(t *mediation.Training) Event {
	p := map[string]any{"module": t.Module, "date": day(t.Date)}
	if t.AmbassadorID != uuid.Nil {
		p["ambassador_id"] = t.AmbassadorID
	}
	if t.PlaceID != "" {
		p["place_id"] = t.PlaceID
	}
	return event(KindTrainingRecorded, t.ID, t.Date, p)
}

// ActionEvent is the event of a recorded action: its type, date, area and
// counts.
func ActionEvent(a *mediation.Action) Event {
	return event(KindActionRecorded, a.ID, firstSet(a.RecordedAt, a.Date), map[string]any{
		"type": a.Type, "date": day(a.Date), "region": a.Region, "departement": a.Departement, "remote": a.Remote,
		"people_sensitised": a.PeopleSensitised, "accounts_activated": a.AccountsActivated, "referrals_made": a.ReferralsMade,
	})
}

// AccompanimentEvent is the event of a recorded accompaniment: date, area,
// autonomy reached; not the person.
func AccompanimentEvent(a *mediation.Accompaniment) Event {
	return event(KindAccompanimentRecorded, a.ID, firstSet(a.RecordedAt, a.Date), map[string]any{
		"date": day(a.Date), "region": a.Region, "departement": a.Departement, "autonomy": a.Autonomy, "redirected": a.Redirected,
	})
}

// QuestionWrite is the event of storing next (prev nil for a new
// question): its status and region, never its text.
func QuestionWrite(prev, next *mediation.Question, now time.Time) Event {
	p := map[string]any{"region": next.Region, "status": next.Status, "version": next.Version}
	switch {
	case prev == nil:
		return event(KindQuestionAsked, next.ID, firstSet(next.AskedAt, now), p)
	case prev.Status != next.Status && next.Status == mediation.QuestionAnswered:
		return event(KindQuestionAnswered, next.ID, firstSet(next.AnsweredAt, now), p)
	}
	return event(KindQuestionUpdated, next.ID, now, p)
}
