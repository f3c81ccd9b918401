package evaluation

import (
	"fmt"
	"slices"
)

// definitions lists every indicator with its meaning; ids are the JSON paths
// of the figures in a Report.
var definitions = []Definition{
	{"network.active_ambassadors", "Ambassadeurs ayant été actifs à un moment de la période, d'après l'historique de leurs statuts : entrés avant sa fin, avec une période au statut « actif » qui la recoupe.", "Ambassadors active at some time in the period, from the history of their statuses: joined before its end, with a stretch of active status that overlaps it."},
	{"network.coordinators", "Coordinateurs des régions du territoire créés avant la fin de la période.", "Coordinators of the territory's régions created before the end of the period."},
	{"network.trained_mon_espace_sante", "Ambassadeurs actifs ayant suivi le module « Formé à « Mon Espace Santé » » avant la fin de la période.", "Active ambassadors who followed the Mon espace santé module before the end of the period."},
	{"network.new", "Ambassadeurs entrés dans le dispositif pendant la période.", "Ambassadors who joined during the period."},
	{"network.departed", "Ambassadeurs partis pendant la période.", "Ambassadors who left during the period."},
	{"actions.count", "Actions datées dans la période et tenues dans le territoire (des événements, jamais masqués).", "Actions dated in the period and held in the territory (events, never masked)."},
	{"actions.people_sensitised", "Somme des personnes sensibilisées déclarées par les actions.", "Sum of the people sensitised the actions report."},
	{"actions.accounts_activated", "Somme des comptes Mon espace santé activés déclarés par les actions.", "Sum of the Mon espace santé accounts activated the actions report."},
	{"actions.hours", "Heures données : durée de chaque action multipliée par le nombre d'ambassadeurs qui y ont pris part (au moins un).", "Hours given: each action's duration times the number of ambassadors taking part (at least one)."},
	{"actions.per_ambassador", "Actions, personnes sensibilisées et heures divisées par les ambassadeurs actifs.", "Actions, people sensitised and hours divided by the active ambassadors."},
	{"actions.per_ambassador.with_action", "Ambassadeurs actifs ayant pris part à au moins une action de la période.", "Active ambassadors who took part in at least one action of the period."},
	{"actions.per_ambassador.median_actions", "Médiane du nombre d'actions par ambassadeur actif (zéro pour ceux qui n'en ont pas).", "Median number of actions per active ambassador (zero for those with none)."},
	{"actions.accompaniments.count", "Accompagnements individuels datés dans la période, au lieu du territoire.", "One-to-one accompaniments dated in the period, at a place of the territory."},
	{"actions.accompaniments.hours", "Durée des accompagnements qui ne font pas partie d'une action collective (celles-ci comptent dans les heures des actions).", "Duration of the accompaniments that are not part of a collective action (those count in the actions' hours)."},
	{"referrals.funnel.proposed", "Orientations créées pendant la période pour une personne du territoire (commune de résidence).", "Referrals created in the period for a person living in the territory."},
	{"referrals.funnel.accepted", "Parmi elles, celles qui ont été acceptées, à n'importe quel moment jusqu'au calcul.", "Of those, the ones accepted at any time up to the computation."},
	{"referrals.funnel.scheduled", "Parmi elles, celles qui ont eu un rendez-vous.", "Of those, the ones given an appointment."},
	{"referrals.funnel.attended", "Parmi elles, celles où la personne est venue.", "Of those, the ones the person attended."},
	{"referrals.funnel.completed", "Parmi elles, celles qui se sont terminées (accompagnement achevé).", "Of those, the ones completed."},
	{"referrals.conversion", "Part de chaque étape qui atteint la suivante (acceptées / proposées, etc.).", "Share of each step that reaches the next (accepted / proposed, and so on)."},
	{"referrals.no_shows", "Orientations avec au moins un rendez-vous manqué.", "Referrals with at least one missed appointment."},
	{"referrals.expired", "Orientations closes faute de nouvelles.", "Referrals closed for lack of news."},
	{"referrals.median_days_to_attended", "Médiane du nombre de jours entiers entre la proposition et la première venue, sur les orientations où la personne est venue.", "Median whole days from proposal to first attendance, over the attended referrals."},
	{"progression.share_rose", "Part des orientations terminées avec une seconde évaluation dont le niveau est plus élevé que celui de l'évaluation d'origine.", "Share of the completed referrals with a follow-up assessment whose level is above the original one."},
	{"progression.autonomy_at_completion", "Orientations terminées par niveau d'autonomie atteint (échelle de La Coop de la médiation numérique).", "Completed referrals by the autonomy reached (La Coop de la médiation numérique's scale)."},
	{"equity", "Orientations, venues, fins, accompagnements et participants aux actions par tranche d'âge, par classe de densité INSEE (1 grands centres urbains à 7 rural très dispersé) et par département de résidence (pour les participants : la commune de l'action).", "Referrals, attendances, completions, accompaniments and action participants by age band, by INSEE density class (1 large urban centres to 7 very dispersed rural) and by département of residence (for participants: the action's commune)."},
	{"masking", "Un effectif de personnes de 1 à seuil-1 est masqué, ainsi que les parts qui en découlent ; zéro est affiché. Dans une ventilation dont le total est publié, d'autres cases sont masquées tant que les cases masquées sont moins de deux ou totalisent moins que le seuil.", "A count of people from 1 to threshold-1 is masked, with the shares computed from it; zero is shown. In a breakdown whose total is published, more cells are masked while the masked cells are fewer than two or add up to less than the threshold."},
}

