package desk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/passerelle-sante/passerelle/assessment"
	"github.com/passerelle-sante/passerelle/referral"
	"github.com/passerelle-sante/passerelle/store"
	"github.com/passerelle-sante/passerelle/territory"
)

// call is one call in progress: the caller's pseudonymous id, the triage
// session, then the commune and situation, then the proposal. It lives in
// memory only; what is kept is the Referral recorded at the end.
type call struct {
	mu       sync.Mutex
	ID       string
	Owner    uuid.UUID
	PersonID uuid.UUID
	session  *assessment.Session
	// Result is set once the triage has no question left.
	Result *assessment.Result
	// Where the caller lives and what they need, once given.
	Commune     *territory.Commune
	AgeBand     referral.AgeBand
	Needs       []referral.Need
	Constraints []referral.Constraint
	Proposal    *referral.Proposal
	Recorded    []uuid.UUID
	seen        time.Time
}

// callStore keeps the calls in progress for a few hours.
type callStore struct {
	mu  sync.Mutex
	m   map[string]*call
	now func() time.Time
}

// callTTL is how long a call with no request stays in memory.
const callTTL = 4 * time.Hour

func newCallStore(now func() time.Time) *callStore {
	return &callStore{m: map[string]*call{}, now: now}
}

func (cs *callStore) add(c *call) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	now := cs.now()
	for id, o := range cs.m {
		o.mu.Lock()
		old := now.Sub(o.seen) > callTTL
		o.mu.Unlock()
		if old {
			delete(cs.m, id)
		}
	}
	c.seen = now
	cs.m[c.ID] = c
}

// get returns the call with id if it belongs to owner (a call is the
// teleadvisor's own: an id guessed or shared does not open it).
func (cs *callStore) get(id string, owner uuid.UUID) (*call, bool) {
	cs.mu.Lock()
	c, ok := cs.m[id]
	cs.mu.Unlock()
	if !ok || c.Owner != owner {
		return nil, false
	}
	return c, true
}

// triage is the built-in phone triage, compiled once.
var triage = sync.OnceValues(func() (*assessment.Instrument, error) { return assessment.Builtin("triage") })

// newCall starts a call; GET /call?person=ID continues with a known person.
func (s *Server) newCall(w http.ResponseWriter, r *http.Request) {
	ss, _ := s.sessionOf(r)
	lang := langOf(r.Context())
	pid := uuid.New()
	if p := r.URL.Query().Get("person"); p != "" {
		var err error
		if pid, err = uuid.Parse(p); err != nil {
			s.fail(w, r, http.StatusBadRequest, tr(lang, "call.badperson", p))
			return
		}
	}
	c, err := s.startCall(ss.AccountID, pid)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	http.Redirect(w, r, "/call/"+c.ID, http.StatusSeeOther)
}

func (s *Server) startCall(owner, person uuid.UUID) (*call, error) {
	in, err := triage()
	if err != nil {
		return nil, err
	}
	c := &call{ID: randomToken(16), Owner: owner, PersonID: person, session: assessment.NewSession(in)}
	s.calls.add(c)
	return c, nil
}

// callOf finds the request's call or answers 404.
func (s *Server) callOf(w http.ResponseWriter, r *http.Request) (*call, bool) {
	ss, _ := s.sessionOf(r)
	c, ok := s.calls.get(r.PathValue("cid"), ss.AccountID)
	if !ok {
		s.fail(w, r, http.StatusNotFound, tr(langOf(r.Context()), "call.notfound"))
		return nil, false
	}
	c.mu.Lock()
	c.seen = s.now()
	c.mu.Unlock()
	return c, true
}

// questionView is one triage question as the page shows it.
type questionView struct {
	ID      string                `json:"id"`
	Text    string                `json:"text"`
	Help    string                `json:"help,omitempty"`
	Type    assessment.AnswerType `json:"type"`
	Options []optionView          `json:"options,omitempty"`
	Min     int                   `json:"min,omitempty"`
	Max     int                   `json:"max,omitempty"`
	Number  int                   `json:"number"` // how many answered so far + 1
}

type optionView struct {
	Value string `json:"value"`
	Text  string `json:"text"`
	Key   int    `json:"key,omitempty"` // the keyboard shortcut, 1 to 9 (0: none)
}

