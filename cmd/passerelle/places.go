package main

// placesCommand is a placeholder replaced by the mediation importers work.
func placesCommand() command {
	return command{name: "places", summary: "(not built yet)", subs: []command{placesNearCommand()}}
}
