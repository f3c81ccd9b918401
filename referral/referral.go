package referral

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/passerelle-sante/passerelle/assessment"
)

// Status is where a referral stands. Values are wire values.
type Status string

// The statuses of a referral. Declined, completed, cancelled and expired
// are final.
const (
	StatusProposed  Status = "proposed"
	StatusAccepted  Status = "accepted"
	StatusDeclined  Status = "declined"
	StatusScheduled Status = "scheduled"
	StatusAttended  Status = "attended"
	StatusCompleted Status = "completed"
	StatusNoShow    Status = "no_show"
	StatusCancelled Status = "cancelled"
	// StatusExpired: no news after the configured delay (see Expire).
	StatusExpired Status = "expired"
)

// Statuses lists every status in lifecycle order.
func Statuses() []Status {
	return []Status{StatusProposed, StatusAccepted, StatusDeclined, StatusScheduled, StatusAttended,
		StatusCompleted, StatusNoShow, StatusCancelled, StatusExpired}
}

// nextStatuses is the lifecycle: from each status, where it may go.
// A missed appointment may be booked again; a scheduled appointment may be
// moved (scheduled → scheduled).
var nextStatuses = map[Status][]Status{
	StatusProposed:  {StatusAccepted, StatusDeclined, StatusCancelled, StatusExpired},
	StatusAccepted:  {StatusScheduled, StatusCancelled, StatusExpired},
	StatusScheduled: {StatusScheduled, StatusAttended, StatusNoShow, StatusCancelled, StatusExpired},
	StatusAttended:  {StatusCompleted, StatusScheduled, StatusExpired},
	StatusNoShow:    {StatusScheduled, StatusCancelled, StatusExpired},
}

// Next returns the statuses a referral may move to from s; none for a
// final status.
func (s Status) Next() []Status { return slices.Clone(nextStatuses[s]) }

// Final reports whether nothing can follow s.
func (s Status) Final() bool { return s.Valid() && len(nextStatuses[s]) == 0 }

// Open reports whether the referral still occupies a slot at its place:
// proposed, accepted or scheduled. Load ranking counts these.
func (s Status) Open() bool {
	return s == StatusProposed || s == StatusAccepted || s == StatusScheduled
}

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return slices.Contains(Statuses(), s) }

// Actor is who acts on a referral. Values are wire values.
type Actor string

// Known actors.
const (
	ActorDesk       Actor = "desk"       // the phone desk (3422)
	ActorAmbassador Actor = "ambassador" // a Mon espace santé ambassador
	ActorCPAMAgent  Actor = "cpam_agent"
	ActorMediator   Actor = "mediator" // the mediation place
	ActorPerson     Actor = "person"   // the person themself
	ActorSystem     Actor = "system"   // an automatic change (expiry)
)

// Actors lists the known actors.
func Actors() []Actor {
	return []Actor{ActorDesk, ActorAmbassador, ActorCPAMAgent, ActorMediator, ActorPerson, ActorSystem}
}

// Autonomy is what the person can do alone at the end, on the scale of La
// Coop de la médiation numérique. Values are the Coop's wire values.
type Autonomy string

// The Coop's autonomy scale.
const (
	AutonomyFullySupported Autonomy = "entierement_accompagne"
	AutonomyPartial        Autonomy = "partiellement_autonome"
	AutonomyAutonomous     Autonomy = "autonome"
)

// Autonomies lists the scale, least autonomous first.
func Autonomies() []Autonomy {
	return []Autonomy{AutonomyFullySupported, AutonomyPartial, AutonomyAutonomous}
}

// AssessmentRef is what a referral keeps of the assessment it came from:
// no answers and no free text.
type AssessmentRef struct {
	Instrument string            `json:"instrument"`
	Version    string            `json:"version,omitempty"`
	Level      assessment.Level  `json:"level"`
	Flags      []assessment.Flag `json:"flags,omitempty"`
}

// RefOf keeps the pseudonymous summary of an assessment result.
func RefOf(r assessment.Result) AssessmentRef {
	return AssessmentRef{Instrument: r.Instrument, Version: r.Version, Level: r.Level, Flags: slices.Clone(r.Flags)}
}

