package render

import (
	"fmt"
	"strings"
)

// Lang is the language of a rendering: "fr" (the default) or "en".
type Lang string

// Languages.
const (
	French  Lang = "fr"
	English Lang = "en"
)

// ParseLang reads a language code; "" is French.
func ParseLang(s string) (Lang, error) {
	switch strings.ToLower(s) {
	case "", "fr":
		return French, nil
	case "en":
		return English, nil
	}
	return "", fmt.Errorf("render: language %q is not fr or en", s)
}

// text is a wording in both languages.
type text struct{ fr, en string }

func (t text) in(l Lang) string {
	if l == English {
		return t.en
	}
	return t.fr
}

// words are the labels of the page, the CSV headers and the wire values shown
// to people. An unknown key is shown as it is.
var words = map[string]text{
	"title":                  {"Évaluation du dispositif d'inclusion numérique en santé", "Evaluation of the digital health inclusion scheme"},
	"synthetic":              {"Données synthétiques de démonstration : ce rapport ne décrit personne de réel.", "Synthetic demonstration data: this report describes no real person."},
	"empty":                  {"Ce rapport est vide : aucune donnée n'a été enregistrée pour cette période et ce territoire. Aucun chiffre n'est donc affiché.", "This report is empty: no data was recorded for this period and territory, so no figure is shown."},
	"masked":                 {"masqué", "masked"},
	"masked.help":            {"effectif inférieur au seuil de protection", "count under the protection threshold"},
	"undefined":              {"non mesurable", "not measurable"},
	"period":                 {"Période", "Period"},
	"territory":              {"Territoire", "Territory"},
	"generated":              {"Produit le", "Generated on"},
	"threshold":              {"Les effectifs inférieurs à %d personnes sont masqués pour que personne ne puisse être reconnu.", "Counts under %d people are masked so that no one can be singled out."},
	"previous":               {"Période précédente", "Previous period"},
	"this":                   {"Cette période", "This period"},
	"key_figures":            {"Chiffres clés", "Key figures"},
	"network":                {"Réseau des ambassadeurs", "Ambassador network"},
	"actions":                {"Actions des ambassadeurs", "Ambassador actions"},
	"referrals":              {"Orientations", "Referrals"},
	"progression":            {"Progression des personnes", "Progression of the people helped"},
	"equity":                 {"Équité", "Equity"},
	"coverage":               {"Couverture du territoire", "Coverage of the territory"},
	"map":                    {"Carte", "Map"},
	"targets":                {"Objectifs", "Targets"},
	"definitions":            {"Définitions des indicateurs", "Definitions of the indicators"},
	"indicator":              {"Indicateur", "Indicator"},
	"value":                  {"Valeur", "Value"},
	"section":                {"Section", "Section"},
	"key":                    {"Clé", "Key"},
	"month":                  {"Mois", "Month"},
	"type":                   {"Type", "Type"},
	"step":                   {"Étape", "Step"},
	"conversion":             {"Passage depuis l'étape précédente", "Conversion from the step before"},
	"group":                  {"Groupe", "Group"},
	"target":                 {"Cible", "Target"},
	"actual":                 {"Réalisé", "Actual"},
	"share":                  {"Part", "Share"},
	"commune":                {"Commune", "Commune"},
	"places":                 {"Lieux", "Places"},
	"trained_places":         {"Lieux formés à Mon espace santé", "Places trained in Mon espace santé"},
	"map.desc":               {"Chaque point est le centre d'une commune : lieux de médiation (gris), lieux formés (bleu), orientations (orange, d'autant plus grand qu'elles sont nombreuses ; cercle pointillé : effectif masqué).", "Each dot is a commune's centre: mediation places (grey), trained places (blue), referrals (orange, larger for more; dotted ring: masked count)."},
	"map.table":              {"Communes ayant reçu le plus d'orientations", "Communes that received the most referrals"},
	"map.outside":            {"%d communes hors de la France métropolitaine ne figurent pas sur la carte ; leurs chiffres sont dans le tableau par département.", "%d communes outside metropolitan France are not on the map; their figures are in the table by département."},
	"by_type":                {"Actions par type", "Actions by type"},
	"by_month":               {"Activité par mois", "Activity by month"},
	"by_kind":                {"Ambassadeurs actifs par métier", "Active ambassadors by trade"},
	"by_region":              {"Ambassadeurs actifs par région", "Active ambassadors by région"},
	"funnel":                 {"Parcours des orientations", "Referral funnel"},
	"by_pathway":             {"Par type d'aide", "By pathway"},
	"by_place":               {"Par lieu", "By place"},
	"autonomy":               {"Autonomie atteinte à la fin de l'accompagnement", "Autonomy reached at completion"},
	"by_age_band":            {"Par tranche d'âge", "By age band"},
	"by_density":             {"Par densité de la commune (urbain à très rural)", "By density of the commune (urban to very rural)"},
	"by_departement":         {"Par département", "By département"},
	"referred":               {"Orientées", "Referred"},
	"attended":               {"Venues", "Attended"},
	"completed":              {"Accompagnement terminé", "Completed"},
	"attendance_rate":        {"Taux de venue", "Attendance rate"},
	"accompaniments":         {"Accompagnements", "Accompaniments"},
	"count":                  {"Nombre", "Count"},
	"contents":               {"Sommaire", "Contents"},
	"participants":           {"Participants aux actions", "Action participants"},
	"hours":                  {"Heures", "Hours"},
	"people_sensitised":      {"Personnes sensibilisées", "People sensitised"},
	"accounts_activated":     {"Comptes activés", "Accounts activated"},
	"accepted":               {"Acceptées", "Accepted"},
	"scheduled":              {"Rendez-vous pris", "Scheduled"},
	"proposed":               {"Proposées", "Proposed"},
	"by_autonomy":            {"Par autonomie atteinte", "By autonomy reached"},
	"autonomy_at_completion": {"Autonomie atteinte à la fin", "Autonomy at completion"},
	"lang.other":             {"English version: --lang en", "Version française : --lang fr"},

	// Indicators (paths of the Report's JSON).
	"network.active_ambassadors":               {"Ambassadeurs actifs", "Active ambassadors"},
	"network.coordinators":                     {"Coordinateurs", "Coordinators"},
	"network.trained_mon_espace_sante":         {"Ambassadeurs formés à Mon espace santé", "Ambassadors trained in Mon espace santé"},
	"network.new":                              {"Nouveaux ambassadeurs", "New ambassadors"},
	"network.departed":                         {"Ambassadeurs partis", "Ambassadors who left"},
	"actions.count":                            {"Actions", "Actions"},
	"actions.people_sensitised":                {"Personnes sensibilisées", "People sensitised"},
	"actions.accounts_activated":               {"Comptes activés", "Accounts activated"},
	"actions.hours":                            {"Heures données", "Hours given"},
	"actions.per_ambassador.actions":           {"Actions par ambassadeur", "Actions per ambassador"},
	"actions.per_ambassador.people_sensitised": {"Personnes sensibilisées par ambassadeur", "People sensitised per ambassador"},
	"actions.per_ambassador.hours":             {"Heures par ambassadeur", "Hours per ambassador"},
	"actions.accompaniments.count":             {"Accompagnements individuels", "One-to-one accompaniments"},
	"actions.accompaniments.hours":             {"Heures d'accompagnement", "Hours of accompaniment"},
	"referrals.funnel.proposed":                {"Proposées", "Proposed"},
	"referrals.funnel.accepted":                {"Acceptées", "Accepted"},
	"referrals.funnel.scheduled":               {"Rendez-vous pris", "Scheduled"},
	"referrals.funnel.attended":                {"Venues au rendez-vous", "Attended"},
	"referrals.funnel.completed":               {"Accompagnement terminé", "Completed"},
	"referrals.declined":                       {"Refusées", "Declined"},
	"referrals.no_shows":                       {"Absences au rendez-vous", "No-shows"},
	"referrals.expired":                        {"Sans nouvelles (expirées)", "Expired (no news)"},
	"referrals.cancelled":                      {"Annulées", "Cancelled"},
	"referrals.median_days_to_attended":        {"Délai médian jusqu'à la venue (jours)", "Median days to attendance"},
	"progression.assessed":                     {"Personnes réévaluées", "People reassessed"},
	"progression.rose":                         {"Personnes dont le niveau a progressé", "People whose level rose"},
	"progression.share_rose":                   {"Part des personnes dont le niveau a progressé", "Share of people whose level rose"},

	// Wire values.
	"entierement_accompagne":       {"Entièrement accompagné", "Fully supported"},
	"partiellement_autonome":       {"Partiellement autonome", "Partly autonomous"},
	"autonome":                     {"Autonome", "Autonomous"},
	"under_18":                     {"Moins de 18 ans", "Under 18"},
	"18_24":                        {"18 à 24 ans", "18 to 24"},
	"25_39":                        {"25 à 39 ans", "25 to 39"},
	"40_59":                        {"40 à 59 ans", "40 to 59"},
	"60_69":                        {"60 à 69 ans", "60 to 69"},
	"70_plus":                      {"70 ans et plus", "70 and over"},
	"stand_ouverture_compte":       {"Stand d'ouverture de compte", "Account-opening stand"},
	"atelier_activation":           {"Atelier d'activation", "Activation workshop"},
	"webinaire":                    {"Webinaire", "Webinar"},
	"matinee_information":          {"Matinée d'information", "Information morning"},
	"permanence":                   {"Permanence", "Drop-in"},
	"salon_forum":                  {"Salon, forum", "Fair"},
	"conference":                   {"Conférence", "Conference"},
	"atelier_collectif":            {"Atelier collectif", "Group workshop"},
	"accompagnement_individuel":    {"Accompagnement individuel", "Individual support"},
	"mediation_place":              {"Lieu de médiation numérique", "Digital-mediation place"},
	"france_services":              {"France Services", "France Services"},
	"remote_mediation":             {"Médiation à distance", "Remote mediation"},
	"cpam_workshop_collective":     {"Atelier collectif CPAM", "CPAM group workshop"},
	"cpam_workshop_individual":     {"Atelier individuel CPAM", "CPAM one-to-one workshop"},
	"ambassador_action":            {"Action d'ambassadeur", "Ambassador action"},
	"self_guide":                   {"Guide pas à pas", "Step-by-step guide"},
	"immediate_answer":             {"Réponse immédiate", "Immediate answer"},
	"mission_accompagnement_sante": {"Mission accompagnement santé", "Mission accompagnement santé"},
	"aidants_connect":              {"Aidants Connect", "Aidants Connect"},
	"pass_numerique":               {"Pass numérique", "Pass numérique"},
	"equipment_access":             {"Accès à l'équipement", "Equipment access"},
	"conseiller_numerique":         {"Conseiller numérique", "Digital adviser"},
	"agent_cpam":                   {"Agent de CPAM", "CPAM agent"},
	"agent_ars":                    {"Agent d'ARS", "ARS agent"},
	"travailleur_social":           {"Travailleur social", "Social worker"},
	"professionnel_sante":          {"Professionnel de santé", "Health professional"},
	"pharmacien":                   {"Pharmacien", "Pharmacist"},
	"benevole_associatif":          {"Bénévole associatif", "Association volunteer"},
	"representant_usagers":         {"Représentant des usagers", "Users' representative"},
	"autre":                        {"Autre", "Other"},
	"":                             {"Non renseigné", "Not recorded"},
	"france":                       {"France", "France"},
}

