// Package referral sends a person to the right help: declarative regional
// rules turn an assessment and the person's situation into pathways (kinds
// of help), the engine matches each pathway against the directory of
// mediation places, and a Referral record follows the person until they are
// autonomous, or until we know why not.
//
// # Pathways
//
// A Catalogue lists the kinds of help with stable ids (PathwayID), French
// and English names, and what each needs from the directory (PlaceNeeds).
package referral
