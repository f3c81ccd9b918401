package coop

// The closed lists of La Coop's export, as labels (what the export prints)
// mapped to the stable keys this package uses. Labels are folded with
// foldHeader before lookup, so accents, case and apostrophes do not matter.
// Both the current labels and the older ones still found in files are
// listed.

// ActivityKind is the Coop activity type.
type ActivityKind string

// The activity types of an accompagnements export.
const (
	KindIndividual ActivityKind = "individuel"
	KindCollective ActivityKind = "collectif"
)

// Channel is where an activity happened ("Canaux d’accompagnement").
type Channel string

// The channels of La Coop.
const (
	ChannelPlace  Channel = "lieu_activite"
	ChannelHome   Channel = "domicile"
	ChannelRemote Channel = "a_distance"
	ChannelOther  Channel = "autre"
)

// Theme is a Coop theme key (the "Thématique(s) d’accompagnement" cell
// holds several labels, one per line).
type Theme string

// Autonomy is the autonomy reached in an individual activity ("1/3".."3/3").
type Autonomy string

// The autonomy levels of an individual activity.
const (
	AutonomyFullyAssisted     Autonomy = "entierement_accompagne"
	AutonomyPartlyAutonomous  Autonomy = "partiellement_autonome"
	AutonomyAutonomous        Autonomy = "autonome"
	WorkshopLevelBeginner     Autonomy = "debutant"
	WorkshopLevelIntermediate Autonomy = "intermediaire"
	WorkshopLevelAdvanced     Autonomy = "avance"
)

// Gender is the beneficiary's gender as recorded by the mediator.
type Gender string

// The genders of La Coop.
const (
	GenderMale    Gender = "masculin"
	GenderFemale  Gender = "feminin"
	GenderUnknown Gender = "non_communique"
)

// AgeBand is La Coop's age band.
type AgeBand string

// La Coop's age bands.
const (
	AgeMinor   AgeBand = "mineur" // current exports: under 18
	AgeUnder12 AgeBand = "moins_de_12"
	Age12To17  AgeBand = "12_18"
	Age18To24  AgeBand = "18-24"
	Age25To39  AgeBand = "25-39"
	Age40To59  AgeBand = "40-59"
	Age60To69  AgeBand = "60-69"
	Age70Plus  AgeBand = "70+"
	AgeUnknown AgeBand = "non_communique"
)

// Status is the beneficiary's social status.
type Status string

// La Coop's social statuses.
const (
	StatusStudent    Status = "scolarise"
	StatusUnemployed Status = "sans_emploi"
	StatusEmployed   Status = "en_emploi"
	StatusRetired    Status = "retraite"
	StatusUnknown    Status = "non_communique"
)

var kindLabels = labelTable(map[string]ActivityKind{
	"Accompagnement individuel": KindIndividual,
	"Individuel":                KindIndividual,
	// Earlier versions of La Coop had a third type, one-to-one help with a
	// procedure: an individual accompaniment.
	"Aide aux démarches administratives": KindIndividual,
	"Atelier collectif":                  KindCollective,
	"Collectif":                          KindCollective,
})

var channelLabels = labelTable(map[string]Channel{
	"Lieu d’activité": ChannelPlace,
	"Lieu d’accueil":  ChannelPlace,
	"À domicile":      ChannelHome,
	"Domicile":        ChannelHome,
	"À distance":      ChannelRemote,
	"Autre lieu":      ChannelOther,
	"Autre":           ChannelOther,
})

// Theme keys. ThemeHealth is the one the Mon espace santé scheme counts.
const (
	ThemeDigitalDiagnosis  Theme = "diagnostic_numerique"
	ThemeDevices           Theme = "prendre_en_main_du_materiel"
	ThemeMaintenance       Theme = "maintenance_de_materiel"
	ThemeContents          Theme = "gerer_ses_contenus_numeriques"
	ThemeBrowsing          Theme = "navigation_sur_internet"
	ThemeEmail             Theme = "email"
	ThemeOffice            Theme = "bureautique"
	ThemeSocialNetworks    Theme = "reseaux_sociaux"
	ThemeHealth            Theme = "sante"
	ThemeBanking           Theme = "banque_et_achats_en_ligne"
	ThemeProfessional      Theme = "entrepreneuriat"
	ThemeEmployment        Theme = "insertion_professionnelle"
	ThemeSecurity          Theme = "securite_numerique"
	ThemeParenting         Theme = "parentalite"
	ThemeSchooling         Theme = "scolarite_et_numerique"
	ThemeCreating          Theme = "creer_avec_le_numerique"
	ThemeCulture           Theme = "culture_numerique"
	ThemeAI                Theme = "intelligence_artificielle"
	ThemeAdministrative    Theme = "aide_aux_demarches_administratives"
	ThemeAdminPapers       Theme = "papiers_elections_citoyennete"
	ThemeAdminFamily       Theme = "famille_scolarite"
	ThemeAdminSocialHealth Theme = "social_sante"
	ThemeAdminWork         Theme = "travail_formation"
	ThemeAdminHousing      Theme = "logement"
	ThemeAdminTransport    Theme = "transports_mobilite"
	ThemeAdminMoney        Theme = "argent_impots"
	ThemeAdminJustice      Theme = "justice"
	ThemeAdminForeigners   Theme = "etrangers_europe"
	ThemeAdminLeisure      Theme = "loisirs_sports_culture"
	ThemeAdminAssociations Theme = "associations"
)

