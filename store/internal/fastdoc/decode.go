package fastdoc

import (
	"encoding/json"

	"github.com/google/uuid"

	"github.com/passerelle-sante/passerelle/assessment"
	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/referral"
)

// Decoder decodes documents of the three kinds. Its zero value works; it
// interns repeated strings, so one Decoder serves one goroutine.
type Decoder struct {
	in Interner
}

// Referral decodes b into r, as json.Unmarshal into a zero Referral does.
// r's slices are reused: what a previous call gave is overwritten.
func (d *Decoder) Referral(b []byte, r *referral.Referral) error {
	hist, flags := r.History[:0], r.Assessment.Flags[:0]
	*r = referral.Referral{}
	s := scanner{b: b, intern: &d.in}
	var seen uint64
	for k, ok := s.firstKey(); ok; k, ok = s.nextKey() {
		n := referralField(k)
		if n < 0 {
			s.fail()
			break
		}
		s.once(&seen, uint(n))
		if s.isNull() {
			continue
		}
		switch n {
		case 0:
			r.ID = s.id()
		case 1:
			r.PersonID = s.unique()
		case 2:
			r.Commune = s.str()
		case 3:
			r.AgeBand = referral.AgeBand(s.str())
		case 4:
			r.CreatedAt = s.time()
		case 5:
			r.By = referral.Actor(s.str())
		case 6:
			r.Pathway = referral.PathwayID(s.str())
		case 7:
			r.PlaceID = s.str()
		case 8:
			r.Assessment.Flags = flags
			s.assessmentRef(&r.Assessment)
		case 9:
			r.RulesVersion = s.str()
		case 10:
			r.Rule = s.str()
		case 11:
			r.Status = referral.Status(s.str())
		case 12:
			r.UpdatedAt = s.time()
		case 13:
			r.History = hist
			for more := s.firstElem(); more; more = s.nextElem() {
				r.History = append(r.History, referral.StatusChange{})
				s.statusChange(&r.History[len(r.History)-1])
			}
			if r.History == nil {
				r.History = []referral.StatusChange{}
			}
		case 14:
			t := s.time()
			r.Appointment = &t
		case 15:
			r.Autonomy = referral.Autonomy(s.str())
		case 16:
			v := s.raw()
			if !s.bad {
				r.FollowUp = new(assessment.Result)
				if json.Unmarshal(v, r.FollowUp) != nil {
					s.fail()
				}
			}
		case 17:
			r.Version = s.integer()
		}
	}
	s.end()
	if s.bad {
		*r = referral.Referral{}
		return json.Unmarshal(b, r)
	}
	return nil
}

func referralField(k []byte) int {
	switch string(k) {
	case "id":
		return 0
	case "person_id":
		return 1
	case "commune":
		return 2
	case "age_band":
		return 3
	case "created_at":
		return 4
	case "by":
		return 5
	case "pathway":
		return 6
	case "place_id":
		return 7
	case "assessment":
		return 8
	case "rules_version":
		return 9
	case "rule":
		return 10
	case "status":
		return 11
	case "updated_at":
		return 12
	case "history":
		return 13
	case "appointment":
		return 14
	case "autonomy":
		return 15
	case "follow_up_assessment":
		return 16
	case "version":
		return 17
	}
	return -1
}

func (s *scanner) assessmentRef(a *referral.AssessmentRef) {
	flags := a.Flags
	a.Flags = nil
	var seen uint64
	for k, ok := s.firstKey(); ok; k, ok = s.nextKey() {
		var n uint
		switch string(k) {
		case "instrument":
			n = 0
		case "version":
			n = 1
		case "level":
			n = 2
		case "flags":
			n = 3
		default:
			s.fail()
			return
		}
		s.once(&seen, n)
		if s.isNull() {
			continue
		}
		switch n {
		case 0:
			a.Instrument = s.str()
		case 1:
			a.Version = s.str()
		case 2:
			a.Level = assessment.Level(s.str())
		case 3:
			a.Flags = flags
			for more := s.firstElem(); more; more = s.nextElem() {
				if s.isNull() {
					a.Flags = append(a.Flags, "")
					continue
				}
				a.Flags = append(a.Flags, assessment.Flag(s.str()))
			}
			if a.Flags == nil {
				a.Flags = []assessment.Flag{}
			}
		}
	}
}

func (s *scanner) statusChange(c *referral.StatusChange) {
	var seen uint64
	for k, ok := s.firstKey(); ok; k, ok = s.nextKey() {
		var n uint
		switch string(k) {
		case "from":
			n = 0
		case "to":
			n = 1
		case "at":
			n = 2
		case "by":
			n = 3
		case "reason":
			n = 4
		default:
			s.fail()
			return
		}
		s.once(&seen, n)
		if s.isNull() {
			continue
		}
		switch n {
		case 0:
			c.From = referral.Status(s.str())
		case 1:
			c.To = referral.Status(s.str())
		case 2:
			c.At = s.time()
		case 3:
			c.By = referral.Actor(s.str())
		case 4:
			c.Reason = s.str()
		}
	}
}

// strs reads an array of strings into dst[:0] (a null element is "").
func strs[S ~string](s *scanner, dst []S) []S {
	out := dst[:0]
	for more := s.firstElem(); more; more = s.nextElem() {
		if s.isNull() {
			out = append(out, "")
			continue
		}
		out = append(out, S(s.str()))
	}
	if out == nil {
		out = []S{}
	}
	return out
}

