// Package datainclusion imports the offer published by data·inclusion (the
// national repository of social-inclusion services, schema v1:
// gip-inclusion/data-inclusion-schema) as mediation places.
//
// A structure is a place; its services (matched by source and structure_id)
// say what it offers. Only structures with a digital-mediation offer become
// places: a thematique "numerique--…" (the 15 services of the mediation
// standard v0.1, slugified), an administrative-procedures or
// computer-access thematique, or a digital network among reseaux_porteurs
// (conseillers-numeriques, aidants-connect, france-service, …). Other
// structures are rejected with that reason, so the report still accounts
// for every one.
//
// Mapping onto the standard v1 (every value that has no v1 equivalent is a
// reason in the report):
//
//	siret → pivot; description → presentation_detail; horaires_accueil → horaires;
//	accessibilite_lieu → fiche_acces_libre; courriel → courriels; site_web → site_web
//	thematiques numerique--* → services, as the v0.1 → v1 table of package lamednum
//	acces-aux-droits-et-citoyennete--accompagnement-dans-les-demarches-administratives → Aide aux démarches administratives
//	equipement-et-alimentation--acces-a-du-materiel-informatique → Accès internet et matériel informatique
//	se-former--utiliser-le-numerique, illettrisme--utiliser-numerique → Maîtrise des outils numériques du quotidien
//	frais gratuit/payant → Gratuit/Payant
//	type atelier → Dans un atelier collectif; accompagnement → Accompagnement individuel;
//	modes_accueil a-distance → À distance
//	modes_mobilisation se-presenter/telephoner/envoyer-un-courriel/utiliser-lien-mobilisation
//	  → Se présenter/Téléphoner/Contacter par mail/Prendre un RDV en ligne (lien_mobilisation → prise_rdv)
//	publics jeunes/etudiants/familles/seniors/femmes → Jeunes/Étudiants/Familles et/ou enfants/Seniors/Femmes
//	reseaux_porteurs conseillers-numeriques/aidants-connect/france-service/grandes-ecoles-du-numerique/croix-rouge
//	  → Conseillers numériques/Aidants Connect/France Services/Grande école du numérique/La Croix Rouge;
//	  fabrique-de-territoire → formations_labels Fabriques de Territoire
package datainclusion

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	m "github.com/passerelle-sante/passerelle/mediation"
)

// Format names data·inclusion input in import reports.
const Format = "datainclusion-json"

// Options tunes Decode. The zero value works.
type Options struct {
	File     string
	Communes m.CommuneResolver
	// AllStructures keeps structures without a digital-mediation offer
	// (as places without services) instead of rejecting them.
	AllStructures bool
}

// Structure is a data·inclusion structure (schema v1, with the v0 names
// still found in exports).
type Structure struct {
	ID                string   `json:"id"`
	Source            string   `json:"source"`
	Name              string   `json:"nom"`
	SIRET             string   `json:"siret"`
	Commune           string   `json:"commune"`
	PostalCode        string   `json:"code_postal"`
	INSEECode         string   `json:"code_insee"`
	Address           string   `json:"adresse"`
	AddressComplement string   `json:"complement_adresse"`
	Latitude          *float64 `json:"latitude"`
	Longitude         *float64 `json:"longitude"`
	Phone             string   `json:"telephone"`
	Email             string   `json:"courriel"`
	Website           string   `json:"site_web"`
	Description       string   `json:"description"`
	Hours             string   `json:"horaires_accueil"`
	Accessibility     string   `json:"accessibilite_lieu"`
	Networks          []string `json:"reseaux_porteurs"`
	UpdatedAt         string   `json:"date_maj"`
	// v0 names.
	Summary       string   `json:"presentation_resume"`
	Detail        string   `json:"presentation_detail"`
	HoursV0       string   `json:"horaires_ouverture"`
	AccessV0      string   `json:"accessibilite"`
	LabelsV0      []string `json:"labels_nationaux"`
	ThematiquesV0 []string `json:"thematiques"`
}

// Service is a data·inclusion service (schema v1), the fields used here.
type Service struct {
	ID              string   `json:"id"`
	Source          string   `json:"source"`
	StructureID     string   `json:"structure_id"`
	Name            string   `json:"nom"`
	Type            string   `json:"type"`
	Thematiques     []string `json:"thematiques"`
	Fees            string   `json:"frais"`
	Publics         []string `json:"publics"`
	ReceptionModes  []string `json:"modes_accueil"`
	MobilisationWay []string `json:"modes_mobilisation"`
	MobilisationURL string   `json:"lien_mobilisation"`
	Hours           string   `json:"horaires_accueil"`
}

// Bundle is the document Decode reads: structures and their services. A
// bare JSON array of structures is read too.
type Bundle struct {
	Structures []Structure `json:"structures"`
	Services   []Service   `json:"services"`
}

