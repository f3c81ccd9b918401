// Package hsds speaks Open Referral's Human Services Data Specification 3.0,
// the international standard for directories of social services, so that a
// passerelle directory can be shared beyond France and read back.
//
// One mediation place is one HSDS service (the digital-mediation offer) run
// by one organization at one physical location:
//
//	nom → service.name, location.name      presentation_resume → service.description
//	presentation_detail → location.description
//	pivot → organization_identifiers (type "pivot")   structure_parente → organization.name
//	adresse, complement_adresse, commune, code_postal → location.addresses[0]
//	latitude, longitude → location.latitude, .longitude
//	id → location.external_identifier (type "standard-mediation-num:id")
//	telephone → phones; courriels[0] → email; site_web[0] → url
//	fiche_acces_libre → location.accessibility[0].url
//	horaires → location.schedules (weekly rules, when the OSM string is a
//	           plain weekly one) and, always, an attribute
//	date_maj → last_modified; frais_a_charge → fees_description
//
// Every column of the French standard HSDS has no field for (services,
// publics, labels, modalités, …) is an attribute whose taxonomy term has
// taxonomy "standard-mediation-num", code = the column name and name = the
// French value. Decode reads those back, so Place → HSDS → Place keeps every
// field except Provenance and Flags. Decode also reads HSDS files written by
// others: one place per (service, location), hours from weekly schedules.
//
// Ids are UUIDs derived from the place id (SHA-1 name-based), so exporting
// the same places twice gives the same file.
package hsds

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/google/uuid"

	m "github.com/passerelle-sante/passerelle/mediation"
)

// Taxonomy is the taxonomy of the attributes that carry the French standard.
const Taxonomy = "standard-mediation-num"

// IDType is the external_identifier_type of the location holding the place id.
const IDType = "standard-mediation-num:id"

// Format names HSDS input in import reports.
const Format = "hsds-json"

// namespace roots the name-based UUIDs of exported entities.
var namespace = uuid.MustParse("6f1c5a0e-4b8e-5a51-9d0c-9b7c3a6e2f10")

func id(kind, placeID string) string {
	return uuid.NewSHA1(namespace, []byte(kind+"\x00"+placeID)).String()
}

// attributeColumns are the columns carried as attributes, in export order.
var attributeColumns = []string{
	"services", "publics_specifiquement_adresses", "prise_en_charge_specifique",
	"frais_a_charge", "dispositif_programmes_nationaux", "formations_labels",
	"autres_formations_labels", "modalites_acces", "modalites_accompagnement",
	"itinerance", "typologie", "courriels", "site_web", "prise_rdv", "horaires",
	"code_insee", "source", "pivot",
}

// columnValues returns a place's values for an attribute column.
func columnValues(p m.Place, column string) []string {
	str := func(vs ...string) []string {
		var out []string
		for _, v := range vs {
			if v != "" {
				out = append(out, v)
			}
		}
		return out
	}
	switch column {
	case "services":
		return strs(p.Services)
	case "publics_specifiquement_adresses":
		return strs(p.Publics)
	case "prise_en_charge_specifique":
		return strs(p.SpecificSupport)
	case "frais_a_charge":
		return strs(p.Fees)
	case "dispositif_programmes_nationaux":
		return strs(p.Programs)
	case "formations_labels":
		return strs(p.Labels)
	case "autres_formations_labels":
		return p.OtherLabels
	case "modalites_acces":
		return strs(p.AccessModes)
	case "modalites_accompagnement":
		return strs(p.SupportModes)
	case "itinerance":
		return strs(p.Itinerance)
	case "typologie":
		return p.Typology
	case "courriels":
		return p.Emails
	case "site_web":
		return p.Websites
	case "prise_rdv":
		return str(p.Booking)
	case "horaires":
		return str(p.Hours)
	case "code_insee":
		return str(p.INSEECode)
	case "source":
		return str(p.Source)
	case "pivot":
		return str(p.Pivot)
	}
	return nil
}