// StatusChange is one entry of a referral's history (append-only).
type StatusChange struct {
	From Status    `json:"from,omitempty"`
	To   Status    `json:"to"`
	At   time.Time `json:"at"`
	By   Actor     `json:"by"`
	// Reason is a code (e.g. "no_news", "moved_away"), never free text.
	Reason string `json:"reason,omitempty"`
}

// Referral follows one person sent to one pathway (and place) until the
// end. It names no one: PersonID is pseudonymous.
type Referral struct {
	ID       uuid.UUID `json:"id"`
	PersonID string    `json:"person_id"`
	// Commune (INSEE code) and AgeBand of the person, kept so that the
	// yearly evaluation can tell whether the oldest and the most rural are
	// reached. Both are coarse on purpose; empty when unknown.
	Commune      string        `json:"commune,omitempty"`
	AgeBand      AgeBand       `json:"age_band,omitempty"`
	CreatedAt    time.Time     `json:"created_at"`
	By           Actor         `json:"by"`
	Pathway      PathwayID     `json:"pathway"`
	PlaceID      string        `json:"place_id,omitempty"`
	Assessment   AssessmentRef `json:"assessment"`
	RulesVersion string        `json:"rules_version"`
	Rule         string        `json:"rule,omitempty"`
	Status       Status        `json:"status"`
	// UpdatedAt is the time of the last status change.
	UpdatedAt time.Time      `json:"updated_at"`
	History   []StatusChange `json:"history"`
	// Appointment is set when scheduled.
	Appointment *time.Time `json:"appointment,omitempty"`
	// Autonomy and FollowUp are recorded at completion, so progression
	// can be measured against Assessment.
	Autonomy Autonomy           `json:"autonomy,omitempty"`
	FollowUp *assessment.Result `json:"follow_up_assessment,omitempty"`
	// Version counts the stored updates, for optimistic concurrency.
	Version int `json:"version"`
}

// NewReferral records that the person of req was referred, by actor by at
// time at, to a pathway of proposal p and, when the pathway needs one, to
// one of its proposed places.
func NewReferral(p *Proposal, req Request, pathway PathwayID, placeID string, by Actor, at time.Time) (Referral, error) {
	if _, err := uuid.Parse(req.Person.ID); err != nil {
		return Referral{}, fmt.Errorf("%w: person_id %q is not a UUID", ErrInvalidReferral, req.Person.ID)
	}
	i := slices.IndexFunc(p.Pathways, func(pp ProposedPathway) bool { return pp.Pathway == pathway })
	if i < 0 {
		return Referral{}, fmt.Errorf("%w: pathway %q is not in the proposal", ErrInvalidReferral, pathway)
	}
	pp := p.Pathways[i]
	if placeID != "" && !slices.ContainsFunc(pp.Places, func(r RankedPlace) bool { return r.ID == placeID }) {
		return Referral{}, fmt.Errorf("%w: place %q is not proposed for pathway %q", ErrInvalidReferral, placeID, pathway)
	}
	r := Referral{
		ID:           uuid.New(),
		PersonID:     req.Person.ID,
		Commune:      req.Person.Commune,
		AgeBand:      req.Person.AgeBand,
		CreatedAt:    at,
		By:           by,
		Pathway:      pathway,
		PlaceID:      placeID,
		Assessment:   RefOf(req.Assessment),
		RulesVersion: p.RulesVersion,
		Rule:         pp.Rule,
		Status:       StatusProposed,
		UpdatedAt:    at,
		History:      []StatusChange{{To: StatusProposed, At: at, By: by}},
	}
	return r, r.Validate()
}

// inseeCode is the shape of an INSEE commune code: 5 digits, or 2A/2B and
// 3 digits in Corsica.
var inseeCode = regexp.MustCompile(`^(\d{5}|2[AB]\d{3})$`)