// Action decodes b into a, as json.Unmarshal into a zero Action does. a's
// slices are reused.
func (d *Decoder) Action(b []byte, a *mediation.Action) error {
	ids, themes := a.AmbassadorIDs[:0], a.Themes[:0]
	*a = mediation.Action{}
	s := scanner{b: b, intern: &d.in}
	var seen uint64
	for k, ok := s.firstKey(); ok; k, ok = s.nextKey() {
		n := actionField(k)
		if n < 0 {
			s.fail()
			break
		}
		s.once(&seen, uint(n))
		if s.isNull() {
			continue
		}
		switch n {
		case 0:
			a.ID = s.id()
		case 1:
			a.Source = s.str()
		case 2:
			a.ExternalID = s.unique()
		case 3:
			a.Type = mediation.ActionType(s.str())
		case 4:
			a.Date = s.time()
		case 5:
			a.DurationMinutes = s.integer()
		case 6:
			a.PlaceID = s.str()
		case 7:
			a.Commune = s.str()
		case 8:
			a.Departement = s.str()
		case 9:
			a.Region = s.str()
		case 10:
			a.Remote = s.boolean()
		case 11:
			a.Organiser = s.str()
		case 12:
			a.CoordinatorID = s.id()
		case 13:
			a.AmbassadorIDs = ids
			for more := s.firstElem(); more; more = s.nextElem() {
				var u uuid.UUID
				if !s.isNull() {
					u = s.id()
				}
				a.AmbassadorIDs = append(a.AmbassadorIDs, u)
			}
			if a.AmbassadorIDs == nil {
				a.AmbassadorIDs = []uuid.UUID{}
			}
		case 14:
			a.PeopleSensitised = s.integer()
		case 15:
			a.AccountsActivated = s.integer()
		case 16:
			a.ReferralsMade = s.integer()
		case 17:
			v := s.raw()
			if !s.bad && json.Unmarshal(v, &a.Participants) != nil {
				s.fail()
			}
		case 18:
			a.Themes = strs(&s, themes)
		case 19:
			a.RecordedAt = s.time()
		}
	}
	s.end()
	if s.bad {
		*a = mediation.Action{}
		return json.Unmarshal(b, a)
	}
	return nil
}

func actionField(k []byte) int {
	switch string(k) {
	case "id":
		return 0
	case "source":
		return 1
	case "external_id":
		return 2
	case "type":
		return 3
	case "date":
		return 4
	case "duration_minutes":
		return 5
	case "place_id":
		return 6
	case "commune":
		return 7
	case "departement":
		return 8
	case "region":
		return 9
	case "remote":
		return 10
	case "organiser":
		return 11
	case "coordinator_id":
		return 12
	case "ambassador_ids":
		return 13
	case "people_sensitised":
		return 14
	case "accounts_activated":
		return 15
	case "referrals_made":
		return 16
	case "participants":
		return 17
	case "themes":
		return 18
	case "recorded_at":
		return 19
	}
	return -1
}

// Accompaniment decodes b into a, as json.Unmarshal into a zero
// Accompaniment does. a's slices are reused.
func (d *Decoder) Accompaniment(b []byte, a *mediation.Accompaniment) error {
	themes, equipment := a.Themes[:0], a.Equipment[:0]
	*a = mediation.Accompaniment{}
	s := scanner{b: b, intern: &d.in}
	var seen uint64
	for k, ok := s.firstKey(); ok; k, ok = s.nextKey() {
		n := accompanimentField(k)
		if n < 0 {
			s.fail()
			break
		}
		s.once(&seen, uint(n))
		if s.isNull() {
			continue
		}
		switch n {
		case 0:
			a.ID = s.id()
		case 1:
			a.ActionID = s.id()
		case 2:
			a.Source = s.str()
		case 3:
			a.ExternalID = s.unique()
		case 4:
			a.PersonID = s.unique()
		case 5:
			a.AmbassadorID = s.id()
		case 6:
			a.Date = s.time()
		case 7:
			a.DurationMinutes = s.integer()
		case 8:
			a.Channel = mediation.Channel(s.str())
		case 9:
			a.PlaceID = s.str()
		case 10:
			a.Commune = s.str()
		case 11:
			a.Departement = s.str()
		case 12:
			a.Region = s.str()
		case 13:
			a.Themes = strs(&s, themes)
		case 14:
			a.Equipment = strs(&s, equipment)
		case 15:
			a.Autonomy = mediation.Autonomy(s.str())
		case 16:
			a.Redirected = s.boolean()
		case 17:
			a.RedirectedTo = s.str()
		case 18:
			a.AgeBand = mediation.AgeBand(s.str())
		case 19:
			a.Gender = mediation.Gender(s.str())
		case 20:
			a.ResidenceCommune = s.str()
		case 21:
			a.RecordedAt = s.time()
		}
	}
	s.end()
	if s.bad {
		*a = mediation.Accompaniment{}
		return json.Unmarshal(b, a)
	}
	return nil
}

func accompanimentField(k []byte) int {
	switch string(k) {
	case "id":
		return 0
	case "action_id":
		return 1
	case "source":
		return 2
	case "external_id":
		return 3
	case "person_id":
		return 4
	case "ambassador_id":
		return 5
	case "date":
		return 6
	case "duration_minutes":
		return 7
	case "channel":
		return 8
	case "place_id":
		return 9
	case "commune":
		return 10
	case "departement":
		return 11
	case "region":
		return 12
	case "themes":
		return 13
	case "equipment":
		return 14
	case "autonomy":
		return 15
	case "redirected":
		return 16
	case "redirected_to":
		return 17
	case "age_band":
		return 18
	case "gender":
		return 19
	case "residence_commune":
		return 20
	case "recorded_at":
		return 21
	}
	return -1
}