func strs[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// FromPlace returns the HSDS service of a place.
func FromPlace(p m.Place) Service {
	sid, lid, oid := id("service", p.ID), id("location", p.ID), id("organization", p.ID)
	s := Service{
		ID: sid, Name: p.Name, Description: p.Summary, Status: "active",
		FeesDescription: m.JoinValues(p.Fees),
	}
	if len(p.Websites) > 0 {
		s.URL = p.Websites[0]
	}
	if len(p.Emails) > 0 {
		s.Email = p.Emails[0]
	}
	if p.UpdatedAt != "" {
		s.LastModified = p.UpdatedAt + "T00:00:00Z"
	}
	org := &Organization{ID: oid, Name: p.ParentStructure, Description: p.Name}
	if org.Name == "" {
		org.Name = p.Name
	}
	if p.Pivot != "" {
		org.Identifiers = []OrganizationIdentifier{{ID: id("identifier", p.ID), OrganizationID: oid,
			IdentifierScheme: Taxonomy, IdentifierType: "pivot", Identifier: p.Pivot}}
	}
	s.Organization = org
	if p.Phone != "" {
		s.Phones = []Phone{{ID: id("phone", p.ID), Number: p.Phone, Type: "voice"}}
	}
	loc := &Location{
		ID: lid, LocationType: "physical", Name: p.Name, Description: p.Detail,
		ExternalIdentifier: p.ID, ExternalIdentifierType: IDType,
		Addresses: []Address{{ID: id("address", p.ID), LocationID: lid, Address1: p.Address,
			Address2: p.AddressComplement, City: p.Commune, StateProvince: departement(p),
			PostalCode: p.PostalCode, Country: "FR", AddressType: "physical"}},
		Schedules: schedules(p.Hours, lid),
	}
	if pt, ok := p.Location(); ok {
		lat, lon := pt.Lat, pt.Lon
		loc.Latitude, loc.Longitude = &lat, &lon
	}
	if p.Accessibility != "" {
		loc.Accessibility = []Accessibility{{ID: id("accessibility", p.ID), LocationID: lid, URL: p.Accessibility}}
	}
	s.ServiceAtLocations = []ServiceAtLocation{{ID: id("service_at_location", p.ID), ServiceID: sid, LocationID: lid, Location: loc}}
	for _, col := range attributeColumns {
		for i, v := range columnValues(p, col) {
			tid := id("term", col+"\x00"+v)
			s.Attributes = append(s.Attributes, Attribute{
				ID: id("attribute", fmt.Sprintf("%s\x00%s\x00%d", p.ID, col, i)), LinkID: sid, LinkEntity: "service",
				LinkType: col, TaxonomyTermID: tid, Value: v,
				TaxonomyTerm: &TaxonomyTerm{ID: tid, Code: col, Name: v, Description: col + ": " + v, Taxonomy: Taxonomy},
			})
		}
	}
	return s
}

// departement gives the state_province HSDS requires: the département code
// from the INSEE code, else from the postal code.
func departement(p m.Place) string {
	code := p.INSEECode
	if len(code) < 5 {
		code = p.PostalCode
	}
	switch {
	case len(code) < 2:
		return ""
	case strings.HasPrefix(code, "97") || strings.HasPrefix(code, "98"):
		if len(code) >= 3 {
			return code[:3]
		}
	case strings.HasPrefix(code, "20") && len(p.INSEECode) < 5:
		return "20" // Corsica by postal code: 2A or 2B unknown
	}
	return code[:2]
}

// Encode writes places as an HSDS 3.0 page of services.
func Encode(ctx context.Context, w io.Writer, places []m.Place) error {
	page := Page{TotalItems: len(places), TotalPages: 1, PageNumber: 1, Size: len(places),
		FirstPage: true, LastPage: true, Empty: len(places) == 0, Contents: make([]Service, 0, len(places))}
	for _, p := range places {
		if err := ctx.Err(); err != nil {
			return err
		}
		page.Contents = append(page.Contents, FromPlace(p))
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(page)
}

// Options tunes Decode. The zero value works.
type Options struct {
	File     string
	Communes m.CommuneResolver
}

// Looks reports whether data looks like HSDS JSON (a page of services, or an
// array of services).
func Looks(data []byte) bool {
	t := bytes.TrimLeft(data, " \t\r\n\xef\xbb\xbf")
	head := t[:min(len(t), 4096)]
	return bytes.Contains(head, []byte(`"service_at_locations"`)) || bytes.Contains(head, []byte(`"contents"`)) && bytes.Contains(head, []byte(`"total_items"`))
}

// Decode reads an HSDS page of services (or a bare array of services) into
// places. Rows of the report are (service, location) pairs in order; a
// service without location is one row, rejected unless it has an address.
func Decode(ctx context.Context, r io.Reader, opts Options) ([]m.Place, *m.ImportReport, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, nil, err
	}
	t := bytes.TrimLeft(data, " \t\r\n\xef\xbb\xbf")
	var services []Service
	if len(t) > 0 && t[0] == '[' {
		err = json.Unmarshal(t, &services)
	} else {
		var page Page
		err = json.Unmarshal(t, &page)
		services = page.Contents
	}
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w: not HSDS JSON: %v", opts.File, m.ErrUnreadable, err)
	}
	b := m.NewBatch(opts.File, Format, opts.Communes)
	row := 0
	for _, s := range services {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		locs := s.ServiceAtLocations
		if len(locs) == 0 {
			locs = []ServiceAtLocation{{}}
		}
		for _, sal := range locs {
			row++
			p, reasons := toPlace(s, sal.Location, len(locs) > 1)
			p.Provenance = []m.Provenance{{Source: p.Source, SourceID: p.ID, File: opts.File, Row: row}}
			b.Add(row, p, reasons)
		}
	}
	return b.Places, &b.Report, nil
}