func viewQuestion(it assessment.Item, lang assessment.Lang, answered int) questionView {
	q := questionView{ID: it.ID, Text: it.Text.In(lang), Type: it.Type, Number: answered + 1}
	if it.Help != nil {
		q.Help = it.Help.In(lang)
	}
	switch it.Type {
	case assessment.AnswerBoolean:
		q.Options = []optionView{{Value: "true", Text: tr(lang, "common.yes")}, {Value: "false", Text: tr(lang, "common.no")}}
	case assessment.AnswerChoice, assessment.AnswerMulti:
		for _, o := range it.Options {
			q.Options = append(q.Options, optionView{Value: o.Value, Text: o.Text.In(lang)})
		}
	case assessment.AnswerLikert:
		lo, hi := 1, 5
		if it.Min != nil {
			lo = *it.Min
		}
		if it.Max != nil {
			hi = *it.Max
		}
		for v := lo; v <= hi; v++ {
			text := strconv.Itoa(v)
			if i := v - lo; i < len(it.Labels) {
				text += " — " + it.Labels[i].In(lang)
			}
			q.Options = append(q.Options, optionView{Value: strconv.Itoa(v), Text: text})
		}
	case assessment.AnswerInteger:
		if it.Min != nil {
			q.Min = *it.Min
		}
		q.Max = 1 << 30
		if it.Max != nil {
			q.Max = *it.Max
		}
	}
	for i := range q.Options {
		if i < 9 {
			q.Options[i].Key = i + 1
		}
	}
	return q
}

// resultView is the triage's outcome as the teleadvisor reads it out.
type resultView struct {
	Level     assessment.Level  `json:"level"`
	LevelText string            `json:"level_text"`
	Why       []string          `json:"why"`
	FlagCodes []assessment.Flag `json:"flags"`
	Flags     []string          `json:"flag_texts"`
}

// advance returns the triage's next question, or once it is over its
// result, which the call then keeps. The caller holds c.mu.
func (c *call) advance(lang assessment.Lang) (*questionView, *resultView) {
	if c.Result == nil {
		it, more := c.session.Next()
		if more {
			q := viewQuestion(it, lang, c.session.Answers().Len())
			return &q, nil
		}
		res := c.session.Result()
		c.Result = &res
	}
	rv := viewResult(c.Result, lang)
	return nil, &rv
}

func viewResult(r *assessment.Result, lang assessment.Lang) resultView {
	v := resultView{Level: r.Level, LevelText: r.Level.Text().In(lang), Why: r.WhyIn(lang), FlagCodes: r.Flags}
	for _, f := range r.Flags {
		v.Flags = append(v.Flags, tr(lang, "flag."+string(f)))
	}
	return v
}

// choice is one checkbox of the where form.
type choice struct {
	Value   string
	Text    string
	Checked bool
}

// callData is the call page's content.
type callData struct {
	ID       string
	PersonID string
	Question *questionView
	Result   *resultView
	// The where form.
	Commune     string
	CommuneName string
	AgeBands    []choice
	Needs       []choice
	Constraints []choice
	Suggestions []communeOption
	Error       string
	// The answers given so far, each with a link to change it.
	Answered []answeredView
	// Editing is true when the question shown changes an earlier answer.
	Editing bool
	// The proposal.
	Pathways []pathwayView
	Map      *placeMap
	Recorded []string
}

