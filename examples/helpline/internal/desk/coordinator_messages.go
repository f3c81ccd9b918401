package desk

// The texts of the coordinator screens (coverage and yearly report), French
// first, added to the desk's catalogue.
func init() {
	addMessages(map[string]msg{
		"coord.coverage.title": {"Couverture et offre face à la demande", "Coverage and supply against demand"},
		"coord.report.title":   {"Rapport annuel", "Yearly report"},
		"coord.scope.france":   {"France entière", "All of France"},
		"coord.scope.region":   {"Région %s (%s)", "Région %s (%s)"},
		"coord.scope":          {"Territoire : %s", "Territory: %s"},

		// The parameters.
		"coord.form.label":   {"Choisir le territoire et la période", "Choose the territory and the period"},
		"coord.form.region":  {"Région", "Région"},
		"coord.form.france":  {"Toute la France", "All of France"},
		"coord.form.weeks":   {"Demandes des dernières semaines (1 à 104)", "Referrals of the last weeks (1 to 104)"},
		"coord.form.show":    {"Afficher", "Show"},
		"coord.form.from":    {"Du", "From"},
		"coord.form.to":      {"Au (inclus)", "To (included)"},
		"coord.form.compute": {"Calculer le rapport", "Compute the report"},

		// Errors, each naming the parameter.
		"coord.err.region":       {"région : « %s » n'est pas un code de région INSEE (par exemple 75 pour la Nouvelle-Aquitaine, 84 pour Auvergne-Rhône-Alpes).", "région: %q is not an INSEE région code (e.g. 75 for Nouvelle-Aquitaine, 84 for Auvergne-Rhône-Alpes)."},
		"coord.err.region.scope": {"région : votre compte couvre la région %s (%s) ; la région « %s » ne vous est pas ouverte.", "région: your account covers région %s (%s); région %q is not open to you."},
		"coord.err.weeks":        {"semaines : « %s » n'est pas un nombre entier de 1 à %d.", "weeks: %q is not a whole number from 1 to %d."},
		"coord.err.date":         {"%s : « %s » n'est pas une date AAAA-MM-JJ (par exemple 2025-01-31).", "%s: %q is not a date YYYY-MM-DD (e.g. 2025-01-31)."},
		"coord.err.order":        {"période : la fin (to = %s) est avant le début (from = %s).", "period: the end (to = %s) is before the start (from = %s)."},
		"coord.err.span":         {"période : un rapport couvre au plus %d jours.", "period: a report covers at most %d days."},
		"coord.err.format":       {"format : « %s » n'est pas json, csv ni html.", "format: %q is not json, csv or html."},
		"coord.err.report":       {"Le rapport ne peut pas être calculé : %s", "The report cannot be computed: %s"},

		// Coverage: key figures.
		"coord.fig.heading":     {"Chiffres clés", "Key figures"},
		"coord.fig.places":      {"lieux formés « Mon Espace Santé »", "places trained in « Mon Espace Santé »"},
		"coord.fig.per10000":    {"lieux formés pour 10 000 habitants", "trained places per 10,000 inhabitants"},
		"coord.fig.ambassadors": {"ambassadeurs formés", "trained ambassadors"},
		"coord.fig.population":  {"habitants, dont %s de 60 ans et plus", "inhabitants, of whom %s aged 60 and over"},
		"coord.fig.none":        {"Aucun lieu formé pour l'instant : enregistrez les formations des lieux, ou chargez un annuaire dont les lieux portent le label.", "No trained place yet: record the places' trainings, or load a directory whose places carry the label."},
		"coord.bands.caption":   {"Population à moins de N km d'un lieu formé", "Population within N km of a trained place"},
		"coord.bands.radius":    {"Distance", "Distance"},
		"coord.bands.share":     {"Part de la population", "Share of the population"},
		"coord.bands.share60":   {"Part des 60 ans et plus", "Share of people 60+"},
		"coord.bands.within":    {"moins de %s km", "within %s km"},

		// Coverage: the map.
		"coord.map.heading":  {"Carte des lieux formés", "Map of the trained places"},
		"coord.map.title":    {"Carte de couverture : %s", "Coverage map: %s"},
		"coord.map.desc":     {"%d communes avec au moins un lieu formé (points bleus, plus gros avec plus de lieux), %d communes servies seulement par des ambassadeurs formés (points verts), %d communes peu denses parmi les plus éloignées d'un lieu formé (cercles orange). Le tableau par département qui suit donne ces informations en texte.", "%d communes with at least one trained place (blue dots, larger with more places), %d communes served only by trained ambassadors (green dots), %d sparse communes among the farthest from a trained place (orange rings). The table by département below gives the same information as text."},
		"coord.map.trained":  {"commune avec un lieu formé", "commune with a trained place"},
		"coord.map.amb":      {"commune servie par un ambassadeur formé", "commune served by a trained ambassador"},
		"coord.map.farlabel": {"commune peu dense éloignée", "remote sparse commune"},
		"coord.map.dot":      {"%s (%s) : %d lieu(x) formé(s), %d ambassadeur(s) formé(s)", "%s (%s): %d trained place(s), %d trained ambassador(s)"},
		"coord.map.far":      {"%s (%s) : à %s km du lieu formé le plus proche", "%s (%s): %s km from the nearest trained place"},
		"coord.map.outside":  {"%d communes d'outre-mer avec un lieu formé ne figurent pas sur cette carte de la métropole : choisissez leur région.", "%d overseas communes with a trained place are not on this map of metropolitan France: choose their région."},
		"coord.map.note":     {"Carte dessinée à partir des centres des communes, sans fond de carte extérieur.", "Map drawn from the communes' centres, with no outside map tiles."},

		// Coverage: tables.
		"coord.dept.caption":   {"Couverture par département (alternative textuelle de la carte)", "Coverage by département (text alternative of the map)"},
		"coord.dept.name":      {"Département", "Département"},
		"coord.dept.places":    {"Lieux formés", "Trained places"},
		"coord.dept.amb":       {"Ambassadeurs formés", "Trained ambassadors"},
		"coord.dept.per10000":  {"Pour 10 000 hab.", "Per 10,000 inhab."},
		"coord.dept.within":    {"≤ %s km", "≤ %s km"},
		"coord.sd.heading":     {"Offre face à la demande", "Supply against demand"},
		"coord.sd.intro":       {"Orientations demandées aux lieux de chaque département pendant les %d dernières semaines, face à leur capacité hebdomadaire (%d personnes par lieu et par semaine quand un lieu n'en déclare pas). Un rapport au-dessus de 1 signale une offre insuffisante.", "Referrals asked of each département's places over the last %d weeks, against their weekly capacity (%d people per place and week when a place declares none). A ratio above 1 means the supply is short."},
		"coord.sd.caption":     {"Offre et demande par département", "Supply and demand by département"},
		"coord.sd.places":      {"Lieux", "Places"},
		"coord.sd.capacity":    {"Capacité hebdomadaire", "Weekly capacity"},
		"coord.sd.referrals":   {"Orientations", "Referrals"},
		"coord.sd.weekly":      {"Demande hebdomadaire", "Weekly demand"},
		"coord.sd.ratio":       {"Rapport", "Ratio"},
		"coord.sd.state":       {"État", "State"},
		"coord.sd.short":       {"offre insuffisante", "supply short"},
		"coord.sd.ok":          {"suffisante", "sufficient"},
		"coord.sd.unknown":     {"capacité inconnue", "capacity unknown"},
		"coord.sd.none":        {"Aucune orientation vers un lieu pendant cette période.", "No referral to a place during this period."},
		"coord.sd.unknownpl":   {"%d orientation(s) vers des lieux absents de l'annuaire ne sont pas comptées.", "%d referral(s) to places missing from the directory are left out."},
		"coord.far.caption":    {"Communes peu denses les plus éloignées d'un lieu formé", "Sparse communes farthest from a trained place"},
		"coord.far.commune":    {"Commune", "Commune"},
		"coord.far.dept":       {"Département", "Département"},
		"coord.far.density":    {"Densité", "Density"},
		"coord.far.population": {"Population", "Population"},
		"coord.far.km":         {"Distance (km)", "Distance (km)"},
		"coord.json":           {"Ces données en JSON", "This data as JSON"},

		// The yearly report.
		"coord.report.intro":     {"L'évaluation du dispositif sur la période choisie, calculée à partir des enregistrements du guichet. Les effectifs de personnes trop petits sont masqués ; un chiffre non mesurable est signalé comme tel, jamais comme un zéro.", "The evaluation of the scheme over the chosen period, computed from the desk's records. Small counts of people are masked; a figure that cannot be measured says so, it is never shown as zero."},
		"coord.report.downloads": {"Télécharger ce rapport", "Download this report"},
		"coord.report.csv":       {"CSV (tableur)", "CSV (spreadsheet)"},
		"coord.report.json":      {"JSON", "JSON"},
		"coord.report.html":      {"Page HTML autonome (imprimable)", "Standalone HTML page (printable)"},
	})
}
