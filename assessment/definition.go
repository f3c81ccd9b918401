package assessment

// Definition is an instrument file: the questions, their skip logic and the
// scoring rules, as data. It is the Go form of schemas/instrument.schema.json;
// Compile checks it and turns it into an Instrument that can score answers.
type Definition struct {
	ID      string `json:"id" jsonschema:"pattern=^[a-z][a-z0-9_]*$" jsonschema_description:"Identifier of the instrument, lower snake case."`
	Version string `json:"version" jsonschema:"minLength=1" jsonschema_description:"Version of this instrument file; results carry it."`
	Title   Text   `json:"title"`
	// Source cites where the items and the scoring come from.
	Source      string `json:"source" jsonschema:"minLength=1" jsonschema_description:"Citation of the published instrument or of the method the file follows."`
	Description *Text  `json:"description,omitempty"`
	// Adaptive instruments stop asking the questions that only decide the
	// level once the level can no longer change (see Session).
	Adaptive bool    `json:"adaptive,omitempty" jsonschema_description:"When true, a session stops asking items that only decide the level once the level is certain."`
	Items    []Item  `json:"items" jsonschema:"minItems=1"`
	Scoring  Scoring `json:"scoring"`
}

// AnswerType is the kind of value an item takes.
type AnswerType string

// Answer types. An integer or likert answer is a JSON integer within the
// item's min and max; a choice is one option value (a JSON string); a multi
// is an array of distinct option values.
const (
	AnswerBoolean AnswerType = "boolean"
	AnswerChoice  AnswerType = "choice"
	AnswerMulti   AnswerType = "multi"
	AnswerInteger AnswerType = "integer"
	AnswerLikert  AnswerType = "likert"
)

// Item is one question.
type Item struct {
	ID   string     `json:"id" jsonschema:"pattern=^[a-z][a-z0-9_]*$"`
	Text Text       `json:"text"`
	Help *Text      `json:"help,omitempty" jsonschema_description:"What the interviewer may add when the question is not understood."`
	Type AnswerType `json:"type" jsonschema:"enum=boolean,enum=choice,enum=multi,enum=integer,enum=likert"`
	// Options of a choice or multi item.
	Options []Option `json:"options,omitempty"`
	// Min and Max bound an integer or likert answer.
	Min *int `json:"min,omitempty"`
	Max *int `json:"max,omitempty"`
	// Labels name each point of a likert scale, from Min to Max.
	Labels []Text `json:"labels,omitempty"`
	// Area is the skill area a checklist item counts towards (DSI).
	Area     string `json:"area,omitempty" jsonschema_description:"Skill area the item counts towards (method dsi_2_0)."`
	Required bool   `json:"required,omitempty" jsonschema_description:"A full answer set must answer this item whenever it is shown."`
	// Checklist marks a boolean item of a checklist: in a whole answer set
	// (DecodeAnswers), a shown checklist item that is absent means "not
	// done" (false), as an unticked box does.
	Checklist bool `json:"checklist,omitempty" jsonschema_description:"Boolean item of a checklist: absent from a whole answer set means false."`
	// ShowIf is the skip logic: the item is asked only when the condition
	// holds. It may refer only to earlier items.
	ShowIf *Condition `json:"show_if,omitempty"`
}

// Option is one possible answer of a choice or multi item.
type Option struct {
	Value string `json:"value" jsonschema:"pattern=^[a-z0-9][a-z0-9_]*$"`
	Text  Text   `json:"text"`
	// Points is what the option adds to the dimensions its item belongs to.
	Points float64 `json:"points,omitempty"`
	// Exclusive options ("none of these") cannot be combined with others in
	// a multi answer.
	Exclusive bool `json:"exclusive,omitempty"`
}

