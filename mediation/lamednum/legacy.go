package lamednum

import m "github.com/passerelle-sante/passerelle/mediation"

// legacyTarget is where one v0.1 value goes in v1. A zero target (all
// fields empty) means the value has no v1 equivalent and is dropped with a
// reason.
type legacyTarget struct {
	service    m.Service
	public     m.Public
	support    m.SpecificSupport
	fee        m.Fee
	program    m.Program
	label      m.Label
	mode       m.SupportMode
	otherLabel string
	why        string // when the mapping is not obvious
	whyFR      string // the same in French
}

// legacyServices maps the 15 services of v0.1 onto the 9 of v1 (the table in
// the package documentation).
var legacyServices = map[string]legacyTarget{
	"Devenir autonome dans les démarches administratives":           {service: m.ServiceAdministrativeProcedures},
	"Réaliser des démarches administratives avec un accompagnement": {service: m.ServiceAdministrativeProcedures},
	"Prendre en main un smartphone ou une tablette":                 {service: m.ServiceEverydayTools},
	"Prendre en main un ordinateur":                                 {service: m.ServiceEverydayTools},
	"Utiliser le numérique au quotidien":                            {service: m.ServiceEverydayTools},
	"Approfondir ma culture numérique":                              {service: m.ServiceDigitalCulture},
	"Favoriser mon insertion professionnelle":                       {service: m.ServiceEmployment},
	"Accéder à une connexion internet":                              {service: m.ServiceInternetEquipmentAccess},
	"Accéder à du matériel":                                         {service: m.ServiceInternetEquipmentAccess},
	"S'équiper en matériel informatique":                            {service: m.ServiceAffordableEquipment},
	"Créer et développer mon entreprise":                            {service: m.ServiceEmployment},
	"Créer avec le numérique":                                       {service: m.ServiceLeisureCreation},
	"Accompagner les démarches de santé": {service: m.ServiceAdministrativeProcedures,
		why:   "v1 has no health service; health procedures online (ameli, Mon espace santé) are administrative procedures",
		whyFR: "la v1 n'a pas de service santé ; les démarches de santé en ligne (ameli, Mon espace santé) sont des démarches administratives"},
	"Promouvoir la citoyenneté numérique":                      {service: m.ServiceDigitalCulture},
	"Soutenir la parentalité et l'éducation avec le numérique": {service: m.ServiceParenting},
}

// legacyPublics maps publics_accueillis onto publics_specifiquement_adresses
// or prise_en_charge_specifique.
var legacyPublics = map[string]legacyTarget{
	"Seniors (+ 65 ans)": {public: m.PublicSeniors},
	"Familles/enfants":   {public: m.PublicFamilies},
	"Adultes": {why: "v1 has no 'adults' public: every place welcomes adults by default",
		whyFR: "la v1 n'a pas de public « adultes » : tout lieu accueille les adultes par défaut"},
	"Jeunes (16-26 ans)":        {public: m.PublicYoung},
	"Public langues étrangères": {support: m.SupportOtherLanguages},
	"Déficience visuelle":       {support: m.SupportVisualImpairment},
	"Surdité":                   {support: m.SupportDeafness},
	"Handicaps psychiques : troubles psychiatriques donnant lieu à des atteintes comportementales": {support: m.SupportMentalDisability,
		why:   "v1 groups psychic and mental disabilities under 'Handicaps mentaux'",
		whyFR: "la v1 regroupe handicaps psychiques et mentaux sous « Handicaps mentaux »"},
	"Handicaps mentaux : déficiences limitant les activités d'une personne": {support: m.SupportMentalDisability},
	"Uniquement femmes":                    {public: m.PublicWomen},
	"Personnes en situation d'illettrisme": {support: m.SupportIlliteracy},
}