// Looks reports whether data looks like data·inclusion JSON.
func Looks(data []byte) bool {
	t := bytes.TrimLeft(data, " \t\r\n\xef\xbb\xbf")
	if len(t) == 0 {
		return false
	}
	head := t[:min(len(t), 4096)]
	if t[0] == '{' {
		return bytes.Contains(head, []byte(`"structures"`))
	}
	return t[0] == '[' && (bytes.Contains(head, []byte(`"siret"`)) || bytes.Contains(head, []byte(`"reseaux_porteurs"`)) ||
		bytes.Contains(head, []byte(`"horaires_accueil"`)) || bytes.Contains(head, []byte(`"lien_source"`)))
}

// Decode reads a data·inclusion bundle ({"structures": [...], "services":
// [...]}) or an array of structures. Rows of the report are structures in
// order, then services whose structure is unknown.
func Decode(ctx context.Context, r io.Reader, opts Options) ([]m.Place, *m.ImportReport, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, nil, err
	}
	var b Bundle
	t := bytes.TrimLeft(data, " \t\r\n\xef\xbb\xbf")
	switch {
	case len(t) > 0 && t[0] == '[':
		err = json.Unmarshal(t, &b.Structures)
	default:
		err = json.Unmarshal(t, &b)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w: not data·inclusion JSON: %v", opts.File, m.ErrUnreadable, err)
	}
	batch := m.NewBatch(opts.File, Format, opts.Communes)
	type key struct{ source, id string }
	services := map[key][]Service{}
	for _, s := range b.Services {
		services[key{s.Source, s.StructureID}] = append(services[key{s.Source, s.StructureID}], s)
	}
	known := map[key]bool{}
	for i, st := range b.Structures {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		row := i + 1
		k := key{st.Source, st.ID}
		known[k] = true
		p, reasons, digital := structurePlace(st, services[k])
		if !digital && !opts.AllStructures {
			batch.Reject(row, st.ID, m.NewFieldError("thematiques", m.CodeDropped,
				"no digital-mediation offer (no numerique thematique or digital network); not a mediation place",
				"aucune offre de médiation numérique (ni thématique numerique, ni réseau numérique) ; pas un lieu de médiation"))
			continue
		}
		p.Provenance = []m.Provenance{{Source: st.Source, SourceID: st.ID, File: opts.File, Row: row}}
		batch.Add(row, p, reasons)
	}
	row := len(b.Structures)
	for i, s := range b.Services {
		if !known[key{s.Source, s.StructureID}] {
			row++
			batch.Reject(row, s.ID, m.NewFieldError("services["+strconv.Itoa(i)+"].structure_id", m.CodeRequired,
				"service %q refers to structure %q of source %q, which is not in the file",
				"le service %q renvoie à la structure %q de la source %q, absente du fichier", s.ID, s.StructureID, s.Source))
		}
	}
	return batch.Places, &batch.Report, nil
}