// Validate checks the record's fields.
func (r *Referral) Validate() error {
	var bad []string
	if r.ID == uuid.Nil {
		bad = append(bad, "id is empty")
	}
	if _, err := uuid.Parse(r.PersonID); err != nil {
		bad = append(bad, fmt.Sprintf("person_id %q is not a UUID", r.PersonID))
	}
	if r.Commune != "" && !inseeCode.MatchString(r.Commune) {
		bad = append(bad, fmt.Sprintf("commune %q is not an INSEE code (5 characters, e.g. 12208 or 2A004)", r.Commune))
	}
	if r.AgeBand != "" && !slices.Contains(AgeBands(), r.AgeBand) {
		bad = append(bad, fmt.Sprintf("age_band %q is not one of %v", r.AgeBand, AgeBands()))
	}
	if r.CreatedAt.IsZero() {
		bad = append(bad, "created_at is empty")
	}
	if !slices.Contains(Actors(), r.By) {
		bad = append(bad, fmt.Sprintf("by %q is not one of %v", r.By, Actors()))
	}
	if r.Pathway == "" {
		bad = append(bad, "pathway is empty")
	}
	if !r.Status.Valid() {
		bad = append(bad, fmt.Sprintf("status %q is unknown", r.Status))
	}
	if r.Autonomy != "" && !slices.Contains(Autonomies(), r.Autonomy) {
		bad = append(bad, fmt.Sprintf("autonomy %q is not one of %v", r.Autonomy, Autonomies()))
	}
	if len(bad) > 0 {
		return fmt.Errorf("%w: %s", ErrInvalidReferral, strings.Join(bad, "; "))
	}
	return nil
}

// TransitionOptions carry what some transitions need.
type TransitionOptions struct {
	// Reason is a code, never free text (e.g. "moved_away").
	Reason string
	// Appointment is required to schedule.
	Appointment time.Time
	// Autonomy is required to complete.
	Autonomy Autonomy
	// FollowUp is an optional new assessment at completion.
	FollowUp *assessment.Result
}

// Transition moves the referral to status to, recording who did it and
// when. It fails with ErrInvalidTransition, naming the allowed next
// statuses, when the lifecycle forbids the move, and with
// ErrInvalidReferral when a needed option is missing.
func (r *Referral) Transition(to Status, at time.Time, by Actor, opts *TransitionOptions) error {
	var o TransitionOptions
	if opts != nil {
		o = *opts
	}
	if !slices.Contains(nextStatuses[r.Status], to) {
		next := nextStatuses[r.Status]
		if len(next) == 0 {
			return fmt.Errorf("%w: %s → %s: %s is final", ErrInvalidTransition, r.Status, to, r.Status)
		}
		return fmt.Errorf("%w: %s → %s: allowed next statuses are %v", ErrInvalidTransition, r.Status, to, next)
	}
	if !slices.Contains(Actors(), by) {
		return fmt.Errorf("%w: actor %q is not one of %v", ErrInvalidReferral, by, Actors())
	}
	if at.Before(r.UpdatedAt) {
		return fmt.Errorf("%w: %s at %s is before the last change (%s)", ErrInvalidTransition, to, at.Format(time.RFC3339), r.UpdatedAt.Format(time.RFC3339))
	}
	if strings.ContainsAny(o.Reason, " \t\n") || len(o.Reason) > 64 {
		return fmt.Errorf("%w: reason must be a short code without spaces, got %q", ErrInvalidReferral, o.Reason)
	}
	switch to {
	case StatusScheduled:
		if o.Appointment.IsZero() {
			return fmt.Errorf("%w: scheduling needs an appointment time", ErrInvalidReferral)
		}
		ap := o.Appointment
		r.Appointment = &ap
	case StatusCompleted:
		if !slices.Contains(Autonomies(), o.Autonomy) {
			return fmt.Errorf("%w: completion needs the autonomy reached, one of %v (got %q)", ErrInvalidReferral, Autonomies(), o.Autonomy)
		}
		r.Autonomy = o.Autonomy
		if o.FollowUp != nil {
			fu := *o.FollowUp
			r.FollowUp = &fu
		}
	}
	r.History = append(r.History, StatusChange{From: r.Status, To: to, At: at, By: by, Reason: o.Reason})
	r.Status = to
	r.UpdatedAt = at
	return nil
}