// density classes of INSEE's grid, 1 (dense) to 7 (very rural).
var densityWords = map[string]text{
	"1": {"1 – grands centres urbains", "1 – large urban centres"},
	"2": {"2 – centres urbains intermédiaires", "2 – intermediate urban centres"},
	"3": {"3 – ceintures urbaines", "3 – urban belts"},
	"4": {"4 – petites villes", "4 – small towns"},
	"5": {"5 – bourgs ruraux", "5 – rural towns"},
	"6": {"6 – rural à habitat dispersé", "6 – rural, dispersed housing"},
	"7": {"7 – rural à habitat très dispersé", "7 – rural, very dispersed housing"},
}

// label names an indicator by its JSON path: its own label, or the label
// of its group and of its last segment ("equity.by_age_band.referred" is
// "Par tranche d'âge – Orientées"), or the path itself.
func label(l Lang, path string) string {
	if t, ok := words[path]; ok {
		return t.in(l)
	}
	parts := strings.Split(path, ".")
	if len(parts) >= 2 {
		group, last := parts[len(parts)-2], parts[len(parts)-1]
		g, gok := words[group]
		w, wok := words[last]
		if gok && wok {
			return g.in(l) + " – " + w.in(l)
		}
	}
	return path
}

// word returns the label of key in l, or key itself when unknown.
func word(l Lang, key string) string {
	if t, ok := words[key]; ok {
		return t.in(l)
	}
	return key
}