// Condition is a small declarative test on answers and figures. Exactly one
// form is used: all, any, not, an item test (item with in, is, min/max or
// answered), a score test (score with min/max), a category test or a level
// test. An unanswered item fails every item test except answered=false.
type Condition struct {
	All []Condition `json:"all,omitempty"`
	Any []Condition `json:"any,omitempty"`
	Not *Condition  `json:"not,omitempty"`

	Item string `json:"item,omitempty" jsonschema_description:"Item the test is about."`
	// In holds option values: a choice item passes when its answer is one of
	// them, a multi item when any of its selected options is.
	In []string `json:"in,omitempty"`
	// Is tests a boolean item.
	Is *bool `json:"is,omitempty"`
	// Answered tests whether the item was answered at all.
	Answered *bool `json:"answered,omitempty"`

	// Score names a dimension whose value must lie within min..max.
	Score string `json:"score,omitempty"`
	// Min and Max bound an item's numeric answer or a score (inclusive).
	Min *float64 `json:"min,omitempty"`
	Max *float64 `json:"max,omitempty"`

	// Category holds the instrument's category ids (the eHEALS band, the DSI
	// overall level, the Pix level) that pass.
	Category []string `json:"category,omitempty"`
	// Level holds levels that pass; only flag rules may test the level.
	Level []Level `json:"level,omitempty"`
}

// Method is how an instrument turns dimension scores into its category.
type Method string

// Scoring methods.
const (
	// MethodSum: dimensions are sums of item points; the category is the
	// band of Scoring.Bands that holds the banded dimension (eHEALS).
	MethodSum Method = "sum"
	// MethodDSI20: Eurostat's Digital Skills Indicator 2.0; per-area levels
	// from Scoring.Areas thresholds, then the overall level from how many
	// areas reach basic and above basic.
	MethodDSI20 Method = "dsi_2_0"
	// MethodPix: like MethodSum, but the band is reported as the Pix level.
	MethodPix Method = "pix"
)

// Scoring turns answers into dimension scores, a category, a level and flags.
type Scoring struct {
	Method     Method      `json:"method" jsonschema:"enum=sum,enum=dsi_2_0,enum=pix"`
	Dimensions []Dimension `json:"dimensions,omitempty"`
	// Bands cut one dimension into the instrument's categories.
	Bands *Banding `json:"bands,omitempty"`
	// Areas are the DSI skill areas and their thresholds.
	Areas []Area `json:"areas,omitempty"`
	// AssessedIf: when it does not hold, a dsi_2_0 instrument is "not
	// assessed" (no internet use in the last 3 months).
	AssessedIf *Condition `json:"assessed_if,omitempty"`
	// Levels are tried in order; the first whose condition holds gives the
	// level. The last one must have no condition.
	Levels []LevelRule `json:"levels" jsonschema:"minItems=1"`
	// Flags are all tried; each one that holds raises its flag.
	Flags []FlagRule `json:"flags,omitempty"`
}

// Dimension is a score: the sum of its items' points (a boolean counts 1
// when true, an integer or likert answer its value, a choice or multi the
// points of the chosen options).
type Dimension struct {
	ID    string   `json:"id" jsonschema:"pattern=^[a-z][a-z0-9_]*$"`
	Text  Text     `json:"text"`
	Items []string `json:"items" jsonschema:"minItems=1"`
}

// Banding cuts a dimension into consecutive bands.
type Banding struct {
	Dimension string `json:"dimension"`
	Bands     []Band `json:"bands" jsonschema:"minItems=1"`
}

// Band is one category of a banded dimension, Min..Max inclusive; a band
// with no Max is open-ended.
type Band struct {
	ID   string   `json:"id" jsonschema:"pattern=^[a-z0-9][a-z0-9_]*$"`
	Min  float64  `json:"min"`
	Max  *float64 `json:"max,omitempty"`
	Text Text     `json:"text"`
}

// Area is a DSI skill area. It is basic from BasicAt activities and above
// basic from AboveBasicAt activities.
type Area struct {
	ID           string `json:"id" jsonschema:"pattern=^[a-z][a-z0-9_]*$"`
	Text         Text   `json:"text"`
	BasicAt      int    `json:"basic_at" jsonschema:"minimum=1"`
	AboveBasicAt int    `json:"above_basic_at" jsonschema:"minimum=1"`
}

// LevelRule gives Level, explained by Why, when When holds (always when
// When is nil).
type LevelRule struct {
	When  *Condition `json:"when,omitempty"`
	Level Level      `json:"level" jsonschema:"enum=no_access,enum=beginner,enum=intermediate,enum=autonomous"`
	Why   Text       `json:"why"`
}

// FlagRule raises Flag, explained by Why, when When holds.
type FlagRule struct {
	When Condition `json:"when"`
	Flag Flag      `json:"flag" jsonschema:"pattern=^[a-z][a-z0-9_]*$"`
	Why  Text      `json:"why"`
}