// Expire marks the referral expired when it is still under way and has had
// no news for longer than after. It reports whether it did.
func (r *Referral) Expire(now time.Time, after time.Duration) bool {
	if !slices.Contains(nextStatuses[r.Status], StatusExpired) || now.Sub(r.UpdatedAt) <= after {
		return false
	}
	return r.Transition(StatusExpired, now, ActorSystem, &TransitionOptions{Reason: "no_news"}) == nil
}

// Progression compares the assessment at the origin of the referral with
// the follow-up assessment recorded at completion. It needs both results:
// the record keeps only a summary of the first, so the caller passes it.
func (r *Referral) Progression(before assessment.Result) (assessment.Progression, error) {
	if r.FollowUp == nil {
		return assessment.Progression{}, fmt.Errorf("%w: referral %s has no follow-up assessment", ErrInvalidReferral, r.ID)
	}
	return assessment.Compare(before, *r.FollowUp)
}

// clone returns a deep copy, so stores never share slices with callers.
func (r Referral) clone() Referral {
	r.History = slices.Clone(r.History)
	r.Assessment.Flags = slices.Clone(r.Assessment.Flags)
	if r.Appointment != nil {
		a := *r.Appointment
		r.Appointment = &a
	}
	if r.FollowUp != nil {
		f := *r.FollowUp
		r.FollowUp = &f
	}
	return r
}

// FollowUpReason says why a referral needs a call.
type FollowUpReason string

// Reasons for a follow-up call.
const (
	FollowUpNoAnswer          FollowUpReason = "proposed_no_answer"     // proposed, no answer yet
	FollowUpNotScheduled      FollowUpReason = "accepted_not_scheduled" // accepted, no appointment yet
	FollowUpAfterAppointment  FollowUpReason = "appointment_passed"     // appointment passed, no news
	FollowUpRebook            FollowUpReason = "no_show_rebook"         // missed appointment
	FollowUpAttendedNotClosed FollowUpReason = "attended_not_completed" // attended, not yet completed
)

// FollowUpPolicy says after how long each open status calls for a
// follow-up call. Days count in calendar days of the given day's location.
type FollowUpPolicy struct {
	ProposedAfter time.Duration // 3 days
	AcceptedAfter time.Duration // 7 days
	AttendedAfter time.Duration // 14 days
}

// DefaultFollowUpPolicy returns the documented delays.
func DefaultFollowUpPolicy() FollowUpPolicy {
	return FollowUpPolicy{ProposedAfter: 3 * 24 * time.Hour, AcceptedAfter: 7 * 24 * time.Hour, AttendedAfter: 14 * 24 * time.Hour}
}

// Due reports whether r needs a follow-up call on day, and why:
//   - proposed, with no change for ProposedAfter: did the person go?
//   - accepted, with no appointment for AcceptedAfter;
//   - scheduled, when the appointment was before day (yesterday or
//     earlier) and nobody said whether the person came;
//   - no_show: rebook, from the day after;
//   - attended, not completed after AttendedAfter.
func (pol FollowUpPolicy) Due(r *Referral, day time.Time) (FollowUpReason, bool) {
	y, m, d := day.Date()
	start := time.Date(y, m, d, 0, 0, 0, 0, day.Location())
	end := start.Add(24 * time.Hour)
	switch r.Status {
	case StatusProposed:
		return FollowUpNoAnswer, !r.UpdatedAt.Add(pol.ProposedAfter).After(end)
	case StatusAccepted:
		return FollowUpNotScheduled, !r.UpdatedAt.Add(pol.AcceptedAfter).After(end)
	case StatusScheduled:
		return FollowUpAfterAppointment, r.Appointment != nil && r.Appointment.Before(start)
	case StatusNoShow:
		return FollowUpRebook, r.UpdatedAt.Before(start)
	case StatusAttended:
		return FollowUpAttendedNotClosed, !r.UpdatedAt.Add(pol.AttendedAfter).After(end)
	}
	return "", false
}
