package referral

import (
	"slices"

	"github.com/passerelle-sante/passerelle/assessment"
	"github.com/passerelle-sante/passerelle/mediation"
)

// PathwayID is the stable identifier of a kind of help. It is a wire value:
// rules files, referral records, exports and plugins use it.
type PathwayID string

// The kinds of help of the scheme. The seeds give the desk three aims (an
// immediate answer to the caller, an assessment of digital distance, and a
// place of physical or hybrid mediation for lasting autonomy); these are
// the ways to reach them.
const (
	// PathwayImmediateAnswer: the desk answers the caller's question now.
	PathwayImmediateAnswer PathwayID = "immediate_answer"
	// PathwaySelfGuide: a step-by-step guide the person follows alone.
	PathwaySelfGuide PathwayID = "self_guide"
	// PathwayCPAMWorkshopIndividual: a one-to-one digital workshop of the CPAM.
	PathwayCPAMWorkshopIndividual PathwayID = "cpam_workshop_individual"
	// PathwayCPAMWorkshopCollective: a group digital workshop of the CPAM.
	PathwayCPAMWorkshopCollective PathwayID = "cpam_workshop_collective"
	// PathwayMediationPlace: reinforced accompaniment in a digital-mediation
	// place, physical or hybrid.
	PathwayMediationPlace PathwayID = "mediation_place"
	// PathwayAmbassadorAction: a Mon espace santé ambassador action
	// (activation workshop, account-opening stand).
	PathwayAmbassadorAction PathwayID = "ambassador_action"
	// PathwayMissionAccompagnementSante: a referral form to the CPAM's
	// Mission accompagnement santé.
	PathwayMissionAccompagnementSante PathwayID = "mission_accompagnement_sante"
	// PathwayAidantsConnect: a trained helper who acts under mandate.
	PathwayAidantsConnect PathwayID = "aidants_connect"
	// PathwayFranceServices: a France Services site.
	PathwayFranceServices PathwayID = "france_services"
	// PathwayPassNumerique: digital-mediation vouchers.
	PathwayPassNumerique PathwayID = "pass_numerique"
	// PathwayEquipmentAccess: getting equipment or a connection first.
	PathwayEquipmentAccess PathwayID = "equipment_access"
	// PathwayRemoteMediation: mediation by phone or video.
	PathwayRemoteMediation PathwayID = "remote_mediation"
)

// PlaceNeeds is what a pathway asks of the directory of places. A pathway
// that needs no place (the desk's own answer, a guide, a CPAM form) has
// NeedsPlace false and the rest empty.
type PlaceNeeds struct {
	// NeedsPlace is true when the pathway sends the person to a place.
	NeedsPlace bool `json:"needs_place"`
	// AnyService: the place offers at least one of these services.
	AnyService []mediation.Service `json:"any_service,omitempty"`
	// AnyProgram: the place belongs to at least one of these national
	// programmes.
	AnyProgram []mediation.Program `json:"any_program,omitempty"`
	// AnySupportMode: the place accompanies in at least one of these ways.
	AnySupportMode []mediation.SupportMode `json:"any_support_mode,omitempty"`
	// PreferredLabels rank a place higher without excluding the others.
	PreferredLabels []mediation.Label `json:"preferred_labels,omitempty"`
}

// Pathway is one kind of help, with its names and description in French
// and English and what it needs from the directory.
type Pathway struct {
	ID          PathwayID       `json:"id"`
	Title       assessment.Text `json:"title"`
	Description assessment.Text `json:"description"`
	Places      PlaceNeeds      `json:"places"`
}

// Matches reports whether place p fits the pathway's needs. A pathway that
// needs no place matches no place.
func (pw Pathway) Matches(p *mediation.Place) bool {
	n := &pw.Places
	if !n.NeedsPlace {
		return false
	}
	if len(n.AnyService) > 0 && !slices.ContainsFunc(n.AnyService, p.HasService) {
		return false
	}
	if len(n.AnyProgram) > 0 && !slices.ContainsFunc(n.AnyProgram, p.HasProgram) {
		return false
	}
	if len(n.AnySupportMode) > 0 && !slices.ContainsFunc(n.AnySupportMode, p.HasSupportMode) {
		return false
	}
	return true
}

