package mediation

import (
	"strings"
	"unicode"
)

// The enumerations below are the closed lists of the national standard of
// mediation places (LaMednum standard-mediation-num v1.0.x). Their values are
// wire values: they keep the exact French wording of the standard, accents
// and French quotes included, because the standard's validators compare them
// byte for byte.

// Service is one kind of help a place offers (column services).
type Service string

// The services of the v1 standard.
const (
	ServiceAdministrativeProcedures Service = "Aide aux démarches administratives"
	ServiceEverydayTools            Service = "Maîtrise des outils numériques du quotidien"
	ServiceEmployment               Service = "Insertion professionnelle via le numérique"
	ServiceSafeUse                  Service = "Utilisation sécurisée du numérique"
	ServiceParenting                Service = "Parentalité et éducation avec le numérique"
	ServiceLeisureCreation          Service = "Loisirs et créations numériques"
	ServiceDigitalCulture           Service = "Compréhension du monde numérique"
	ServiceInternetEquipmentAccess  Service = "Accès internet et matériel informatique"
	ServiceAffordableEquipment      Service = "Acquisition de matériel informatique à prix solidaire"
)

// AllServices returns the services of the standard in its order.
func AllServices() []Service {
	return []Service{
		ServiceAdministrativeProcedures, ServiceEverydayTools, ServiceEmployment,
		ServiceSafeUse, ServiceParenting, ServiceLeisureCreation, ServiceDigitalCulture,
		ServiceInternetEquipmentAccess, ServiceAffordableEquipment,
	}
}

// Valid reports whether s is a value of the standard.
func (s Service) Valid() bool { return member(s, AllServices()) }

// Public is a public a place specifically addresses
// (column publics_specifiquement_adresses).
type Public string

// The publics of the v1 standard.
const (
	PublicYoung    Public = "Jeunes"
	PublicStudents Public = "Étudiants"
	PublicFamilies Public = "Familles et/ou enfants"
	PublicSeniors  Public = "Seniors"
	PublicWomen    Public = "Femmes"
)

// AllPublics returns the publics of the standard in its order.
func AllPublics() []Public {
	return []Public{PublicYoung, PublicStudents, PublicFamilies, PublicSeniors, PublicWomen}
}

// Valid reports whether p is a value of the standard.
func (p Public) Valid() bool { return member(p, AllPublics()) }

// SpecificSupport is a particular need a place is able to support
// (column prise_en_charge_specifique).
type SpecificSupport string

// The specific supports of the v1 standard.
const (
	SupportDeafness         SpecificSupport = "Surdité"
	SupportMotorDisability  SpecificSupport = "Handicaps moteurs"
	SupportMentalDisability SpecificSupport = "Handicaps mentaux"
	SupportIlliteracy       SpecificSupport = "Illettrisme"
	SupportEnglish          SpecificSupport = "Langues étrangères (anglais)"
	SupportOtherLanguages   SpecificSupport = "Langues étrangères (autres)"
	SupportVisualImpairment SpecificSupport = "Déficience visuelle"
)

// AllSpecificSupports returns the specific supports of the standard in its order.
func AllSpecificSupports() []SpecificSupport {
	return []SpecificSupport{
		SupportDeafness, SupportMotorDisability, SupportMentalDisability, SupportIlliteracy,
		SupportEnglish, SupportOtherLanguages, SupportVisualImpairment,
	}
}

// Valid reports whether s is a value of the standard.
func (s SpecificSupport) Valid() bool { return member(s, AllSpecificSupports()) }

// Fee is a financial condition of access (column frais_a_charge).
type Fee string

// The fees of the v1 standard.
const (
	FeeFree            Fee = "Gratuit"
	FeeFreeConditional Fee = "Gratuit sous condition"
	FeePaid            Fee = "Payant"
)

// AllFees returns the fees of the standard in its order.
func AllFees() []Fee { return []Fee{FeeFree, FeeFreeConditional, FeePaid} }

// Valid reports whether f is a value of the standard.
func (f Fee) Valid() bool { return member(f, AllFees()) }

// Program is a national scheme or programme the place belongs to
// (column dispositif_programmes_nationaux).
type Program string

// The national schemes and programmes of the v1 standard.
const (
	ProgramAidantsConnect       Program = "Aidants Connect"
	ProgramReferenceLibraries   Program = "Bibliothèques numérique de référence"
	ProgramPixCertification     Program = "Certification PIX"
	ProgramDigitalAdvisers      Program = "Conseillers numériques"
	ProgramEmmausConnect        Program = "Emmaüs Connect"
	ProgramFranceServices       Program = "France Services"
	ProgramGrandeEcoleNumerique Program = "Grande école du numérique"
	ProgramRedCross             Program = "La Croix Rouge"
	ProgramCAFDigitalPoint      Program = "Point d'accès numérique CAF"
	ProgramPromeneursDuNet      Program = "Promeneurs du net"
	ProgramEmmausConnectRelay   Program = "Relais numérique (Emmaüs Connect)"
)

// AllPrograms returns the national programmes of the standard in its order.
func AllPrograms() []Program {
	return []Program{
		ProgramAidantsConnect, ProgramReferenceLibraries, ProgramPixCertification,
		ProgramDigitalAdvisers, ProgramEmmausConnect, ProgramFranceServices,
		ProgramGrandeEcoleNumerique, ProgramRedCross, ProgramCAFDigitalPoint,
		ProgramPromeneursDuNet, ProgramEmmausConnectRelay,
	}
}

// Valid reports whether p is a value of the standard.
func (p Program) Valid() bool { return member(p, AllPrograms()) }