// legacyAccessConditions maps conditions_acces onto frais_a_charge.
var legacyAccessConditions = map[string]legacyTarget{
	"Gratuit : Je peux accéder gratuitement au lieu et à ses services":                                                                   {fee: m.FeeFree},
	"Gratuit sous condition : La gratuité est conditionnée à des critères (situation familiale, convention avec un organisme social...)": {fee: m.FeeFreeConditional},
	"Payant : L'accès au lieu et/ou à ses services est payant":                                                                           {fee: m.FeePaid},
	"Adhésion : L'accès au lieu et/ou à ses services nécessite d'y adhérer": {fee: m.FeePaid,
		why:   "a membership fee is a charge",
		whyFR: "une adhésion est un coût"},
	"Accepte le Pass numérique : Il est possible d'utiliser un Pass numérique pour accéder au lieu": {fee: m.FeeFreeConditional,
		why:   "free for holders of a Pass numérique voucher",
		whyFR: "gratuit pour les détenteurs d'un Pass numérique"},
	// Short forms found in the wild.
	"Gratuit":                {fee: m.FeeFree},
	"Gratuit sous condition": {fee: m.FeeFreeConditional},
	"Payant":                 {fee: m.FeePaid},
	"Adhésion": {fee: m.FeePaid, why: "a membership fee is a charge",
		whyFR: "une adhésion est un coût"},
	"Accepte le Pass numérique": {fee: m.FeeFreeConditional, why: "free for holders of a Pass numérique voucher",
		whyFR: "gratuit pour les détenteurs d'un Pass numérique"},
}

// legacyLabels maps labels_nationaux onto dispositif_programmes_nationaux,
// formations_labels or, failing both, autres_formations_labels.
var legacyLabels = map[string]legacyTarget{
	"France Services":        {program: m.ProgramFranceServices},
	"CNFS":                   {program: m.ProgramDigitalAdvisers},
	"Conseillers numériques": {program: m.ProgramDigitalAdvisers},
	"APTIC": {otherLabel: "APTIC", why: "APTIC (Pass numérique) is no v1 programme",
		whyFR: "APTIC (Pass numérique) n'est pas un dispositif de la v1"},
	"Pass numérique": {otherLabel: "Pass numérique", why: "the Pass numérique is no v1 programme",
		whyFR: "le Pass numérique n'est pas un dispositif de la v1"},
	"Aidants Connect":             {program: m.ProgramAidantsConnect},
	"Fabriques de Territoire":     {label: m.LabelFabriquesTerritoire},
	"Grandes écoles du numérique": {program: m.ProgramGrandeEcoleNumerique},
	"Point relais CAF":            {program: m.ProgramCAFDigitalPoint},
	"Point numérique CAF":         {program: m.ProgramCAFDigitalPoint},
	"Relais pôle emploi": {otherLabel: "Relais pôle emploi", why: "no v1 programme",
		whyFR: "pas un dispositif de la v1"},
	"French Tech": {otherLabel: "French Tech", why: "no v1 programme",
		whyFR: "pas un dispositif de la v1"},
	"Campus connecté": {otherLabel: "Campus connecté", why: "no v1 programme",
		whyFR: "pas un dispositif de la v1"},
}

// legacySupportModes maps the v0.1 sentences of modalites_accompagnement onto
// the v1 values.
var legacySupportModes = map[string]legacyTarget{
	"Seul : j'ai accès à du matériel et une connexion":                    {mode: m.SupportAutonomous},
	"Avec de l'aide : je suis accompagné seul dans l'usage du numérique":  {mode: m.SupportIndividual},
	"Dans un atelier : j'apprends collectivement à utiliser le numérique": {mode: m.SupportWorkshop},
	"A ma place : une personne habilitée fait les démarches à ma place": {mode: m.SupportIndividual,
		why:   "acting on someone's behalf is one-to-one support",
		whyFR: "agir à la place de quelqu'un est un accompagnement individuel"},
}

// LegacyMapping returns the v0.1 → v1 table, column by column, for
// documentation and audits: old value → new value(s) as "column: value".
func LegacyMapping() map[string]map[string]string {
	out := map[string]map[string]string{}
	for col, table := range map[string]map[string]legacyTarget{
		"services": legacyServices, "publics_accueillis": legacyPublics,
		"conditions_acces": legacyAccessConditions, "labels_nationaux": legacyLabels,
		"modalites_accompagnement": legacySupportModes,
	} {
		out[col] = map[string]string{}
		for old, t := range table {
			out[col][old] = t.describe()
		}
	}
	return out
}

func (t legacyTarget) describe() string {
	switch {
	case t.service != "":
		return "services: " + string(t.service)
	case t.public != "":
		return "publics_specifiquement_adresses: " + string(t.public)
	case t.support != "":
		return "prise_en_charge_specifique: " + string(t.support)
	case t.fee != "":
		return "frais_a_charge: " + string(t.fee)
	case t.program != "":
		return "dispositif_programmes_nationaux: " + string(t.program)
	case t.label != "":
		return "formations_labels: " + string(t.label)
	case t.mode != "":
		return "modalites_accompagnement: " + string(t.mode)
	case t.otherLabel != "":
		return "autres_formations_labels: " + t.otherLabel
	}
	return "(dropped)"
}
