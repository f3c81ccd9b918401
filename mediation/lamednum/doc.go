// Package lamednum reads and writes files of the national standard of
// digital-mediation places (LaMednum standard-mediation-num): v1 JSON and
// CSV ("|" between multiple values), the legacy v0.1 files (publics_accueillis,
// conditions_acces, labels_nationaux, ";" between values, 15 services), and
// the mixed files found in the wild, where v1 values sit under v0.1 keys.
//
// Each value is placed on its own: first as a v1 value (its own column, or
// the v1 column a v0.1 key stands for), then through the v0.1 table below.
// Every mapping, move and drop is a reason in the import report; nothing is
// lost silently. Export (EncodeCSV) writes the v1 columns in the standard's
// order.
//
// # v0.1 → v1
//
// services:
//
//	Devenir autonome dans les démarches administratives            → Aide aux démarches administratives
//	Réaliser des démarches administratives avec un accompagnement  → Aide aux démarches administratives
//	Accompagner les démarches de santé                             → Aide aux démarches administratives (v1 has no health service)
//	Prendre en main un smartphone ou une tablette                  → Maîtrise des outils numériques du quotidien
//	Prendre en main un ordinateur                                  → Maîtrise des outils numériques du quotidien
//	Utiliser le numérique au quotidien                             → Maîtrise des outils numériques du quotidien
//	Approfondir ma culture numérique                               → Compréhension du monde numérique
//	Promouvoir la citoyenneté numérique                            → Compréhension du monde numérique
//	Favoriser mon insertion professionnelle                        → Insertion professionnelle via le numérique
//	Créer et développer mon entreprise                             → Insertion professionnelle via le numérique
//	Accéder à une connexion internet                               → Accès internet et matériel informatique
//	Accéder à du matériel                                          → Accès internet et matériel informatique
//	S'équiper en matériel informatique                             → Acquisition de matériel informatique à prix solidaire
//	Créer avec le numérique                                        → Loisirs et créations numériques
//	Soutenir la parentalité et l'éducation avec le numérique       → Parentalité et éducation avec le numérique
//
// publics_accueillis → publics_specifiquement_adresses (P) or prise_en_charge_specifique (S):
//
//	Seniors (+ 65 ans) → P Seniors          Familles/enfants → P Familles et/ou enfants
//	Jeunes (16-26 ans) → P Jeunes           Uniquement femmes → P Femmes
//	Surdité → S Surdité                     Déficience visuelle → S Déficience visuelle
//	Public langues étrangères → S Langues étrangères (autres)
//	Handicaps psychiques : … → S Handicaps mentaux
//	Handicaps mentaux : … → S Handicaps mentaux
//	Personnes en situation d'illettrisme → S Illettrisme
//	Adultes → dropped (every place welcomes adults)
//
// conditions_acces → frais_a_charge:
//
//	Gratuit : … → Gratuit                   Gratuit sous condition : … → Gratuit sous condition
//	Payant : … → Payant                     Adhésion : … → Payant (a membership fee is a charge)
//	Accepte le Pass numérique : … → Gratuit sous condition
//
// labels_nationaux → dispositif_programmes_nationaux (D), formations_labels (F)
// or autres_formations_labels (A):
//
//	France Services → D France Services     CNFS → D Conseillers numériques
//	Aidants Connect → D Aidants Connect     Grandes écoles du numérique → D Grande école du numérique
//	Point relais CAF, Point numérique CAF → D Point d'accès numérique CAF
//	Fabriques de Territoire → F Fabriques de Territoire
//	APTIC, Pass numérique, Relais pôle emploi, French Tech, Campus connecté → A (same text)
//
// modalites_accompagnement:
//
//	Seul : … → En autonomie                 Avec de l'aide : … → Accompagnement individuel
//	Dans un atelier : … → Dans un atelier collectif
//	A ma place : … → Accompagnement individuel
//
// Renamed columns: courriel → courriels, accessibilite → fiche_acces_libre,
// labels_autres → autres_formations_labels. LegacyMapping returns the same
// table as data.
package lamednum
