package desk

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/google/uuid"
	"github.com/passerelle-sante/passerelle/assessment"
	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/referral"
	"github.com/passerelle-sante/passerelle/territory"
)

// The JSON API mirrors the screens (openapi.yaml documents it). It goes
// through the same code as the pages; only the reading of the input and
// the writing of the answer differ.

// decodeJSON reads a JSON body (at most 64 KiB, no unknown field) into v;
// on failure it answers 400 (or 415) saying what is wrong, and returns false.
func (s *Server) decodeJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		s.apiError(w, r, http.StatusUnsupportedMediaType, "unsupported_media_type", "body: send application/json")
		return false
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		s.apiError(w, r, http.StatusBadRequest, "bad_request", "body: "+err.Error())
		return false
	}
	return true
}

// apiInvalid answers 422 with a *fieldErr's message, or 500.
func (s *Server) apiInvalid(w http.ResponseWriter, r *http.Request, err error) {
	var fe *fieldErr
	if errors.As(err, &fe) {
		s.apiError(w, r, http.StatusUnprocessableEntity, "invalid", fe.msg)
		return
	}
	s.internal(w, r, err)
}

// apiCallState is a call as the API shows it.
type apiCallState struct {
	CallID     string          `json:"call_id"`
	PersonID   string          `json:"person_id"`
	Question   *questionView   `json:"question,omitempty"`
	Result     *resultView     `json:"result,omitempty"`
	Commune    *apiCommune     `json:"commune,omitempty"`
	Pathways   []pathwayView   `json:"pathways,omitempty"`
	Referrals  []string        `json:"referrals"`
	Candidates []communeOption `json:"candidates,omitempty"`
}

type apiCommune struct {
	Code string `json:"code"`
	Name string `json:"nom"`
}

// callState describes c. Called with c.mu held.
func (s *Server) callState(c *call, lang assessment.Lang) apiCallState {
	st := apiCallState{CallID: c.ID, PersonID: c.PersonID.String(), Referrals: []string{}}
	st.Question, st.Result = c.advance(lang)
	if c.Commune != nil {
		st.Commune = &apiCommune{Code: c.Commune.Code, Name: c.Commune.Name}
	}
	if c.Proposal != nil {
		st.Pathways = s.viewPathways(c.Proposal, lang)
	}
	for _, id := range c.Recorded {
		st.Referrals = append(st.Referrals, id.String())
	}
	return st
}

func (s *Server) apiNewCall(w http.ResponseWriter, r *http.Request) {
	var in struct {
		PersonID string `json:"person_id"`
	}
	if r.ContentLength != 0 && !s.decodeJSON(w, r, &in) {
		return
	}
	pid := uuid.New()
	if in.PersonID != "" {
		var err error
		if pid, err = uuid.Parse(in.PersonID); err != nil {
			s.apiError(w, r, http.StatusUnprocessableEntity, "invalid", tr(langOf(r.Context()), "call.badperson", in.PersonID))
			return
		}
	}
	ss, _ := s.sessionOf(r)
	c, err := s.startCall(ss.AccountID, pid)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	w.Header().Set("Location", "/api/v1/calls/"+c.ID)
	writeJSON(w, http.StatusCreated, s.callState(c, langOf(r.Context())))
}

