// Package franceservices imports the national list of France Services sites
// (the CSV published by the ANCT: id_fs, lib_fs, adresse, …, h_lundi …
// h_samedi) as mediation places.
//
// Each site becomes a Place with source "france-services", id
// "france-services-<id_fs>", dispositif_programmes_nationaux "France
// Services", frais_a_charge "Gratuit", and the services every site offers
// by the France Services charter (Services): help with administrative
// procedures, free access to a computer and the internet, help to use
// everyday digital tools. The hours "09:00 - 12:00 / 13:30 - 17:00" of each
// weekday become one OSM opening_hours string (OpeningHours), national phone
// numbers become international ones, and format_fs "Bus_équivalent" or
// "Itinérante" makes the place itinerant. The list has no SIRET (pivot is the
// placeholder 00000000000000) and no per-site date: date_maj is the list's
// date (Options.ListDate, or the date in the file name).
package franceservices