// Label is a training or label the place holds (column formations_labels).
type Label string

// The trainings and labels of the v1 standard.
const (
	LabelFormeMonEspaceSante Label = "Formé à « Mon Espace Santé »"
	LabelFormeDuplex         Label = "Formé à « DUPLEX » (illettrisme)"
	LabelArniaMedNumBFC      Label = "Arnia/MedNum BFC (Bourgogne-Franche-Comté)"
	LabelCollectifReemploi   Label = "Collectif ressources et acteurs réemploi (Normandie)"
	LabelFabriquesTerritoire Label = "Fabriques de Territoire"
	LabelEclaireursNumerique Label = "Les Éclaireurs du numérique (Drôme)"
	LabelMesPapiers          Label = "Mes Papiers (Métropole de Lyon)"
	LabelOrdi3               Label = "ORDI 3.0"
	LabelSudLabs             Label = "SUD LABS (PACA)"
)

// AllLabels returns the trainings and labels of the standard in its order.
func AllLabels() []Label {
	return []Label{
		LabelFormeMonEspaceSante, LabelFormeDuplex, LabelArniaMedNumBFC,
		LabelCollectifReemploi, LabelFabriquesTerritoire, LabelEclaireursNumerique,
		LabelMesPapiers, LabelOrdi3, LabelSudLabs,
	}
}

// Valid reports whether l is a value of the standard.
func (l Label) Valid() bool { return member(l, AllLabels()) }

// AccessMode is a way to get to the place's services (column modalites_acces).
type AccessMode string

// The access modes of the v1 standard.
const (
	AccessWalkIn        AccessMode = "Se présenter"
	AccessPhone         AccessMode = "Téléphoner"
	AccessEmail         AccessMode = "Contacter par mail"
	AccessOnlineBooking AccessMode = "Prendre un RDV en ligne"
	AccessNoPublic      AccessMode = "Ce lieu n'accueille pas de public"
	AccessPrescription  AccessMode = "Envoyer un mail avec une fiche de prescription"
)

// AllAccessModes returns the access modes of the standard in its order.
func AllAccessModes() []AccessMode {
	return []AccessMode{AccessWalkIn, AccessPhone, AccessEmail, AccessOnlineBooking, AccessNoPublic, AccessPrescription}
}

// Valid reports whether a is a value of the standard.
func (a AccessMode) Valid() bool { return member(a, AllAccessModes()) }

// SupportMode is a way the place accompanies people
// (column modalites_accompagnement).
type SupportMode string

// The support modes of the v1 standard.
const (
	SupportAutonomous SupportMode = "En autonomie"
	SupportIndividual SupportMode = "Accompagnement individuel"
	SupportWorkshop   SupportMode = "Dans un atelier collectif"
	SupportRemote     SupportMode = "À distance"
)

// AllSupportModes returns the support modes of the standard in its order.
func AllSupportModes() []SupportMode {
	return []SupportMode{SupportAutonomous, SupportIndividual, SupportWorkshop, SupportRemote}
}

// Valid reports whether s is a value of the standard.
func (s SupportMode) Valid() bool { return member(s, AllSupportModes()) }

// Itinerance says whether the place is mobile (a bus, a van) or fixed
// (column itinerance).
type Itinerance string

// The itinerance values of the v1 standard.
const (
	ItineranceMobile Itinerance = "Itinérant"
	ItineranceFixed  Itinerance = "Fixe"
)

// AllItinerances returns the itinerance values of the standard in its order.
func AllItinerances() []Itinerance { return []Itinerance{ItineranceMobile, ItineranceFixed} }

// Valid reports whether i is a value of the standard.
func (i Itinerance) Valid() bool { return member(i, AllItinerances()) }

func member[T ~string](v T, all []T) bool {
	for _, a := range all {
		if a == v {
			return true
		}
	}
	return false
}

// Lookup finds the value of all that raw names, tolerating what real files
// get wrong: case, missing accents, curly apostrophes, doubled spaces. It
// returns false when raw names no value; the caller decides whether that is a
// repair or a rejection.
func Lookup[T ~string](raw string, all []T) (T, bool) {
	if v := T(strings.TrimSpace(raw)); member(v, all) {
		return v, true
	}
	key := foldValue(raw)
	for _, a := range all {
		if foldValue(string(a)) == key {
			return a, true
		}
	}
	var zero T
	return zero, false
}

// foldValue reduces an enumeration value to a comparison key: lower case, no
// diacritics, straight apostrophes, single spaces.
func foldValue(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		r = unaccent(r)
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == '’' || r == '‘' || r == '`':
			r = '\''
		case r == '\u00a0' || unicode.IsSpace(r):
			if !space && b.Len() > 0 {
				space = true
			}
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// unaccent maps the accented letters of French (and a few neighbours) to
// their lower-case base letter; enough for comparison keys without a Unicode
// normalisation dependency.
func unaccent(r rune) rune {
	if r < 0xC0 {
		return r
	}
	for _, g := range [...]struct {
		base     rune
		accented string
	}{
		{'a', "àâäáãåÀÂÄÁÃÅ"}, {'c', "çÇ"}, {'e', "éèêëÉÈÊË"}, {'i', "îïíìÎÏÍÌ"},
		{'o', "ôöóòõÔÖÓÒÕ"}, {'u', "ùûüúÙÛÜÚ"}, {'y', "ÿýŸÝ"}, {'n', "ñÑ"},
	} {
		if strings.ContainsRune(g.accented, r) {
			return g.base
		}
	}
	return r
}