// Catalogue is an immutable set of pathways, looked up by id.
type Catalogue struct {
	list []Pathway
}

// DefaultCatalogue returns the national catalogue of pathways, in a stable
// order (the order of the constants above). Each call returns a fresh
// catalogue: callers may not share mutations by accident.
func DefaultCatalogue() *Catalogue {
	return &Catalogue{list: defaultPathways()}
}

// Pathways returns every pathway in catalogue order. The slice is a copy.
func (c *Catalogue) Pathways() []Pathway { return slices.Clone(c.list) }

// Pathway returns the pathway with the given id.
func (c *Catalogue) Pathway(id PathwayID) (Pathway, bool) {
	for _, p := range c.list {
		if p.ID == id {
			return p, true
		}
	}
	return Pathway{}, false
}

// IDs returns the ids of every pathway, in catalogue order.
func (c *Catalogue) IDs() []PathwayID {
	ids := make([]PathwayID, len(c.list))
	for i, p := range c.list {
		ids[i] = p.ID
	}
	return ids
}

func defaultPathways() []Pathway {
	mes := []mediation.Label{mediation.LabelFormeMonEspaceSante}
	return []Pathway{
		{
			ID: PathwayImmediateAnswer,
			Title: assessment.Text{
				FR: "Réponse immédiate",
				EN: "Immediate answer",
			},
			Description: assessment.Text{
				FR: "Le conseiller répond tout de suite à la question posée pendant l'appel.",
				EN: "The advisor answers the caller's question right away, during the call.",
			},
		},
		{
			ID:    PathwaySelfGuide,
			Title: assessment.Text{FR: "Guide pas à pas", EN: "Step-by-step guide"},
			Description: assessment.Text{
				FR: "Un guide à suivre seul(e), envoyé ou lu avec le conseiller, pour faire la démarche soi-même.",
				EN: "A guide to follow on one's own, sent or read with the advisor, to do the procedure oneself.",
			},
		},
		{
			ID: PathwayCPAMWorkshopIndividual,
			Title: assessment.Text{
				FR: "Atelier numérique individuel de la CPAM",
				EN: "One-to-one digital workshop of the CPAM",
			},
			Description: assessment.Text{
				FR: "Un rendez-vous individuel avec un conseiller de l'Assurance Maladie pour prendre en main le compte ameli et Mon espace santé.",
				EN: "A one-to-one appointment with an Assurance Maladie advisor to get to grips with the ameli account and Mon espace santé.",
			},
		},
		{
			ID: PathwayCPAMWorkshopCollective,
			Title: assessment.Text{
				FR: "Atelier numérique collectif de la CPAM",
				EN: "Group digital workshop of the CPAM",
			},
			Description: assessment.Text{
				FR: "Un atelier en petit groupe animé par l'Assurance Maladie sur les services en ligne de santé.",
				EN: "A small-group workshop run by the Assurance Maladie on online health services.",
			},
		},
		{
			ID: PathwayMediationPlace,
			Title: assessment.Text{
				FR: "Lieu de médiation numérique",
				EN: "Digital-mediation place",
			},
			Description: assessment.Text{
				FR: "Un accompagnement renforcé, sur place ou à distance, par un médiateur numérique près de chez vous, jusqu'à l'autonomie.",
				EN: "Reinforced accompaniment, on site or remotely, by a digital mediator near home, until the person is autonomous.",
			},
			Places: PlaceNeeds{
				NeedsPlace: true,
				AnyService: []mediation.Service{
					mediation.ServiceEverydayTools,
					mediation.ServiceAdministrativeProcedures,
				},
				AnySupportMode: []mediation.SupportMode{
					mediation.SupportIndividual,
					mediation.SupportWorkshop,
				},
				PreferredLabels: mes,
			},
		},
		{
			ID: PathwayAmbassadorAction,
			Title: assessment.Text{
				FR: "Action d'un ambassadeur Mon espace santé",
				EN: "Mon espace santé ambassador action",
			},
			Description: assessment.Text{
				FR: "Un atelier d'activation ou un stand d'ouverture de compte Mon espace santé tenu par un ambassadeur formé.",
				EN: "An activation workshop or an account-opening stand for Mon espace santé run by a trained ambassador.",
			},
			Places: PlaceNeeds{
				NeedsPlace:      true,
				PreferredLabels: mes,
			},
		},
		{
			ID: PathwayMissionAccompagnementSante,
			Title: assessment.Text{
				FR: "Mission accompagnement santé",
				EN: "Mission accompagnement santé (CPAM health support)",
			},
			Description: assessment.Text{
				FR: "Une fiche de signalement envoyée à la CPAM, qui rappelle la personne pour l'aider dans son accès aux soins et à ses droits.",
				EN: "A referral form sent to the CPAM, which calls the person back to help with access to care and rights.",
			},
		},
		{
			ID:    PathwayAidantsConnect,
			Title: assessment.Text{FR: "Aidants Connect", EN: "Aidants Connect"},
			Description: assessment.Text{
				FR: "Un aidant professionnel habilité fait les démarches en ligne pour la personne, avec son mandat.",
				EN: "A certified professional helper does the online procedures for the person, under their mandate.",
			},
			Places: PlaceNeeds{
				NeedsPlace: true,
				AnyProgram: []mediation.Program{mediation.ProgramAidantsConnect},
			},
		},
		{
			ID:    PathwayFranceServices,
			Title: assessment.Text{FR: "France Services", EN: "France Services"},
			Description: assessment.Text{
				FR: "Un guichet France Services, où des agents aident aux démarches de plusieurs administrations, dont l'Assurance Maladie.",
				EN: "A France Services desk, where agents help with the procedures of several administrations, the Assurance Maladie among them.",
			},
			Places: PlaceNeeds{
				NeedsPlace: true,
				AnyProgram: []mediation.Program{mediation.ProgramFranceServices},
			},
		},
		{
			ID:    PathwayPassNumerique,
			Title: assessment.Text{FR: "Pass numérique", EN: "Pass numérique (digital vouchers)"},
			Description: assessment.Text{
				FR: "Des chèques qui paient des heures d'accompagnement dans un lieu de médiation qualifié.",
				EN: "Vouchers that pay for hours of accompaniment in a qualified mediation place.",
			},
			Places: PlaceNeeds{
				NeedsPlace: true,
				AnyService: []mediation.Service{
					mediation.ServiceEverydayTools,
					mediation.ServiceAdministrativeProcedures,
				},
			},
		},
		{
			ID: PathwayEquipmentAccess,
			Title: assessment.Text{
				FR: "Équipement et connexion",
				EN: "Equipment and connection",
			},
			Description: assessment.Text{
				FR: "Un accès à un ordinateur et à internet, ou du matériel à prix solidaire, avant tout accompagnement.",
				EN: "Access to a computer and the internet, or low-cost equipment, before any accompaniment.",
			},
			Places: PlaceNeeds{
				NeedsPlace: true,
				AnyService: []mediation.Service{
					mediation.ServiceInternetEquipmentAccess,
					mediation.ServiceAffordableEquipment,
				},
			},
		},
		{
			ID: PathwayRemoteMediation,
			Title: assessment.Text{
				FR: "Médiation numérique à distance",
				EN: "Remote digital mediation",
			},
			Description: assessment.Text{
				FR: "Un médiateur accompagne la personne par téléphone ou en visio, quand aucun lieu n'est à portée.",
				EN: "A mediator helps the person by phone or video, when no place is within reach.",
			},
			Places: PlaceNeeds{
				NeedsPlace:     true,
				AnySupportMode: []mediation.SupportMode{mediation.SupportRemote},
			},
		},
	}
}