// toPlace maps one (service, location) pair.
func toPlace(s Service, loc *Location, several bool) (m.Place, []m.FieldError) {
	var reasons []m.FieldError
	p := m.Place{ID: s.ID, Name: s.Name, Summary: s.Description, Source: "hsds"}
	if loc == nil {
		loc = &Location{}
	}
	switch {
	case loc.ExternalIdentifierType == IDType && loc.ExternalIdentifier != "":
		p.ID = loc.ExternalIdentifier
	case several && loc.ID != "":
		p.ID = s.ID + "@" + loc.ID
	}
	if p.Name == "" {
		p.Name = loc.Name
	}
	p.Detail = loc.Description
	if len(s.LastModified) >= 10 {
		p.UpdatedAt = s.LastModified[:10]
	}
	if s.Organization != nil {
		if s.Organization.Name != s.Name {
			p.ParentStructure = s.Organization.Name
		}
		for _, oi := range s.Organization.Identifiers {
			if p.Pivot == "" && (oi.IdentifierType == "pivot" || strings.EqualFold(oi.IdentifierType, "siret") || strings.EqualFold(oi.IdentifierType, "rna")) {
				p.Pivot = oi.Identifier
			}
		}
	}
	if len(loc.Addresses) > 0 {
		a := loc.Addresses[0]
		for _, c := range loc.Addresses {
			if c.AddressType == "physical" {
				a = c
				break
			}
		}
		p.Address, p.AddressComplement, p.Commune, p.PostalCode = a.Address1, a.Address2, a.City, a.PostalCode
	}
	if loc.Latitude != nil && loc.Longitude != nil {
		p.Latitude, p.Longitude = *loc.Latitude, *loc.Longitude
	}
	if len(loc.Accessibility) > 0 {
		p.Accessibility = loc.Accessibility[0].URL
	}
	for _, ph := range append(append([]Phone{}, s.Phones...), loc.Phones...) {
		if p.Phone == "" && ph.Number != "" {
			p.Phone = ph.Number
			if n, ok := m.NormalizePhone(ph.Number); ok {
				p.Phone = n
			}
		}
	}
	cols := map[string][]string{}
	for _, a := range append(append([]Attribute{}, s.Attributes...), loc.Attributes...) {
		if a.TaxonomyTerm == nil || a.TaxonomyTerm.Taxonomy != Taxonomy {
			continue
		}
		v := a.Value
		if v == "" {
			v = a.TaxonomyTerm.Name
		}
		cols[a.TaxonomyTerm.Code] = append(cols[a.TaxonomyTerm.Code], v)
	}
	var rs []m.FieldError
	p.Services, rs = m.ParseValues("services", cols["services"], m.AllServices())
	reasons = append(reasons, rs...)
	p.Publics, rs = m.ParseValues("publics_specifiquement_adresses", cols["publics_specifiquement_adresses"], m.AllPublics())
	reasons = append(reasons, rs...)
	p.SpecificSupport, rs = m.ParseValues("prise_en_charge_specifique", cols["prise_en_charge_specifique"], m.AllSpecificSupports())
	reasons = append(reasons, rs...)
	p.Fees, rs = m.ParseValues("frais_a_charge", cols["frais_a_charge"], m.AllFees())
	reasons = append(reasons, rs...)
	p.Programs, rs = m.ParseValues("dispositif_programmes_nationaux", cols["dispositif_programmes_nationaux"], m.AllPrograms())
	reasons = append(reasons, rs...)
	p.Labels, rs = m.ParseValues("formations_labels", cols["formations_labels"], m.AllLabels())
	reasons = append(reasons, rs...)
	p.AccessModes, rs = m.ParseValues("modalites_acces", cols["modalites_acces"], m.AllAccessModes())
	reasons = append(reasons, rs...)
	p.SupportModes, rs = m.ParseValues("modalites_accompagnement", cols["modalites_accompagnement"], m.AllSupportModes())
	reasons = append(reasons, rs...)
	p.Itinerance, rs = m.ParseValues("itinerance", cols["itinerance"], m.AllItinerances())
	reasons = append(reasons, rs...)
	p.OtherLabels = cols["autres_formations_labels"]
	p.Typology = cols["typologie"]
	p.Emails = cols["courriels"]
	p.Websites = cols["site_web"]
	if len(p.Emails) == 0 && s.Email != "" {
		p.Emails = []string{s.Email}
	}
	if len(p.Websites) == 0 && s.URL != "" {
		p.Websites = []string{s.URL}
	}
	first := func(col string) string {
		if v := cols[col]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	p.Booking = first("prise_rdv")
	if v := first("code_insee"); v != "" {
		p.INSEECode = v
	}
	if v := first("source"); v != "" {
		p.Source = v
	}
	if v := first("pivot"); v != "" && p.Pivot == "" {
		p.Pivot = v
	}
	p.Hours = first("horaires")
	if p.Hours == "" {
		sch := append(append([]Schedule{}, s.Schedules...), loc.Schedules...)
		h, ok := openingHours(sch)
		if !ok {
			p.AddFlag(m.FlagHoursUnparsed)
			reasons = append(reasons, m.NewFieldError("horaires", m.CodeDropped,
				"schedules are not plain weekly rules (freq WEEKLY, byday, opens_at, closes_at); not converted",
				"les schedules ne sont pas de simples règles hebdomadaires (freq WEEKLY, byday, opens_at, closes_at) ; non convertis"))
		}
		p.Hours = h
	}
	return p, reasons
}