// Definitions returns the definition of every indicator, in report order.
// The slice is a copy.
func Definitions() []Definition { return slices.Clone(definitions) }

// targetIndicators are the figures a target may aim at.
var targetIndicators = map[string]func(*Report) (Count, Measure, bool){
	"network.active_ambassadors":        func(r *Report) (Count, Measure, bool) { return r.Network.ActiveAmbassadors, Measure{}, true },
	"network.trained_mon_espace_sante":  func(r *Report) (Count, Measure, bool) { return r.Network.TrainedMonEspaceSante, Measure{}, true },
	"network.new":                       func(r *Report) (Count, Measure, bool) { return r.Network.New, Measure{}, true },
	"actions.count":                     func(r *Report) (Count, Measure, bool) { return r.Actions.Count, Measure{}, true },
	"actions.people_sensitised":         func(r *Report) (Count, Measure, bool) { return r.Actions.PeopleSensitised, Measure{}, true },
	"actions.accounts_activated":        func(r *Report) (Count, Measure, bool) { return r.Actions.AccountsActivated, Measure{}, true },
	"actions.hours":                     func(r *Report) (Count, Measure, bool) { return Count{}, r.Actions.Hours, false },
	"actions.accompaniments.count":      func(r *Report) (Count, Measure, bool) { return r.Actions.Accompaniments.Count, Measure{}, true },
	"referrals.funnel.proposed":         func(r *Report) (Count, Measure, bool) { return r.Referrals.Funnel.Proposed, Measure{}, true },
	"referrals.funnel.accepted":         func(r *Report) (Count, Measure, bool) { return r.Referrals.Funnel.Accepted, Measure{}, true },
	"referrals.funnel.scheduled":        func(r *Report) (Count, Measure, bool) { return r.Referrals.Funnel.Scheduled, Measure{}, true },
	"referrals.funnel.attended":         func(r *Report) (Count, Measure, bool) { return r.Referrals.Funnel.Attended, Measure{}, true },
	"referrals.funnel.completed":        func(r *Report) (Count, Measure, bool) { return r.Referrals.Funnel.Completed, Measure{}, true },
	"progression.rose":                  func(r *Report) (Count, Measure, bool) { return r.Progression.Rose, Measure{}, true },
	"referrals.median_days_to_attended": func(r *Report) (Count, Measure, bool) { return Count{}, r.Referrals.MedianDaysToAttended, false },
}

// TargetIndicators lists the indicator ids a Target may name, sorted.
func TargetIndicators() []string { return sortedKeys(targetIndicators) }

func checkTargets(ts []Target) error {
	for i, t := range ts {
		if _, ok := targetIndicators[t.Indicator]; !ok {
			return fmt.Errorf("%w: targets[%d].indicator %q is not one of %v", ErrInvalidOptions, i, t.Indicator, TargetIndicators())
		}
		if !(t.Value > 0) {
			return fmt.Errorf("%w: targets[%d].value %v must be above 0", ErrInvalidOptions, i, t.Value)
		}
	}
	return nil
}

// progress measures each target against the report's figure; a masked figure
// gives a masked progress.
func progress(r *Report, ts []Target) []TargetProgress {
	var out []TargetProgress
	for _, t := range ts {
		c, m, isCount := targetIndicators[t.Indicator](r)
		if isCount {
			if c.Masked {
				m = Measure{Masked: true}
			} else {
				m = Measure{Value: float64(c.N)}
			}
		}
		p := TargetProgress{Target: t, Actual: m, Share: m}
		if !m.Masked && !m.Undefined {
			p.Share = Measure{Value: m.Value / t.Value}
		}
		out = append(out, p)
	}
	return out
}
