package coop

import (
	"errors"
	"strconv"

	"github.com/passerelle-sante/passerelle/mediation"
)

// addRecords turns an accepted activity into the network's records: a
// collective workshop into one Action with anonymous counts, an individual
// activity into one Accompaniment per person. A record the network refuses
// (mediation's ValidateAt) rejects the whole activity.
func (d *decoder) addRecords(res *Result, a *Activity) []Rejection {
	dep, region := d.where(a.CommuneINSEE)
	if a.Kind == KindCollective {
		act := mediation.Action{
			ID:     mediation.ExternalUUID(mediation.SourceCoop, a.CRAID),
			Source: mediation.SourceCoop, ExternalID: a.CRAID,
			Type: mediation.ActionCollectiveWorkshop, Date: a.Date, DurationMinutes: a.Minutes,
			Commune: a.CommuneINSEE, Departement: dep, Region: region,
			Remote:           a.Channel == ChannelRemote,
			PeopleSensitised: len(a.People),
			Themes:           networkThemes(a.Themes),
			RecordedAt:       d.now,
			Participants: mediation.ParticipantCounts{
				ByAge:    map[mediation.AgeBand]int{},
				ByGender: map[mediation.Gender]int{},
			},
		}
		for _, p := range a.People {
			act.Participants.ByAge[networkAgeBand(p.AgeBand)]++
			act.Participants.ByGender[mediation.Gender(p.Gender)]++
			if p.Redirected != nil && *p.Redirected {
				act.ReferralsMade++
			}
		}
		if err := act.ValidateAt(d.now); err != nil {
			return recordRejections(a.Rows[0], err)
		}
		res.Actions = append(res.Actions, act)
		return nil
	}
	var accs []mediation.Accompaniment
	for _, p := range a.People {
		acc := mediation.Accompaniment{
			ID:     mediation.ExternalUUID(mediation.SourceCoop, a.CRAID, strconv.Itoa(len(accs)+1)),
			Source: mediation.SourceCoop, ExternalID: a.CRAID,
			PersonID: p.ID.String(),
			Date:     a.Date, DurationMinutes: a.Minutes,
			Channel: mediation.Channel(a.Channel),
			Commune: a.CommuneINSEE, Departement: dep, Region: region,
			Themes:           networkThemes(a.Themes),
			Autonomy:         mediation.Autonomy(p.Autonomy),
			AgeBand:          networkAgeBand(p.AgeBand),
			Gender:           mediation.Gender(p.Gender),
			ResidenceCommune: p.CommuneINSEE,
			RecordedAt:       d.now,
		}
		for _, e := range a.Equipment {
			acc.Equipment = append(acc.Equipment, mediation.Equipment(e))
		}
		if p.Redirected != nil && *p.Redirected {
			acc.Redirected = true
			acc.RedirectedTo = p.RedirectionStructure
		}
		if err := acc.ValidateAt(d.now); err != nil {
			return recordRejections(p.Row, err)
		}
		accs = append(accs, acc)
	}
	res.Accompaniments = append(res.Accompaniments, accs...)
	return nil
}

// where returns the département and région of an INSEE code.
func (d *decoder) where(code string) (dep, region string) {
	if code == "" || d.ref == nil {
		return "", ""
	}
	c, ok := d.ref.Commune(code)
	if !ok {
		c, ok = d.ref.Commune(territoryCity(code))
	}
	if !ok {
		return "", ""
	}
	return c.Departement, c.Region
}

// recordFields names the Coop column behind a field of the network's
// records, so a refusal points at what the mediator can fix.
var recordFields = map[string]column{
	"date": colDate, "duration_minutes": colDuration, "commune": colINSEE,
	"channel": colChannel, "autonomy": colAutonomy, "redirected_to": colRedirection,
	"age_band": colAgeBand, "gender": colGender, "residence_commune": colBeneficiaryINSEE,
}

func recordRejections(row int, err error) []Rejection {
	var re *mediation.RecordError
	if !errors.As(err, &re) {
		return []Rejection{{Row: row, Reason: err.Error()}}
	}
	out := make([]Rejection, 0, len(re.Problems))
	for _, p := range re.Problems {
		r := Rejection{Row: row, Field: p.Field, Reason: p.Message}
		if c, ok := recordFields[p.Field]; ok {
			r.Field = columnSpecs[c].name
		}
		if p.Field == "commune" && p.Code == mediation.CodeRequired {
			r.Reason = "empty: an activity away from home and not remote needs the INSEE code of its commune"
		}
		out = append(out, r)
	}
	return out
}

// networkThemes maps La Coop's themes to the network's. The administrative
// procedure themes fold into one; « Social - Santé » also counts as health,
// since the scheme counts health procedures (Ameli, Mon espace santé).
func networkThemes(ts []Theme) []mediation.Theme {
	var out []mediation.Theme
	add := func(t mediation.Theme) { out = appendUnique(out, t) }
	for _, t := range ts {
		switch t {
		case ThemeContents:
			add(mediation.ThemeOther)
		case ThemeAdministrative, ThemeAdminPapers, ThemeAdminFamily, ThemeAdminWork, ThemeAdminHousing,
			ThemeAdminTransport, ThemeAdminMoney, ThemeAdminJustice, ThemeAdminForeigners,
			ThemeAdminLeisure, ThemeAdminAssociations:
			add(mediation.ThemeAdministrative)
		case ThemeAdminSocialHealth:
			add(mediation.ThemeAdministrative)
			add(mediation.ThemeHealth)
		default:
			add(mediation.Theme(t))
		}
	}
	return out
}

// networkAgeBand maps La Coop's age bands to the network's. The network
// has no band for "Mineur(e)" (under 18, current exports): it is counted in
// 12_18, the band nearly every minor a mediator helps falls in.
func networkAgeBand(b AgeBand) mediation.AgeBand {
	switch b {
	case AgeMinor, Age12To17:
		return mediation.Age12To17
	case AgeUnder12:
		return mediation.AgeUnder12
	case Age18To24:
		return mediation.Age18To24
	case Age25To39:
		return mediation.Age25To39
	case Age40To59:
		return mediation.Age40To59
	case Age60To69:
		return mediation.Age60To69
	case Age70Plus:
		return mediation.Age70Plus
	}
	return mediation.AgeUndefined
}
