package wire

import (
	"github.com/passerelle-sante/passerelle/mediation"
	pb "github.com/passerelle-sante/passerelle/plugins/proto"
)

// Places cross as typed messages, not JSON records: decoding JSON cost
// about three quarters of a stream's time.

func strs[T ~string](vs []T) []string {
	if len(vs) == 0 {
		return nil
	}
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

func typed[T ~string](vs []string) []T {
	if len(vs) == 0 {
		return nil
	}
	out := make([]T, len(vs))
	for i, v := range vs {
		out[i] = T(v)
	}
	return out
}

func plain(vs []string) []string {
	if len(vs) == 0 {
		return nil
	}
	return vs
}

// PlaceToPB converts a place for the wire.
func PlaceToPB(p *mediation.Place) *pb.Place {
	m := &pb.Place{
		Id: p.ID, Pivot: p.Pivot, Nom: p.Name, Commune: p.Commune, CodePostal: p.PostalCode,
		CodeInsee: p.INSEECode, Adresse: p.Address, ComplementAdresse: p.AddressComplement,
		Latitude: p.Latitude, Longitude: p.Longitude, Typologie: p.Typology, Telephone: p.Phone,
		Courriels: p.Emails, SiteWeb: p.Websites, Horaires: p.Hours, PresentationResume: p.Summary,
		PresentationDetail: p.Detail, Source: p.Source, Itinerance: strs(p.Itinerance),
		StructureParente: p.ParentStructure, DateMaj: p.UpdatedAt, Services: strs(p.Services),
		PublicsSpecifiquementAdresses: strs(p.Publics), PriseEnChargeSpecifique: strs(p.SpecificSupport),
		FraisACharge: strs(p.Fees), DispositifProgrammesNationaux: strs(p.Programs),
		FormationsLabels: strs(p.Labels), AutresFormationsLabels: p.OtherLabels,
		ModalitesAcces: strs(p.AccessModes), ModalitesAccompagnement: strs(p.SupportModes),
		FicheAccesLibre: p.Accessibility, PriseRdv: p.Booking, Flags: strs(p.Flags),
	}
	if len(p.Provenance) > 0 {
		m.Provenance = make([]*pb.Provenance, len(p.Provenance))
		for i, pv := range p.Provenance {
			m.Provenance[i] = &pb.Provenance{Source: pv.Source, SourceId: pv.SourceID, File: pv.File, Row: int32(pv.Row)}
		}
	}
	return m
}

// PlaceFromPB converts a place from the wire. Values are taken as sent;
// the host validates places before it trusts them.
func PlaceFromPB(m *pb.Place) mediation.Place {
	p := mediation.Place{
		ID: m.GetId(), Pivot: m.GetPivot(), Name: m.GetNom(), Commune: m.GetCommune(), PostalCode: m.GetCodePostal(),
		INSEECode: m.GetCodeInsee(), Address: m.GetAdresse(), AddressComplement: m.GetComplementAdresse(),
		Latitude: m.GetLatitude(), Longitude: m.GetLongitude(), Typology: plain(m.GetTypologie()), Phone: m.GetTelephone(),
		Emails: plain(m.GetCourriels()), Websites: plain(m.GetSiteWeb()), Hours: m.GetHoraires(), Summary: m.GetPresentationResume(),
		Detail: m.GetPresentationDetail(), Source: m.GetSource(), Itinerance: typed[mediation.Itinerance](m.GetItinerance()),
		ParentStructure: m.GetStructureParente(), UpdatedAt: m.GetDateMaj(), Services: typed[mediation.Service](m.GetServices()),
		Publics: typed[mediation.Public](m.GetPublicsSpecifiquementAdresses()), SpecificSupport: typed[mediation.SpecificSupport](m.GetPriseEnChargeSpecifique()),
		Fees: typed[mediation.Fee](m.GetFraisACharge()), Programs: typed[mediation.Program](m.GetDispositifProgrammesNationaux()),
		Labels: typed[mediation.Label](m.GetFormationsLabels()), OtherLabels: plain(m.GetAutresFormationsLabels()),
		AccessModes: typed[mediation.AccessMode](m.GetModalitesAcces()), SupportModes: typed[mediation.SupportMode](m.GetModalitesAccompagnement()),
		Accessibility: m.GetFicheAccesLibre(), Booking: m.GetPriseRdv(), Flags: typed[mediation.RepairFlag](m.GetFlags()),
	}
	if pv := m.GetProvenance(); len(pv) > 0 {
		p.Provenance = make([]mediation.Provenance, len(pv))
		for i, v := range pv {
			p.Provenance[i] = mediation.Provenance{Source: v.GetSource(), SourceID: v.GetSourceId(), File: v.GetFile(), Row: int(v.GetRow())}
		}
	}
	return p
}
