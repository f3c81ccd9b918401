package desk

import (
	"fmt"
	"net/http"
	"sync"

	"github.com/passerelle-sante/passerelle/assessment"
)

// msg is one user-facing text, French first.
type msg struct{ fr, en string }

// messages is the desk's catalogue: every text a page shows, by key.
// Templates call {{.T "key"}}; Go code calls tr(lang, "key"). Keys of
// another file of the package are added with addMessages in an init.
var (
	messagesMu sync.RWMutex
	messages   = map[string]msg{
		// Layout and navigation.
		"app.name":         {"Guichet passerelle", "Passerelle desk"},
		"app.tagline":      {"Inclusion numérique en santé", "Digital inclusion in health care"},
		"skip":             {"Aller au contenu", "Skip to content"},
		"nav.label":        {"Menu principal", "Main menu"},
		"nav.call":         {"Appel", "Call"},
		"nav.followup":     {"Suivi", "Follow-up"},
		"nav.actions":      {"Actions", "Actions"},
		"nav.questions":    {"Questions", "Questions"},
		"nav.coverage":     {"Couverture", "Coverage"},
		"nav.report":       {"Rapport annuel", "Yearly report"},
		"nav.logout":       {"Se déconnecter", "Sign out"},
		"nav.signedin":     {"Connecté·e : %s", "Signed in: %s"},
		"lang.switch":      {"English", "Français"},
		"lang.switch.aria": {"Read the desk in English", "Lire le guichet en français"},
		"footer.privacy":   {"Aucune donnée nominative n'est enregistrée : les personnes sont des identifiants pseudonymes.", "No name is recorded: people are pseudonymous ids."},

		// Roles.
		"role.teleadvisor": {"téléconseiller·ère", "teleadvisor"},
		"role.ambassador":  {"ambassadeur·rice", "ambassador"},
		"role.coordinator": {"coordinateur·rice", "coordinator"},
		"role.admin":       {"administrateur·rice", "administrator"},

		// Sign-in.
		"login.title":    {"Connexion", "Sign in"},
		"login.intro":    {"Connectez-vous avec votre identifiant du guichet.", "Sign in with your desk login."},
		"login.login":    {"Identifiant", "Login"},
		"login.password": {"Mot de passe", "Password"},
		"login.submit":   {"Se connecter", "Sign in"},
		"login.failed":   {"Identifiant ou mot de passe incorrect.", "Wrong login or password."},
		"login.limited":  {"Trop d'essais : réessayez dans %d minutes.", "Too many attempts: try again in %d minutes."},
		"login.out":      {"Vous êtes déconnecté·e.", "You are signed out."},
		"login.expired":  {"Votre session a expiré : reconnectez-vous.", "Your session has expired: sign in again."},

		// Errors.
		"error.title":     {"Erreur", "Error"},
		"error.back":      {"Retour à l'accueil", "Back to the start"},
		"error.400":       {"La demande est incorrecte.", "The request is not valid."},
		"error.403":       {"Vous n'avez pas accès à cette page.", "You may not open this page."},
		"error.403.role":  {"Cette page est réservée au rôle : %s.", "This page is for the role: %s."},
		"error.csrf":      {"Le formulaire a expiré ou ne vient pas de ce guichet : rechargez la page et recommencez.", "The form has expired or does not come from this desk: reload the page and try again."},
		"error.413":       {"Le formulaire est trop lourd (%d Kio au plus).", "The form is too large (at most %d KiB)."},
		"error.404":       {"Cette page n'existe pas.", "This page does not exist."},
		"error.405":       {"Cette méthode n'est pas acceptée ici.", "This method is not allowed here."},
		"error.500":       {"Une erreur interne est survenue ; elle a été journalisée.", "An internal error occurred; it has been logged."},
		"error.conflict":  {"Quelqu'un d'autre vient de modifier cet enregistrement : la page a été rechargée, vérifiez et recommencez.", "Someone else has just changed this record: the page was reloaded, check and try again."},
		"home.title":      {"Accueil", "Home"},
		"home.intro":      {"Choisissez une tâche dans le menu.", "Pick a task in the menu."},
		"health.ok":       {"ok", "ok"},
		"common.save":     {"Enregistrer", "Save"},
		"common.none":     {"Aucun élément.", "Nothing here."},
		"common.required": {"obligatoire", "required"},
		"common.optional": {"facultatif", "optional"},
		"common.km":       {"%.1f km", "%.1f km"},
		"common.yes":      {"oui", "yes"},
		"common.no":       {"non", "no"},
	}
)

// addMessages adds keys to the catalogue; a key already there is a
// programming error and panics at start-up.
func addMessages(m map[string]msg) {
	messagesMu.Lock()
	defer messagesMu.Unlock()
	for k, v := range m {
		if _, dup := messages[k]; dup {
			panic("desk: message key " + k + " defined twice")
		}
		messages[k] = v
	}
}

// tr returns the text of key in lang, formatted with args when given. An
// unknown key is returned as is (and a test checks none is).
func tr(lang assessment.Lang, key string, args ...any) string {
	messagesMu.RLock()
	m, ok := messages[key]
	messagesMu.RUnlock()
	if !ok {
		return key
	}
	s := m.fr
	if lang == assessment.LangEN {
		s = m.en
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// langCookie remembers the language a visitor chose with ?lang=.
const langCookie = "desk_lang"

// withLang sets the request's language: ?lang=fr|en (remembered in a
// cookie), else the cookie, else the desk's default.
func (s *Server) withLang(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		lang := s.lang
		if c, err := r.Cookie(langCookie); err == nil {
			if l, ok := deskLang(c.Value); ok {
				lang = l
			}
		}
		if q := r.URL.Query().Get("lang"); q != "" {
			if l, ok := deskLang(q); ok {
				lang = l
				http.SetCookie(w, &http.Cookie{Name: langCookie, Value: string(l), Path: "/", MaxAge: 365 * 24 * 3600,
					HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r)})
			}
		}
		next.ServeHTTP(w, r.WithContext(contextWith(r.Context(), keyLang, lang)))
	})
}

// deskLang accepts the two languages of the desk's screens.
func deskLang(s string) (assessment.Lang, bool) {
	switch s {
	case "fr":
		return assessment.LangFR, true
	case "en":
		return assessment.LangEN, true
	}
	return "", false
}
