package evaluation

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"
	"github.com/passerelle-sante/passerelle/assessment"
	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/referral"
	"github.com/passerelle-sante/passerelle/territory"
)

// generator makes plausible records for a year, on the fly: a Source that
// streams millions of records without holding them, as a store's paged
// reads do. Records of one index are always the same (seeded per index).
type generator struct {
	year                     int
	referrals, actions, accs int
	communes                 []territory.Commune
	places                   []string
	ambassadors              []mediation.Ambassador
}

func newGenerator(ref *territory.Reference, total int) *generator {
	g := &generator{year: 2025, referrals: total * 6 / 10, actions: total * 15 / 100}
	g.accs = total - g.referrals - g.actions
	for i, c := range ref.Communes() {
		if i%17 == 0 {
			g.communes = append(g.communes, c)
		}
	}
	for i := range 3000 {
		g.places = append(g.places, "place-"+string(rune('a'+i%26))+uuid.NewSHA1(uuid.Nil, []byte{byte(i), byte(i >> 8)}).String()[:8])
	}
	rng := rand.New(rand.NewPCG(1, 2))
	kinds := mediation.AmbassadorKinds()
	for i := range 2000 {
		c := g.communes[rng.IntN(len(g.communes))]
		a := mediation.Ambassador{
			ID: uuid.NewSHA1(uuid.NameSpaceOID, []byte{byte(i), byte(i >> 8), 1}), Region: c.Region, Kind: kinds[rng.IntN(len(kinds))],
			Departements: []string{c.Departement}, Status: mediation.AmbassadorActive,
			JoinedAt: time.Date(2022+rng.IntN(4), time.Month(1+rng.IntN(12)), 1, 0, 0, 0, 0, time.UTC),
		}
		a.StatusSince = a.JoinedAt
		if rng.IntN(10) == 0 {
			a.Status, a.StatusSince = mediation.AmbassadorLeft, time.Date(2025, time.Month(1+rng.IntN(12)), 1, 0, 0, 0, 0, time.UTC)
		}
		g.ambassadors = append(g.ambassadors, a)
	}
	return g
}

func (g *generator) rng(kind, i uint64) *rand.Rand { return rand.New(rand.NewPCG(kind, i)) }

func (g *generator) when(rng *rand.Rand) time.Time {
	return time.Date(g.year, 1, 1, 8, 0, 0, 0, time.UTC).Add(time.Duration(rng.IntN(364*24)) * time.Hour)
}

var (
	genAges       = referral.AgeBands()
	genPathways   = []referral.PathwayID{referral.PathwayMediationPlace, referral.PathwayMediationPlace, referral.PathwayRemoteMediation, referral.PathwayFranceServices, referral.PathwayCPAMWorkshopIndividual}
	genAutonomies = referral.Autonomies()
	genLevels     = assessment.Levels()
	genTypes      = mediation.ActionTypes()
)

// referral fills r (reusing its history) with the i-th referral.
func (g *generator) referral(i int, r *referral.Referral) {
	rng := g.rng(1, uint64(i))
	c := &g.communes[rng.IntN(len(g.communes))]
	at := g.when(rng)
	hist := r.History[:0]
	*r = referral.Referral{
		ID: uuid.UUID{byte(i), byte(i >> 8), byte(i >> 16), byte(i >> 24)}, PersonID: "p", Commune: c.Code,
		AgeBand: genAges[rng.IntN(len(genAges))], CreatedAt: at, Pathway: genPathways[rng.IntN(len(genPathways))],
		PlaceID: g.places[rng.IntN(len(g.places))], Status: referral.StatusProposed,
		Assessment: referral.AssessmentRef{Level: genLevels[rng.IntN(2)]},
	}
	hist = append(hist, referral.StatusChange{To: referral.StatusProposed, At: at})
	step := func(s referral.Status, days int) {
		at = at.Add(time.Duration(days) * 24 * time.Hour)
		hist = append(hist, referral.StatusChange{From: r.Status, To: s, At: at})
		r.Status = s
	}
	switch p := rng.IntN(100); {
	case p < 10:
		step(referral.StatusDeclined, 1)
	case p < 18:
		step(referral.StatusExpired, 30)
	default:
		step(referral.StatusAccepted, 1+rng.IntN(3))
		if rng.IntN(10) == 0 {
			step(referral.StatusExpired, 30)
			break
		}
		step(referral.StatusScheduled, 1+rng.IntN(5))
		if rng.IntN(8) == 0 {
			step(referral.StatusNoShow, 3)
			step(referral.StatusScheduled, 1)
		}
		if rng.IntN(6) == 0 {
			step(referral.StatusCancelled, 2)
			break
		}
		step(referral.StatusAttended, 2+rng.IntN(20))
		if rng.IntN(4) > 0 {
			step(referral.StatusCompleted, 7+rng.IntN(30))
			r.Autonomy = genAutonomies[rng.IntN(len(genAutonomies))]
		}
	}
	r.History = hist
}

