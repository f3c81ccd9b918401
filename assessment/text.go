package assessment

// Lang is the language a person is spoken to in.
type Lang string

// Languages of user-facing text. LangFREasy is plain-language French
// (« facile à lire et à comprendre »), used where the standard wording of an
// item is hard; it falls back to LangFR when an item has no such variant.
const (
	LangFR     Lang = "fr"
	LangFREasy Lang = "fr-easy"
	LangEN     Lang = "en"
)

// ParseLang returns the Lang named by s, or false when s names none.
func ParseLang(s string) (Lang, bool) {
	switch Lang(s) {
	case LangFR, LangFREasy, LangEN:
		return Lang(s), true
	}
	return "", false
}

// Text is one piece of user-facing text in French, plain-language French and
// English. French is mandatory in instrument files; the others are optional.
type Text struct {
	FR     string `json:"fr" jsonschema:"minLength=1" jsonschema_description:"French wording (mandatory)."`
	FREasy string `json:"fr_easy,omitempty" jsonschema_description:"Plain-language French wording, where the standard wording is hard."`
	EN     string `json:"en,omitempty" jsonschema_description:"English wording."`
}

// In returns the text in lang, falling back to French when that language is
// missing: French is the language every instrument must provide.
func (t Text) In(lang Lang) string {
	switch lang {
	case LangEN:
		if t.EN != "" {
			return t.EN
		}
	case LangFREasy:
		if t.FREasy != "" {
			return t.FREasy
		}
	}
	return t.FR
}

// Level is how far a person is from digital health, in four steps that
// decide the kind of help offered.
type Level string

// The four levels, from the farthest to the closest.
const (
	// LevelNoAccess: no device or no connection; equipment or access first.
	LevelNoAccess Level = "no_access"
	// LevelBeginner (« débutant »): no practice at all; reinforced
	// accompaniment in a partner mediation place.
	LevelBeginner Level = "beginner"
	// LevelIntermediate (« intermédiaire »): has an e-mail address but is
	// not at ease online; CPAM digital workshops.
	LevelIntermediate Level = "intermediate"
	// LevelAutonomous: a guide or a one-off answer is enough.
	LevelAutonomous Level = "autonomous"
)

// Levels lists the levels in rank order, from LevelNoAccess to
// LevelAutonomous.
func Levels() []Level {
	return []Level{LevelNoAccess, LevelBeginner, LevelIntermediate, LevelAutonomous}
}

// Rank orders levels: 1 for no_access up to 4 for autonomous, 0 for an
// unknown level, so that a higher rank means closer to autonomy.
func (l Level) Rank() int {
	switch l {
	case LevelNoAccess:
		return 1
	case LevelBeginner:
		return 2
	case LevelIntermediate:
		return 3
	case LevelAutonomous:
		return 4
	}
	return 0
}

// Valid reports whether l is one of the four levels.
func (l Level) Valid() bool { return l.Rank() > 0 }

// Text returns the level's name for people.
func (l Level) Text() Text {
	switch l {
	case LevelNoAccess:
		return Text{FR: "sans accès", FREasy: "pas d'appareil ou pas d'internet", EN: "no access"}
	case LevelBeginner:
		return Text{FR: "débutant", FREasy: "débutant", EN: "beginner"}
	case LevelIntermediate:
		return Text{FR: "intermédiaire", FREasy: "intermédiaire", EN: "intermediate"}
	case LevelAutonomous:
		return Text{FR: "autonome", FREasy: "autonome", EN: "autonomous"}
	}
	return Text{FR: string(l)}
}

// Flag is a need that runs across levels and changes how help is given.
// Instruments may raise flags of their own; these are the known ones.
type Flag string

// Known flags.
const (
	// FlagNeedsProxy: someone must act on the person's behalf (a relative,
	// a caregiver, an Aidants Connect mandate).
	FlagNeedsProxy Flag = "needs_proxy"
	// FlagNoHelper: nobody around can help with digital tasks.
	FlagNoHelper          Flag = "no_helper"
	FlagLanguageBarrier   Flag = "language_barrier"
	FlagVisualImpairment  Flag = "visual_impairment"
	FlagHearingImpairment Flag = "hearing_impairment"
	FlagReadingDifficulty Flag = "reading_difficulty"
	// FlagLowHealthLiteracy: low confidence with health information or
	// medical forms.
	FlagLowHealthLiteracy Flag = "low_health_literacy"
	// FlagMESNotActivated: the person's Mon espace santé is not activated.
	FlagMESNotActivated Flag = "mes_not_activated"
)
