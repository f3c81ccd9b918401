package mediation

import "github.com/passerelle-sante/passerelle/territory"

// TerritoryCommunes adapts the commune reference of package territory to
// CommuneResolver, for production use of the repairs.
func TerritoryCommunes(ref *territory.Reference) CommuneResolver { return territoryResolver{ref} }

type territoryResolver struct{ ref *territory.Reference }

func (t territoryResolver) CommuneByCode(code string) (CommuneInfo, bool) {
	c, ok := t.ref.Commune(code)
	return info(c), ok
}

func (t territoryResolver) ResolveCommune(postalCode, name string) (CommuneInfo, bool) {
	c, ok := t.ref.Resolve(postalCode, name)
	return info(c), ok
}

func info(c territory.Commune) CommuneInfo {
	return CommuneInfo{Code: c.Code, Name: c.Name, PostalCodes: c.PostalCodes, Lat: c.Lat, Lon: c.Lon}
}