var themeLabels = labelTable(map[string]Theme{
	"Diagnostic numérique":               ThemeDigitalDiagnosis,
	"Prendre en main du matériel":        ThemeDevices,
	"Maintenance de matériel":            ThemeMaintenance,
	"Gérer ses contenus numériques":      ThemeContents,
	"Navigation sur internet":            ThemeBrowsing,
	"E-mail":                             ThemeEmail,
	"Email":                              ThemeEmail,
	"Bureautique":                        ThemeOffice,
	"Réseaux sociaux communication":      ThemeSocialNetworks,
	"Réseaux sociaux":                    ThemeSocialNetworks,
	"Santé":                              ThemeHealth,
	"Banque et achats en ligne":          ThemeBanking,
	"Entrepreneuriat":                    ThemeProfessional,
	"Accompagner un professionnel":       ThemeProfessional,
	"Insertion professionnelle":          ThemeEmployment,
	"Prévention en sécurité numérique":   ThemeSecurity,
	"Sécurité numérique":                 ThemeSecurity,
	"Parentalité":                        ThemeParenting,
	"Scolarité et numérique":             ThemeSchooling,
	"Créer avec le numérique":            ThemeCreating,
	"Culture numérique":                  ThemeCulture,
	"Intelligence artificielle (IA)":     ThemeAI,
	"Aide aux démarches administratives": ThemeAdministrative,
	"Papiers - Élections Citoyenneté":    ThemeAdminPapers,
	"Famille - Scolarité":                ThemeAdminFamily,
	"Social - Santé":                     ThemeAdminSocialHealth,
	"Travail - Formation":                ThemeAdminWork,
	"Travail - Formation - Entreprise":   ThemeAdminWork,
	"Logement":                           ThemeAdminHousing,
	"Transports - Mobilité":              ThemeAdminTransport,
	"Argent - Impôts":                    ThemeAdminMoney,
	"Justice":                            ThemeAdminJustice,
	"Étrangers - Europe":                 ThemeAdminForeigners,
	"Loisirs - Sports Culture":           ThemeAdminLeisure,
	"Associations":                       ThemeAdminAssociations,
})

// Equipment is the digital equipment used.
type Equipment string

// La Coop's equipment values.
const (
	EquipmentComputer Equipment = "ordinateur"
	EquipmentPhone    Equipment = "telephone"
	EquipmentTablet   Equipment = "tablette"
	EquipmentOther    Equipment = "autre"
	EquipmentNone     Equipment = "aucun"
)

var equipmentLabels = labelTable(map[string]Equipment{
	"Ordinateur":      EquipmentComputer,
	"Téléphone":       EquipmentPhone,
	"Smartphone":      EquipmentPhone,
	"Tablette":        EquipmentTablet,
	"Autre":           EquipmentOther,
	"Pas de matériel": EquipmentNone,
	"Aucun":           EquipmentNone,
})

var genderLabels = labelTable(map[string]Gender{
	"Masculin":       GenderMale,
	"Homme":          GenderMale,
	"Féminin":        GenderFemale,
	"Femme":          GenderFemale,
	"Non communiqué": GenderUnknown,
	"":               GenderUnknown,
})

var ageBandLabels = labelTable(map[string]AgeBand{
	"Mineur(e)":       AgeMinor,
	"Mineur":          AgeMinor,
	"Moins de 12 ans": AgeMinor,
	"12 - 18 ans":     AgeMinor,
	"18 - 24 ans":     Age18To24,
	"25 - 39 ans":     Age25To39,
	"40 - 59 ans":     Age40To59,
	"60 - 69 ans":     Age60To69,
	"70 ans ou plus":  Age70Plus,
	"70 ans et plus":  Age70Plus,
	"Non communiqué":  AgeUnknown,
	"":                AgeUnknown,
})

var statusLabels = labelTable(map[string]Status{
	"Scolarisé(e)":                 StatusStudent,
	"Scolarisé":                    StatusStudent,
	"Sans emploi":                  StatusUnemployed,
	"En emploi":                    StatusEmployed,
	"Retraité(e)":                  StatusRetired,
	"Retraité":                     StatusRetired,
	"Non communiqué ou hétérogène": StatusUnknown,
	"Non communiqué":               StatusUnknown,
	"":                             StatusUnknown,
})

// labelTable folds the labels of a closed list for lookup.
func labelTable[T any](m map[string]T) map[string]T {
	out := make(map[string]T, len(m))
	for k, v := range m {
		out[foldHeader(k)] = v
	}
	return out
}

// The redirection structures of La Coop (« Structure de redirection »), as
// the current export words them. The cell is a closed list, not free
// text: anything else is refused, so no name can slip into a record.
const (
	RedirectionOperator       = "Opérateur ou organisme en charge de la démarche administrative"
	RedirectionFranceServices = "Structure d’aide aux démarches administratives (France Services…)"
	RedirectionAdministration = "Administration (mairie, préfecture…)"
	RedirectionMediation      = "Autre structure de médiation numérique"
	RedirectionSocial         = "Structure d’aide sociale (maison des solidarités, centre social…)"
	RedirectionEmployment     = "Structure d’insertion professionnelle (France Travail, mission locale, chambre de commerce…)"
	RedirectionOther          = "Autre"
)

var redirectionLabels = labelTable(map[string]string{
	RedirectionOperator:                                 RedirectionOperator,
	RedirectionFranceServices:                           RedirectionFranceServices,
	RedirectionAdministration:                           RedirectionAdministration,
	"Administration (collectivité locale, préfecture…)": RedirectionAdministration,
	RedirectionMediation:                                RedirectionMediation,
	"Structure de médiation numérique":                  RedirectionMediation,
	RedirectionSocial:                                   RedirectionSocial,
	RedirectionEmployment:                               RedirectionEmployment,
	RedirectionOther:                                    RedirectionOther,
})
