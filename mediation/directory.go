package mediation

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"
)

// MaxK is the largest number of places one query may ask for.
const MaxK = 10000

// Directory finds mediation places near a point. It is what the rest of
// the library (referral above all) queries; Index is the in-memory
// implementation, and a regional plugin may provide another.
type Directory interface {
	// Nearby returns at most q.K places matching q, nearest first (ties by
	// place order in the directory), or an error wrapping ErrInvalidQuery.
	Nearby(ctx context.Context, q Query) ([]Result, error)
}

// Query asks for the places nearest to a point that pass every filter
// given. An empty filter does not filter. Within one field, "all of" means
// the place must have every value listed, "any of" at least one of them.
type Query struct {
	// Lat and Lon are the WGS84 point, in degrees.
	Lat, Lon float64
	// K is how many places to return, 1 to MaxK.
	K int
	// MaxKm drops places farther than this great-circle distance; 0 means
	// no limit.
	MaxKm float64

	// Services: all of (the person needs every one).
	Services []Service
	// Publics: any of (the place specifically addresses one of them).
	Publics []Public
	// SpecificSupport: all of (every need of the person is supported).
	SpecificSupport []SpecificSupport
	// Fees: any of (for instance free or free under condition).
	Fees []Fee
	// Programs: any of (for instance France Services or Aidants Connect).
	Programs []Program
	// Labels: all of (for instance « Formé à « Mon Espace Santé » »).
	Labels []Label
	// AccessModes: any of.
	AccessModes []AccessMode
	// SupportModes: any of.
	SupportModes []SupportMode

	// OpenWithin keeps places whose opening hours say they open at some
	// moment in [At, At+OpenWithin); 0 means no such filter. Places with
	// no hours, or hours that cannot be parsed, never match it: nobody
	// should be sent to a door that may be shut.
	OpenWithin time.Duration
	// At is "now" for OpenWithin; the zero time means now (for Index, its
	// IndexOptions.Now clock, time.Now by default).
	At time.Time
	// BookableOnline keeps places where an appointment can be booked
	// online: a prise_rdv URL, or the access mode « Prendre un RDV en
	// ligne ».
	BookableOnline bool
}

// Result is one place found, with its great-circle distance from the query
// point.
type Result struct {
	Place      Place   `json:"place"`
	DistanceKm float64 `json:"distance_km"`
}

// Validate checks q and returns an error wrapping ErrInvalidQuery that
// names the first wrong field, or nil.
func (q Query) Validate() error {
	bad := func(field, format string, args ...any) error {
		return fmt.Errorf("%w: %s: %s", ErrInvalidQuery, field, fmt.Sprintf(format, args...))
	}
	switch {
	case math.IsNaN(q.Lat) || q.Lat < -90 || q.Lat > 90:
		return bad("lat", "%v is outside -90..90", q.Lat)
	case math.IsNaN(q.Lon) || q.Lon < -180 || q.Lon > 180:
		return bad("lon", "%v is outside -180..180", q.Lon)
	case q.K <= 0 || q.K > MaxK:
		return bad("k", "%d is outside 1..%d", q.K, MaxK)
	case math.IsNaN(q.MaxKm) || math.IsInf(q.MaxKm, 0) || q.MaxKm < 0:
		return bad("max_km", "%v is not a distance (0 means no limit)", q.MaxKm)
	case q.OpenWithin < 0:
		return bad("open_within", "%v is negative", q.OpenWithin)
	}
	if err := validValues("services", q.Services); err != nil {
		return err
	}
	if err := validValues("publics_specifiquement_adresses", q.Publics); err != nil {
		return err
	}
	if err := validValues("prise_en_charge_specifique", q.SpecificSupport); err != nil {
		return err
	}
	if err := validValues("frais_a_charge", q.Fees); err != nil {
		return err
	}
	if err := validValues("dispositif_programmes_nationaux", q.Programs); err != nil {
		return err
	}
	if err := validValues("formations_labels", q.Labels); err != nil {
		return err
	}
	if err := validValues("modalites_acces", q.AccessModes); err != nil {
		return err
	}
	return validValues("modalites_accompagnement", q.SupportModes)
}

type validValue interface {
	~string
	Valid() bool
}

func validValues[T validValue](field string, vs []T) error {
	for i, v := range vs {
		if !v.Valid() {
			return fmt.Errorf("%w: %s[%d]: %q is not a value of the standard", ErrInvalidQuery, field, i, string(v))
		}
	}
	return nil
}

// Matches reports whether p passes every filter of q except the distance
// and OpenWithin ones (which need a point and a parsed schedule). It is the
// plain reading of the filters, for directories without an index.
func (q Query) Matches(p Place) bool {
	return includesAll(p.Services, q.Services) &&
		includesAny(p.Publics, q.Publics) &&
		includesAll(p.SpecificSupport, q.SpecificSupport) &&
		includesAny(p.Fees, q.Fees) &&
		includesAny(p.Programs, q.Programs) &&
		includesAll(p.Labels, q.Labels) &&
		includesAny(p.AccessModes, q.AccessModes) &&
		includesAny(p.SupportModes, q.SupportModes) &&
		(!q.BookableOnline || p.BookableOnline())
}

// BookableOnline reports whether an appointment at p can be booked online.
func (p Place) BookableOnline() bool {
	return p.Booking != "" || slices.Contains(p.AccessModes, AccessOnlineBooking)
}

func includesAll[T comparable](have, want []T) bool {
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}

func includesAny[T comparable](have, want []T) bool {
	if len(want) == 0 {
		return true
	}
	for _, w := range want {
		if slices.Contains(have, w) {
			return true
		}
	}
	return false
}