func (s *Server) callPage(w http.ResponseWriter, r *http.Request) {
	c, ok := s.callOf(w, r)
	if !ok {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	s.renderCall(w, r, c, http.StatusOK, "", "", nil)
}

// renderCall shows the call as it stands. Called with c.mu held.
func (s *Server) renderCall(w http.ResponseWriter, r *http.Request, c *call, status int, typed, errMsg string, suggestions []territory.Match) {
	lang := langOf(r.Context())
	d := callData{ID: c.ID, PersonID: c.PersonID.String(), Error: errMsg, Suggestions: communeOptions(suggestions), Commune: typed}
	d.Answered = answeredViews(c.session, lang)
	if edit := r.URL.Query().Get("edit"); edit != "" && r.Method == http.MethodGet {
		if it, ok := c.session.Instrument().Item(edit); ok && slices.ContainsFunc(d.Answered, func(a answeredView) bool { return a.ID == edit }) {
			q := viewQuestion(it, lang, slices.IndexFunc(d.Answered, func(a answeredView) bool { return a.ID == edit }))
			d.Question, d.Editing = &q, true
			s.render(w, r, status, "call", s.page(r, "call.title", "call", d))
			return
		}
	}
	d.Question, d.Result = c.advance(lang)
	if d.Result != nil {
		if c.Commune != nil {
			d.CommuneName = c.Commune.Name
			if typed == "" {
				d.Commune = communeLabel(*c.Commune)
			}
		}
		d.AgeBands = choices(referral.AgeBands(), []referral.AgeBand{c.AgeBand}, "age.", lang)
		d.Needs = choices(referral.Needs(), c.Needs, "need.", lang)
		d.Constraints = choices(referral.Constraints(), c.Constraints, "constraint.", lang)
		if c.Proposal != nil {
			d.Pathways = s.viewPathways(c.Proposal, lang)
			d.Map = drawPlaceMap(c.Commune, d.Pathways, lang)
		}
	}
	for _, id := range c.Recorded {
		d.Recorded = append(d.Recorded, id.String())
	}
	s.render(w, r, status, "call", s.page(r, "call.title", "call", d))
}

func choices[T ~string](all, checked []T, prefix string, lang assessment.Lang) []choice {
	out := make([]choice, len(all))
	for i, v := range all {
		out[i] = choice{Value: string(v), Text: tr(lang, prefix+string(v)), Checked: slices.Contains(checked, v)}
	}
	return out
}

// communeLabel is what the commune field shows and what Find reads back:
// the name and the first postal code.
func communeLabel(c territory.Commune) string {
	if len(c.PostalCodes) > 0 {
		return c.Name + " " + c.PostalCodes[0]
	}
	return c.Name + " " + c.Code
}

// answer records one triage answer (POST /call/{cid}/answer: item, answer).
func (s *Server) answer(w http.ResponseWriter, r *http.Request) {
	c, ok := s.callOf(w, r)
	if !ok {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.answer(r.PostFormValue("item"), r.PostForm["answer"], langOf(r.Context())); err != nil {
		s.renderCallError(w, r, c, err.Error())
		return
	}
	http.Redirect(w, r, "/call/"+c.ID, http.StatusSeeOther)
}

// answer records the answer vals to item itemID, a new one or a change of
// an earlier one (the result and the proposal are then computed again).
// Called with c.mu held.
func (c *call) answer(itemID string, vals []string, lang assessment.Lang) error {
	it, ok := c.session.Instrument().Item(itemID)
	if !ok {
		return &fieldErr{msg: tr(lang, "call.baditem", itemID)}
	}
	v, err := parseAnswer(it, vals)
	if err == nil {
		err = c.session.Answer(itemID, v)
	}
	if err != nil {
		return &fieldErr{msg: tr(lang, "call.badanswer", it.Text.In(lang), err.Error())}
	}
	c.Result, c.Proposal = nil, nil
	if _, more := c.session.Next(); !more {
		res := c.session.Result()
		c.Result = &res
	}
	return nil
}

// answeredView is one answer given, as the call page recalls it.
type answeredView struct {
	ID       string
	Question string
	Answer   string
}

// answeredViews lists the answers of the session in the instrument's order.
func answeredViews(ss *assessment.Session, lang assessment.Lang) []answeredView {
	var out []answeredView
	for _, it := range ss.Instrument().Items() {
		v, ok := ss.Answers().Get(it.ID)
		if !ok {
			continue
		}
		out = append(out, answeredView{ID: it.ID, Question: it.Text.In(lang), Answer: answerText(it, v, lang)})
	}
	return out
}

// answerText says an answer with the words of its options.
func answerText(it assessment.Item, v assessment.Value, lang assessment.Lang) string {
	raw := v.String()
	var one string
	var many []string
	switch {
	case json.Unmarshal([]byte(raw), &one) == nil:
		many = []string{one}
	case json.Unmarshal([]byte(raw), &many) == nil:
	default:
		if it.Type == assessment.AnswerBoolean {
			if raw == "true" {
				return tr(lang, "common.yes")
			}
			return tr(lang, "common.no")
		}
		return raw
	}
	texts := make([]string, 0, len(many))
	for _, m := range many {
		t := m
		for _, o := range it.Options {
			if o.Value == m {
				t = o.Text.In(lang)
			}
		}
		texts = append(texts, t)
	}
	return strings.Join(texts, ", ")
}

func (s *Server) renderCallError(w http.ResponseWriter, r *http.Request, c *call, msg string) {
	s.renderCall(w, r, c, http.StatusUnprocessableEntity, "", msg, nil)
}

// parseAnswer reads the form values of one item.
func parseAnswer(it assessment.Item, vals []string) (assessment.Value, error) {
	switch it.Type {
	case assessment.AnswerMulti:
		return assessment.Choices(vals...), nil
	}
	if len(vals) != 1 {
		return assessment.Value{}, fmt.Errorf("answer: one value expected, got %d", len(vals))
	}
	v := strings.TrimSpace(vals[0])
	switch it.Type {
	case assessment.AnswerBoolean:
		b, err := strconv.ParseBool(v)
		if err != nil {
			return assessment.Value{}, fmt.Errorf("answer: %q is neither true nor false", v)
		}
		return assessment.Bool(b), nil
	case assessment.AnswerInteger, assessment.AnswerLikert:
		n, err := strconv.Atoi(v)
		if err != nil {
			return assessment.Value{}, fmt.Errorf("answer: %q is not a whole number", v)
		}
		return assessment.Int(n), nil
	default:
		return assessment.Choice(v), nil
	}
}

// resolveCommune turns what the teleadvisor typed into one commune. It
// returns the commune, or the candidates to choose from when the text is
// ambiguous (none: unknown).
func (s *Server) resolveCommune(text string) (*territory.Commune, []territory.Match) {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil, nil
	}
	ms := s.communes.Find(text, 6)
	if len(ms) == 0 {
		return nil, nil
	}
	top := ms[0]
	if len(ms) == 1 || top.Score >= 0.9 && (ms[1].Score < top.Score || strings.Contains(text, " ")) ||
		top.Score-ms[1].Score >= 0.1 {
		c := top.Commune
		return &c, nil
	}
	return nil, ms
}

// where reads the commune, age band, needs and constraints and asks the
// engine for pathways and places (POST /call/{cid}/where).
func (s *Server) where(w http.ResponseWriter, r *http.Request) {
	c, ok := s.callOf(w, r)
	if !ok {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	typed := r.PostFormValue("commune")
	in, err := situationOf(r.PostForm)
	if err == nil {
		var cands []territory.Match
		if cands, err = s.refer(r.Context(), c, typed, in, langOf(r.Context())); err != nil {
			var fe *fieldErr
			if errors.As(err, &fe) {
				s.renderCall(w, r, c, http.StatusUnprocessableEntity, typed, fe.msg, cands)
				return
			}
			s.internal(w, r, err)
			return
		}
	} else {
		s.renderCall(w, r, c, http.StatusUnprocessableEntity, typed, tr(langOf(r.Context()), "call.badfield", err.Error()), nil)
		return
	}
	http.Redirect(w, r, "/call/"+c.ID+"#proposals", http.StatusSeeOther)
}

// refer resolves the typed commune and runs the engine. A *fieldErr says
// what is wrong (with the candidate communes when the text is ambiguous).
// Called with c.mu held.
func (s *Server) refer(ctx context.Context, c *call, typed string, in situation, lang assessment.Lang) ([]territory.Match, error) {
	if c.Result == nil {
		return nil, &fieldErr{msg: tr(lang, "call.triagefirst")}
	}
	com, cands := s.resolveCommune(typed)
	if com == nil {
		msg := tr(lang, "call.unknowncommune", typed)
		if strings.TrimSpace(typed) == "" {
			msg = tr(lang, "call.nocommune")
		} else if len(cands) > 0 {
			msg = tr(lang, "call.ambiguouscommune", typed)
		}
		return cands, &fieldErr{msg: msg}
	}
	c.Commune, c.AgeBand, c.Needs, c.Constraints = com, in.AgeBand, in.Needs, in.Constraints
	p, err := s.engine.Refer(ctx, c.request(lang))
	if errors.Is(err, referral.ErrUnknownCommune) {
		return nil, &fieldErr{msg: tr(lang, "call.unknowncommune", typed)}
	}
	if err != nil {
		return nil, err
	}
	c.Proposal = p
	return nil, nil
}

// request is the engine's input for the call. Called with c.mu held.
func (c *call) request(lang assessment.Lang) referral.Request {
	p := referral.Person{ID: c.PersonID.String(), AgeBand: c.AgeBand, Needs: c.Needs, Constraints: c.Constraints}
	if c.Commune != nil {
		p.Commune = c.Commune.Code
	}
	if lang == assessment.LangEN && c.Result != nil && c.Result.HasFlag(assessment.FlagLanguageBarrier) {
		p.Language = "en"
	}
	return referral.Request{Assessment: *c.Result, Person: p}
}

// situation is the where form's checked values.
type situation struct {
	AgeBand     referral.AgeBand
	Needs       []referral.Need
	Constraints []referral.Constraint
}

func situationOf(form map[string][]string) (situation, error) {
	var s situation
	if ab := first(form["age_band"]); ab != "" {
		if !slices.Contains(referral.AgeBands(), referral.AgeBand(ab)) {
			return s, fmt.Errorf("age_band: %q is not one of %v", ab, referral.AgeBands())
		}
		s.AgeBand = referral.AgeBand(ab)
	}
	for _, n := range form["need"] {
		if !slices.Contains(referral.Needs(), referral.Need(n)) {
			return s, fmt.Errorf("need: %q is not one of %v", n, referral.Needs())
		}
		s.Needs = append(s.Needs, referral.Need(n))
	}
	for _, k := range form["constraint"] {
		if !slices.Contains(referral.Constraints(), referral.Constraint(k)) {
			return s, fmt.Errorf("constraint: %q is not one of %v", k, referral.Constraints())
		}
		s.Constraints = append(s.Constraints, referral.Constraint(k))
	}
	return s, nil
}

// record saves the referral to the chosen pathway and place
// (POST /call/{cid}/record: choice = "pathway|place").
func (s *Server) record(w http.ResponseWriter, r *http.Request) {
	c, ok := s.callOf(w, r)
	if !ok {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	pathway, place, _ := strings.Cut(r.PostFormValue("choice"), "|")
	ref, err := s.recordChoice(r.Context(), c, pathway, place, langOf(r.Context()))
	var fe *fieldErr
	if errors.As(err, &fe) {
		s.renderCallError(w, r, c, fe.msg)
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	s.redirectFlash(w, r, "/referrals/"+ref.ID.String(), "referral.recorded")
}

// recordChoice stores the referral of the call to pathway and place.
// Called with c.mu held.
func (s *Server) recordChoice(ctx context.Context, c *call, pathway, place string, lang assessment.Lang) (referral.Referral, error) {
	if c.Proposal == nil {
		return referral.Referral{}, &fieldErr{msg: tr(lang, "call.nothingtorecord")}
	}
	ref, err := referral.NewReferral(c.Proposal, c.request(lang), referral.PathwayID(pathway), place, referral.ActorDesk, s.now())
	if err != nil {
		return ref, &fieldErr{msg: tr(lang, "call.badchoice", pathway+"|"+place, err.Error())}
	}
	if err := s.st.Save(ctx, ref); err != nil {
		return ref, err
	}
	if stored, err := s.st.Get(ctx, ref.ID); err == nil {
		ref = stored // with the store's version
	}
	c.Recorded = append(c.Recorded, ref.ID)
	s.log.Info("referral recorded", "referral", ref.ID.String(), "pathway", string(ref.Pathway))
	return ref, nil
}

// communeOption is one suggestion of /api/communes.
type communeOption struct {
	Code        string  `json:"code"`
	Name        string  `json:"nom"`
	PostalCode  string  `json:"code_postal,omitempty"`
	Departement string  `json:"departement"`
	Label       string  `json:"label"`
	Score       float64 `json:"score"`
}

// apiCommunes suggests communes for what was typed (GET /api/communes?q=).
func (s *Server) apiCommunes(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query().Get("q")
	if len(q) > territory.MaxQueryBytes {
		s.apiError(w, r, http.StatusBadRequest, "bad_request", fmt.Sprintf("q: at most %d bytes", territory.MaxQueryBytes))
		return
	}
	out := communeOptions(s.communes.Find(q, 8))
	if out == nil {
		out = []communeOption{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"communes": out})
}

// accountOf is the signed-in account of a request inside needs.
func (s *Server) accountOf(r *http.Request) *store.Account {
	ss, ok := s.sessionOf(r)
	if !ok {
		return nil
	}
	return ss.account()
}

func first(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}