func (g *generator) action(i int, a *mediation.Action) {
	rng := g.rng(2, uint64(i))
	c := &g.communes[rng.IntN(len(g.communes))]
	ids := a.AmbassadorIDs[:0]
	for range 1 + rng.IntN(2) {
		ids = append(ids, g.ambassadors[rng.IntN(len(g.ambassadors))].ID)
	}
	*a = mediation.Action{
		ID: uuid.UUID{2, byte(i), byte(i >> 8), byte(i >> 16), byte(i >> 24)}, Type: genTypes[rng.IntN(len(genTypes))],
		Date: g.when(rng), DurationMinutes: 30 * (1 + rng.IntN(6)), Commune: c.Code, Departement: c.Departement, Region: c.Region,
		AmbassadorIDs: ids, PeopleSensitised: rng.IntN(40), AccountsActivated: rng.IntN(10),
	}
}

var genAccAges = mediation.AgeBands()
var genAccAut = mediation.Autonomies()

func (g *generator) accompaniment(i int, a *mediation.Accompaniment) {
	rng := g.rng(3, uint64(i))
	c := &g.communes[rng.IntN(len(g.communes))]
	*a = mediation.Accompaniment{
		ID: uuid.UUID{3, byte(i), byte(i >> 8), byte(i >> 16), byte(i >> 24)}, Date: g.when(rng), DurationMinutes: 15 * (1 + rng.IntN(6)),
		Commune: c.Code, Departement: c.Departement, Region: c.Region,
		AgeBand: genAccAges[rng.IntN(len(genAccAges))], Autonomy: genAccAut[rng.IntN(len(genAccAut))],
	}
}

// Records materialises the generated records (for small sizes).
func (g *generator) Records() *Records {
	out := &Records{Ambassadors: g.ambassadors}
	out.Referrals = make([]referral.Referral, g.referrals)
	for i := range out.Referrals {
		g.referral(i, &out.Referrals[i])
	}
	out.Actions = make([]mediation.Action, g.actions)
	for i := range out.Actions {
		g.action(i, &out.Actions[i])
	}
	out.Accompaniments = make([]mediation.Accompaniment, g.accs)
	for i := range out.Accompaniments {
		g.accompaniment(i, &out.Accompaniments[i])
	}
	for i := range g.ambassadors {
		if i%3 == 0 {
			out.Trainings = append(out.Trainings, mediation.Training{ID: uuid.New(), AmbassadorID: g.ambassadors[i].ID, Module: mediation.ModuleMonEspaceSante, Date: time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)})
		}
	}
	for _, r := range []string{"11", "76", "84", "53"} {
		out.Coordinators = append(out.Coordinators, mediation.Coordinator{ID: uuid.New(), Region: r, CreatedAt: time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)})
	}
	return out
}

// Source: the generator streams with one reused record per kind.
func (g *generator) Referrals(ctx context.Context, _ Period, fn func(*referral.Referral) error) error {
	var r referral.Referral
	for i := range g.referrals {
		if i%65536 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		g.referral(i, &r)
		if err := fn(&r); err != nil {
			return err
		}
	}
	return nil
}

func (g *generator) Actions(ctx context.Context, _ Period, fn func(*mediation.Action) error) error {
	var a mediation.Action
	for i := range g.actions {
		if i%65536 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		g.action(i, &a)
		if err := fn(&a); err != nil {
			return err
		}
	}
	return nil
}

func (g *generator) Accompaniments(ctx context.Context, _ Period, fn func(*mediation.Accompaniment) error) error {
	var a mediation.Accompaniment
	for i := range g.accs {
		if i%65536 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		g.accompaniment(i, &a)
		if err := fn(&a); err != nil {
			return err
		}
	}
	return nil
}

func (g *generator) Ambassadors(ctx context.Context, fn func(*mediation.Ambassador) error) error {
	return each(ctx, g.ambassadors, fn)
}

func (g *generator) Coordinators(context.Context, func(*mediation.Coordinator) error) error {
	return nil
}

func (g *generator) Trainings(context.Context, func(*mediation.Training) error) error { return nil }