// structurePlace maps a structure and its services; digital reports
// whether it has a digital-mediation offer.
func structurePlace(st Structure, services []Service) (m.Place, []m.FieldError, bool) {
	var reasons []m.FieldError
	drop := func(field, v, en, fr string) {
		reasons = append(reasons, m.NewFieldError(field, m.CodeDropped, "%q "+en+"; dropped", "%q "+fr+" ; retiré", v))
	}
	p := m.Place{
		ID: st.ID, Pivot: st.SIRET, Name: st.Name, Commune: st.Commune, PostalCode: st.PostalCode,
		INSEECode: st.INSEECode, Address: st.Address, AddressComplement: st.AddressComplement,
		Phone: st.Phone, Source: st.Source, UpdatedAt: st.UpdatedAt,
		Detail:        firstNonEmpty(st.Description, st.Detail),
		Summary:       st.Summary,
		Hours:         firstNonEmpty(st.Hours, st.HoursV0),
		Accessibility: firstNonEmpty(st.Accessibility, st.AccessV0),
	}
	if st.Latitude != nil && st.Longitude != nil {
		p.Latitude, p.Longitude = *st.Latitude, *st.Longitude
	}
	if p.Phone != "" {
		if n, ok := m.NormalizePhone(p.Phone); ok {
			p.Phone = n
		}
	}
	if st.Email != "" {
		p.Emails = []string{st.Email}
	}
	if st.Website != "" {
		p.Websites = []string{st.Website}
	}
	digital := false
	for _, n := range append(append([]string{}, st.Networks...), st.LabelsV0...) {
		switch n {
		case "conseillers-numeriques":
			p.Programs = m.AppendUnique(p.Programs, m.ProgramDigitalAdvisers)
		case "aidants-connect":
			p.Programs = m.AppendUnique(p.Programs, m.ProgramAidantsConnect)
		case "france-service":
			p.Programs = m.AppendUnique(p.Programs, m.ProgramFranceServices)
		case "grandes-ecoles-du-numerique":
			p.Programs = m.AppendUnique(p.Programs, m.ProgramGrandeEcoleNumerique)
		case "croix-rouge":
			p.Programs = m.AppendUnique(p.Programs, m.ProgramRedCross)
		case "fabrique-de-territoire":
			p.Labels = m.AppendUnique(p.Labels, m.LabelFabriquesTerritoire)
		case "espaces-publics-numeriques":
			digital = true
		default:
			drop("reseaux_porteurs", n, "is no programme of the standard v1", "n'est pas un dispositif du standard v1")
			continue
		}
		digital = true
	}
	themes := append([]string{}, st.ThematiquesV0...)
	for _, s := range services {
		themes = append(themes, s.Thematiques...)
		switch s.Fees {
		case "gratuit":
			p.Fees = m.AppendUnique(p.Fees, m.FeeFree)
		case "payant":
			p.Fees = m.AppendUnique(p.Fees, m.FeePaid)
		}
		switch s.Type {
		case "atelier", "formation":
			p.SupportModes = m.AppendUnique(p.SupportModes, m.SupportWorkshop)
		case "accompagnement":
			p.SupportModes = m.AppendUnique(p.SupportModes, m.SupportIndividual)
		}
		for _, ma := range s.ReceptionModes {
			if ma == "a-distance" {
				p.SupportModes = m.AppendUnique(p.SupportModes, m.SupportRemote)
			}
		}
		for _, mm := range s.MobilisationWay {
			switch mm {
			case "se-presenter":
				p.AccessModes = m.AppendUnique(p.AccessModes, m.AccessWalkIn)
			case "telephoner":
				p.AccessModes = m.AppendUnique(p.AccessModes, m.AccessPhone)
			case "envoyer-un-courriel":
				p.AccessModes = m.AppendUnique(p.AccessModes, m.AccessEmail)
			case "utiliser-lien-mobilisation":
				p.AccessModes = m.AppendUnique(p.AccessModes, m.AccessOnlineBooking)
				if p.Booking == "" {
					p.Booking = s.MobilisationURL
				}
			}
		}
		for _, pu := range s.Publics {
			if v, ok := publics[pu]; ok {
				p.Publics = m.AppendUnique(p.Publics, v)
			} else {
				drop("publics", pu, "has no equivalent in the standard v1", "n'a pas d'équivalent dans le standard v1")
			}
		}
		if p.Hours == "" {
			p.Hours = s.Hours
		}
	}
	for _, th := range themes {
		if sv, ok := ThemeService(th); ok {
			p.Services = m.AppendUnique(p.Services, sv)
			digital = true
		} else if strings.HasPrefix(th, "numerique") {
			digital = true
		}
	}
	if slices.Contains(themes, "illettrisme--utiliser-numerique") {
		p.SpecificSupport = m.AppendUnique(p.SpecificSupport, m.SupportIlliteracy)
	}
	return p, reasons, digital
}

var publics = map[string]m.Public{
	"jeunes": m.PublicYoung, "etudiants": m.PublicStudents, "familles": m.PublicFamilies,
	"seniors": m.PublicSeniors, "femmes": m.PublicWomen,
}

// ThemeService returns the v1 service a data·inclusion thematique stands
// for, if any.
func ThemeService(thematique string) (m.Service, bool) {
	switch thematique {
	case "numerique--devenir-autonome-dans-les-demarches-administratives",
		"numerique--realiser-des-demarches-administratives-avec-un-accompagnement",
		"numerique--accompagner-les-demarches-de-sante",
		"acces-aux-droits-et-citoyennete--accompagnement-dans-les-demarches-administratives":
		return m.ServiceAdministrativeProcedures, true
	case "numerique--prendre-en-main-un-smartphone-ou-une-tablette",
		"numerique--prendre-en-main-un-ordinateur",
		"numerique--utiliser-le-numerique-au-quotidien",
		"se-former--utiliser-le-numerique",
		"illettrisme--utiliser-numerique":
		return m.ServiceEverydayTools, true
	case "numerique--approfondir-ma-culture-numerique", "numerique--promouvoir-la-citoyennete-numerique":
		return m.ServiceDigitalCulture, true
	case "numerique--favoriser-mon-insertion-professionnelle", "numerique--creer-et-developper-mon-entreprise":
		return m.ServiceEmployment, true
	case "numerique--acceder-a-une-connexion-internet", "numerique--acceder-a-du-materiel",
		"equipement-et-alimentation--acces-a-du-materiel-informatique":
		return m.ServiceInternetEquipmentAccess, true
	case "numerique--s-equiper-en-materiel-informatique":
		return m.ServiceAffordableEquipment, true
	case "numerique--creer-avec-le-numerique":
		return m.ServiceLeisureCreation, true
	case "numerique--soutenir-la-parentalite-et-l-education-avec-le-numerique":
		return m.ServiceParenting, true
	}
	return "", false
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}