func (s *Server) apiCall(w http.ResponseWriter, r *http.Request) {
	c, ok := s.callOf(w, r)
	if !ok {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	writeJSON(w, http.StatusOK, s.callState(c, langOf(r.Context())))
}

// apiAnswerIn is one answer: a string, a number, a boolean or a list of
// strings (multi-choice items).
type apiAnswerIn struct {
	Item   string          `json:"item"`
	Answer json.RawMessage `json:"answer"`
}

// answerValues turns the JSON answer into the form's values.
func answerValues(raw json.RawMessage) ([]string, error) {
	var list []string
	if err := json.Unmarshal(raw, &list); err == nil {
		return list, nil
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, fmt.Errorf("answer: %v", err)
	}
	switch x := v.(type) {
	case string:
		return []string{x}, nil
	case bool, float64:
		return []string{fmt.Sprint(x)}, nil
	}
	return nil, errors.New("answer: a string, a number, a boolean or a list of strings")
}

func (s *Server) apiAnswer(w http.ResponseWriter, r *http.Request) {
	c, ok := s.callOf(w, r)
	if !ok {
		return
	}
	var in apiAnswerIn
	if !s.decodeJSON(w, r, &in) {
		return
	}
	vals, err := answerValues(in.Answer)
	if err != nil {
		s.apiError(w, r, http.StatusBadRequest, "bad_request", err.Error())
		return
	}
	lang := langOf(r.Context())
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.answer(in.Item, vals, lang); err != nil {
		s.apiInvalid(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.callState(c, lang))
}

func (s *Server) apiWhere(w http.ResponseWriter, r *http.Request) {
	c, ok := s.callOf(w, r)
	if !ok {
		return
	}
	var in struct {
		Commune     string                `json:"commune"`
		AgeBand     referral.AgeBand      `json:"age_band"`
		Needs       []referral.Need       `json:"needs"`
		Constraints []referral.Constraint `json:"constraints"`
	}
	if !s.decodeJSON(w, r, &in) {
		return
	}
	lang := langOf(r.Context())
	form := map[string][]string{"age_band": {string(in.AgeBand)}}
	for _, n := range in.Needs {
		form["need"] = append(form["need"], string(n))
	}
	for _, k := range in.Constraints {
		form["constraint"] = append(form["constraint"], string(k))
	}
	sit, err := situationOf(form)
	if err != nil {
		s.apiError(w, r, http.StatusUnprocessableEntity, "invalid", tr(lang, "call.badfield", err.Error()))
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	cands, err := s.refer(r.Context(), c, in.Commune, sit, lang)
	if err != nil {
		var fe *fieldErr
		if errors.As(err, &fe) {
			st := s.callState(c, lang)
			st.Candidates = communeOptions(cands)
			writeJSON(w, http.StatusUnprocessableEntity, struct {
				apiProblem
				Candidates []communeOption `json:"candidates,omitempty"`
			}{apiProblem{Error: "invalid", Message: fe.msg}, st.Candidates})
			return
		}
		s.internal(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.callState(c, lang))
}

func (s *Server) apiRecord(w http.ResponseWriter, r *http.Request) {
	c, ok := s.callOf(w, r)
	if !ok {
		return
	}
	var in struct {
		Pathway string `json:"pathway"`
		PlaceID string `json:"place_id"`
	}
	if !s.decodeJSON(w, r, &in) {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	ref, err := s.recordChoice(r.Context(), c, in.Pathway, in.PlaceID, langOf(r.Context()))
	if err != nil {
		s.apiInvalid(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/referrals/"+ref.ID.String())
	writeJSON(w, http.StatusCreated, ref)
}

func (s *Server) apiReferral(w http.ResponseWriter, r *http.Request) {
	ref, ok := s.referralOf(w, r)
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, ref)
}

func (s *Server) apiStatus(w http.ResponseWriter, r *http.Request) {
	ref, ok := s.referralOf(w, r)
	if !ok {
		return
	}
	var in statusInput
	if !s.decodeJSON(w, r, &in) {
		return
	}
	err := s.applyStatus(r.Context(), &ref, in, langOf(r.Context()))
	var se *statusError
	switch {
	case err == nil:
		writeJSON(w, http.StatusOK, ref)
	case errors.As(err, &se) && se.conflict:
		s.apiError(w, r, http.StatusConflict, "conflict", se.msg)
	case errors.As(err, &se):
		s.apiError(w, r, http.StatusUnprocessableEntity, "invalid", se.msg)
	default:
		s.internal(w, r, err)
	}
}

func (s *Server) apiFollowup(w http.ResponseWriter, r *http.Request) {
	due, err := s.st.DueForFollowUp(r.Context(), s.now().In(paris()))
	if err != nil {
		s.internal(w, r, err)
		return
	}
	open, more, err := s.openReferrals(r.Context())
	if err != nil {
		s.internal(w, r, err)
		return
	}
	if due == nil {
		due = []referral.FollowUp{}
	}
	if open == nil {
		open = []referral.Referral{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"day": s.now().In(paris()).Format("2006-01-02"), "due": due, "open": open, "truncated": more})
}

func (s *Server) apiPerson(w http.ResponseWriter, r *http.Request) {
	lang := langOf(r.Context())
	pid, err := uuid.Parse(r.PathValue("pid"))
	if err != nil {
		s.apiError(w, r, http.StatusBadRequest, "bad_request", tr(lang, "call.badperson", r.PathValue("pid")))
		return
	}
	refs, err := s.personReferrals(r.Context(), pid.String())
	if err != nil {
		s.internal(w, r, err)
		return
	}
	if len(refs) == 0 {
		s.apiError(w, r, http.StatusNotFound, "not_found", tr(lang, "person.none", pid.String()))
		return
	}
	type level struct {
		At     string           `json:"at"`
		Level  assessment.Level `json:"level"`
		Source string           `json:"source"`
	}
	var levels []level
	for _, p := range levelsOf(refs, assessment.LangEN) {
		levels = append(levels, level{At: p.At.Format("2006-01-02T15:04:05Z07:00"), Level: assessment.Level(p.LevelCode), Source: p.Source})
	}
	writeJSON(w, http.StatusOK, map[string]any{"person_id": pid.String(), "referrals": refs, "levels": levels})
}

func (s *Server) apiActions(w http.ResponseWriter, r *http.Request) {
	as, err := s.recentActions(r.Context(), s.accountOf(r))
	if err != nil {
		s.internal(w, r, err)
		return
	}
	if as == nil {
		as = []mediation.Action{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"actions": as})
}

func (s *Server) apiRecordAction(w http.ResponseWriter, r *http.Request) {
	var f actionForm
	if !s.decodeJSON(w, r, &f) {
		return
	}
	a, err := s.buildAction(s.accountOf(r), f, langOf(r.Context()))
	if err == nil {
		_, err = s.st.SaveActions(r.Context(), []mediation.Action{a})
	}
	if errors.Is(err, mediation.ErrInvalidRecord) {
		s.apiError(w, r, http.StatusUnprocessableEntity, "invalid", recordErrorText(err, langOf(r.Context())))
		return
	}
	if err != nil {
		s.apiInvalid(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, a)
}

func (s *Server) apiQuestions(w http.ResponseWriter, r *http.Request) {
	d, err := s.questionsData(r.Context(), s.accountOf(r), langOf(r.Context()))
	if err != nil {
		s.internal(w, r, err)
		return
	}
	type q struct {
		ID      string   `json:"id"`
		Text    string   `json:"question"`
		Answer  string   `json:"answer,omitempty"`
		Open    bool     `json:"open"`
		Version int      `json:"version"`
		Tags    []string `json:"tags,omitempty"`
		AskedAt string   `json:"asked_at"`
	}
	out := []q{}
	for _, rows := range [][]questionRow{d.Open, d.Answered} {
		for _, x := range rows {
			out = append(out, q{ID: x.ID, Text: x.Text, Answer: x.Answer, Open: x.Open, Version: x.Version, Tags: x.Tags,
				AskedAt: x.AskedAt.Format("2006-01-02T15:04:05Z07:00")})
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"questions": out})
}

func (s *Server) apiAskQuestion(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Question string `json:"question"`
		Region   string `json:"region"`
	}
	if !s.decodeJSON(w, r, &in) {
		return
	}
	lang := langOf(r.Context())
	acc := s.accountOf(r)
	if in.Region == "" {
		in.Region = acc.Region
	}
	if _, ok := s.communes.Region(in.Region); !ok {
		s.apiError(w, r, http.StatusUnprocessableEntity, "invalid", tr(lang, "question.badregion", in.Region))
		return
	}
	q := mediation.Question{ID: uuid.New(), Region: in.Region, AskedAt: s.now(), Text: strings.TrimSpace(in.Question),
		Status: mediation.QuestionOpen, AmbassadorID: acc.AmbassadorID}
	err := q.ValidateAt(s.now())
	if err == nil {
		err = s.st.SaveQuestion(r.Context(), q)
	}
	if errors.Is(err, mediation.ErrInvalidRecord) {
		s.apiError(w, r, http.StatusUnprocessableEntity, "invalid", recordErrorText(err, lang))
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"id": q.ID.String(), "version": 1})
}

func (s *Server) apiAnswerQuestion(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Answer  string `json:"answer"`
		Version int    `json:"version"`
	}
	if !s.decodeJSON(w, r, &in) {
		return
	}
	lang := langOf(r.Context())
	err := s.applyAnswer(r.Context(), r.PathValue("id"), in.Answer, fmt.Sprint(in.Version), lang)
	switch {
	case err == nil:
		w.WriteHeader(http.StatusNoContent)
	case errors.Is(err, mediation.ErrNotFound):
		s.apiError(w, r, http.StatusNotFound, "not_found", tr(lang, "question.notfound", r.PathValue("id")))
	case errors.Is(err, mediation.ErrConflict):
		s.apiError(w, r, http.StatusConflict, "conflict", tr(lang, "error.conflict"))
	default:
		s.apiInvalid(w, r, err)
	}
}

// communeOptions describes matches for the API.
func communeOptions(ms []territory.Match) []communeOption {
	var out []communeOption
	for _, m := range ms {
		o := communeOption{Code: m.Commune.Code, Name: m.Commune.Name, Departement: m.Commune.Departement,
			Label: communeLabel(m.Commune), Score: m.Score}
		if len(m.Commune.PostalCodes) > 0 {
			o.PostalCode = m.Commune.PostalCodes[0]
		}
		out = append(out, o)
	}
	return out
}
