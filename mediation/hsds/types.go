package hsds

// The types below are the part of the Open Referral HSDS 3.0 compiled
// objects (schema/compiled/service.json and the tables it nests) that a
// mediation place can fill. JSON names are HSDS's.

// Page is the paginated list the HSDS 3.0 API returns for /services; it is
// also the file format Encode writes.
type Page struct {
	TotalItems int       `json:"total_items"`
	TotalPages int       `json:"total_pages"`
	PageNumber int       `json:"page_number"`
	Size       int       `json:"size"`
	FirstPage  bool      `json:"first_page"`
	LastPage   bool      `json:"last_page"`
	Empty      bool      `json:"empty"`
	Contents   []Service `json:"contents"`
}

// Service is an HSDS service with its organization and locations.
type Service struct {
	ID                 string              `json:"id"`
	Name               string              `json:"name"`
	Description        string              `json:"description,omitempty"`
	URL                string              `json:"url,omitempty"`
	Email              string              `json:"email,omitempty"`
	Status             string              `json:"status"`
	FeesDescription    string              `json:"fees_description,omitempty"`
	LastModified       string              `json:"last_modified,omitempty"`
	Organization       *Organization       `json:"organization,omitempty"`
	Phones             []Phone             `json:"phones,omitempty"`
	Schedules          []Schedule          `json:"schedules,omitempty"`
	ServiceAtLocations []ServiceAtLocation `json:"service_at_locations,omitempty"`
	Attributes         []Attribute         `json:"attributes,omitempty"`
}

// Organization is the body that runs the service.
type Organization struct {
	ID          string                   `json:"id"`
	Name        string                   `json:"name"`
	Description string                   `json:"description"`
	Email       string                   `json:"email,omitempty"`
	Website     string                   `json:"website,omitempty"`
	Identifiers []OrganizationIdentifier `json:"organization_identifiers,omitempty"`
}

// OrganizationIdentifier is an official identifier of the organization.
type OrganizationIdentifier struct {
	ID               string `json:"id"`
	OrganizationID   string `json:"organization_id,omitempty"`
	IdentifierScheme string `json:"identifier_scheme,omitempty"`
	IdentifierType   string `json:"identifier_type"`
	Identifier       string `json:"identifier"`
}

// ServiceAtLocation links a service to a location.
type ServiceAtLocation struct {
	ID         string    `json:"id"`
	ServiceID  string    `json:"service_id,omitempty"`
	LocationID string    `json:"location_id,omitempty"`
	Location   *Location `json:"location,omitempty"`
}

// Location is where the service is delivered.
type Location struct {
	ID                     string          `json:"id"`
	LocationType           string          `json:"location_type"`
	Name                   string          `json:"name,omitempty"`
	Description            string          `json:"description,omitempty"`
	Latitude               *float64        `json:"latitude,omitempty"`
	Longitude              *float64        `json:"longitude,omitempty"`
	ExternalIdentifier     string          `json:"external_identifier,omitempty"`
	ExternalIdentifierType string          `json:"external_identifier_type,omitempty"`
	Addresses              []Address       `json:"addresses,omitempty"`
	Phones                 []Phone         `json:"phones,omitempty"`
	Schedules              []Schedule      `json:"schedules,omitempty"`
	Accessibility          []Accessibility `json:"accessibility,omitempty"`
	Attributes             []Attribute     `json:"attributes,omitempty"`
}

// Address is a postal address of a location.
type Address struct {
	ID            string `json:"id"`
	LocationID    string `json:"location_id,omitempty"`
	Address1      string `json:"address_1"`
	Address2      string `json:"address_2,omitempty"`
	City          string `json:"city"`
	Region        string `json:"region,omitempty"`
	StateProvince string `json:"state_province"`
	PostalCode    string `json:"postal_code"`
	Country       string `json:"country"`
	AddressType   string `json:"address_type"`
}

// Phone is a phone number.
type Phone struct {
	ID     string `json:"id"`
	Number string `json:"number"`
	Type   string `json:"type,omitempty"`
}

// Schedule is one weekly opening rule (RFC 5545 style: freq, byday).
type Schedule struct {
	ID          string `json:"id"`
	LocationID  string `json:"location_id,omitempty"`
	Freq        string `json:"freq,omitempty"`
	Byday       string `json:"byday,omitempty"`
	OpensAt     string `json:"opens_at,omitempty"`
	ClosesAt    string `json:"closes_at,omitempty"`
	Description string `json:"description,omitempty"`
}

// Accessibility describes the accessibility of a location.
type Accessibility struct {
	ID          string `json:"id"`
	LocationID  string `json:"location_id,omitempty"`
	Description string `json:"description,omitempty"`
	URL         string `json:"url,omitempty"`
}

// Attribute classifies an entity with a taxonomy term.
type Attribute struct {
	ID             string        `json:"id"`
	LinkID         string        `json:"link_id,omitempty"`
	LinkType       string        `json:"link_type,omitempty"`
	LinkEntity     string        `json:"link_entity,omitempty"`
	TaxonomyTermID string        `json:"taxonomy_term_id,omitempty"`
	Value          string        `json:"value,omitempty"`
	TaxonomyTerm   *TaxonomyTerm `json:"taxonomy_term,omitempty"`
}

// TaxonomyTerm is a term of a taxonomy.
type TaxonomyTerm struct {
	ID          string `json:"id"`
	Code        string `json:"code,omitempty"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Taxonomy    string `json:"taxonomy,omitempty"`
}
