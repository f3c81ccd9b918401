package desk

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/passerelle-sante/passerelle/assessment"
	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/store"
	"github.com/passerelle-sante/passerelle/territory"
)

// actionForm is the action form as typed (kept on an error, so nothing is
// typed twice).
type actionForm struct {
	Type        string `json:"type"`
	Date        string `json:"date"`
	Duration    string `json:"-"`
	DurationN   int    `json:"duration_minutes"`
	Commune     string `json:"commune"`
	Remote      bool   `json:"remote"`
	Sensitised  string `json:"-"`
	SensitisedN int    `json:"people_sensitised"`
	Activated   string `json:"-"`
	ActivatedN  int    `json:"accounts_activated"`
	Referrals   string `json:"-"`
	ReferralsN  int    `json:"referrals_made"`
}

// actionRow is one recorded action in the list.
type actionRow struct {
	ID         string
	Type       string
	Date       time.Time
	Duration   int
	Commune    string
	Sensitised int
	Activated  int
	Referrals  int
}

// actionsData is the actions page's content.
type actionsData struct {
	Form    actionForm
	Types   []choice
	Error   string
	Recent  []actionRow
	MaxDate string
}

func (s *Server) actionsData(ctx context.Context, acc *store.Account, f actionForm, errMsg string, lang assessment.Lang) (actionsData, error) {
	d := actionsData{Form: f, Error: errMsg, MaxDate: s.now().In(paris()).Format("2006-01-02")}
	d.Types = choices(mediation.ActionTypes(), []mediation.ActionType{mediation.ActionType(f.Type)}, "action.", lang)
	recent, err := s.recentActions(ctx, acc)
	if err != nil {
		return d, err
	}
	for _, a := range recent {
		row := actionRow{ID: a.ID.String(), Type: tr(lang, "action."+string(a.Type)), Date: a.Date, Duration: a.DurationMinutes,
			Sensitised: a.PeopleSensitised, Activated: a.AccountsActivated, Referrals: a.ReferralsMade}
		if c, ok := s.communes.Commune(a.Commune); ok {
			row.Commune = c.Name
		} else if a.Remote {
			row.Commune = tr(lang, "action.remote")
		}
		d.Recent = append(d.Recent, row)
	}
	return d, nil
}

// recentActions lists the account's actions of the last 90 days, newest
// first (an account not linked to an ambassador sees its région's).
func (s *Server) recentActions(ctx context.Context, acc *store.Account) ([]mediation.Action, error) {
	f := mediation.ActionFilter{From: s.now().AddDate(0, 0, -90), AmbassadorID: acc.AmbassadorID, Region: acc.Region, Limit: 1000}
	var all []mediation.Action
	for {
		page, next, err := s.st.ListActions(ctx, f)
		if err != nil {
			return nil, err
		}
		all = append(all, page...)
		if next == "" || len(all) >= 5000 {
			break
		}
		f.Cursor = next
	}
	slices.SortFunc(all, func(a, b mediation.Action) int { return b.Date.Compare(a.Date) })
	if len(all) > 50 {
		all = all[:50]
	}
	return all, nil
}

// actions shows the action form and the recent actions.
func (s *Server) actions(w http.ResponseWriter, r *http.Request) {
	lang := langOf(r.Context())
	f := actionForm{Date: s.now().In(paris()).Format("2006-01-02"), Duration: "120", Type: string(mediation.ActionAccountStand)}
	d, err := s.actionsData(r.Context(), s.accountOf(r), f, "", lang)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "actions", s.page(r, "actions.title", "actions", d))
}

// fieldErr is a refused field, said in the request's language.
type fieldErr struct{ msg string }

func (e *fieldErr) Error() string { return e.msg }

// buildAction checks the form and returns the action to store.
func (s *Server) buildAction(acc *store.Account, f actionForm, lang assessment.Lang) (mediation.Action, error) {
	bad := func(key string, args ...any) error { return &fieldErr{msg: tr(lang, key, args...)} }
	a := mediation.Action{ID: uuid.New(), Type: mediation.ActionType(f.Type), RecordedAt: s.now(),
		DurationMinutes: f.DurationN, PeopleSensitised: f.SensitisedN, AccountsActivated: f.ActivatedN, ReferralsMade: f.ReferralsN,
		Remote: f.Remote}
	if !a.Type.Valid() {
		return a, bad("action.badtype", f.Type)
	}
	day, err := time.ParseInLocation("2006-01-02", f.Date, paris())
	if err != nil {
		return a, bad("action.baddate", f.Date)
	}
	a.Date = day.Add(12 * time.Hour)
	if a.Date.After(s.now()) {
		a.Date = s.now()
	}
	if day.After(s.now()) {
		return a, bad("action.futuredate", f.Date)
	}
	for _, n := range []struct {
		field, raw string
		dst        *int
	}{{"duration_minutes", f.Duration, &a.DurationMinutes}, {"people_sensitised", f.Sensitised, &a.PeopleSensitised},
		{"accounts_activated", f.Activated, &a.AccountsActivated}, {"referrals_made", f.Referrals, &a.ReferralsMade}} {
		if n.raw == "" {
			continue
		}
		v, err := strconv.Atoi(strings.TrimSpace(n.raw))
		if err != nil || v < 0 {
			return a, bad("action.badcount", tr(lang, "action.field."+n.field), n.raw)
		}
		*n.dst = v
	}
	if strings.TrimSpace(f.Commune) != "" {
		com, cands := s.resolveCommune(f.Commune)
		if com == nil {
			if len(cands) > 0 {
				return a, bad("action.ambiguouscommune", f.Commune, suggestionList(cands))
			}
			return a, bad("call.unknowncommune", f.Commune)
		}
		a.Commune, a.Departement, a.Region = com.Code, com.Departement, com.Region
	} else if !a.Remote {
		return a, bad("action.nowhere")
	}
	if acc.AmbassadorID != uuid.Nil {
		a.AmbassadorIDs = []uuid.UUID{acc.AmbassadorID}
	}
	if err := a.ValidateAt(s.now()); err != nil {
		return a, &fieldErr{msg: recordErrorText(err, lang)}
	}
	return a, nil
}

// suggestionList names the candidate communes of an ambiguous text.
func suggestionList(ms []territory.Match) string {
	var names []string
	for _, m := range ms {
		names = append(names, communeLabel(m.Commune))
	}
	return strings.Join(names, ", ")
}

// recordErrorText says a mediation validation error field by field in lang.
func recordErrorText(err error, lang assessment.Lang) string {
	var re *mediation.RecordError
	if !errors.As(err, &re) {
		return err.Error()
	}
	var parts []string
	for _, p := range re.Problems {
		parts = append(parts, p.Field+" : "+p.Text(string(lang)))
	}
	return strings.Join(parts, " ; ")
}

func readActionForm(r *http.Request) actionForm {
	return actionForm{Type: r.PostFormValue("type"), Date: r.PostFormValue("date"), Duration: r.PostFormValue("duration_minutes"),
		Commune: r.PostFormValue("commune"), Remote: r.PostFormValue("remote") != "",
		Sensitised: r.PostFormValue("people_sensitised"), Activated: r.PostFormValue("accounts_activated"),
		Referrals: r.PostFormValue("referrals_made")}
}

// recordAction stores the action of the form (POST /actions).
func (s *Server) recordAction(w http.ResponseWriter, r *http.Request) {
	lang := langOf(r.Context())
	acc := s.accountOf(r)
	f := readActionForm(r)
	a, err := s.buildAction(acc, f, lang)
	if err == nil {
		_, err = s.st.SaveActions(r.Context(), []mediation.Action{a})
	}
	var fe *fieldErr
	if errors.As(err, &fe) || errors.Is(err, mediation.ErrInvalidRecord) {
		msg := recordErrorText(err, lang)
		if fe != nil {
			msg = fe.msg
		}
		d, derr := s.actionsData(r.Context(), acc, f, msg, lang)
		if derr != nil {
			s.internal(w, r, derr)
			return
		}
		s.render(w, r, http.StatusUnprocessableEntity, "actions", s.page(r, "actions.title", "actions", d))
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	s.log.Info("action recorded", "action", a.ID.String(), "type", string(a.Type))
	s.redirectFlash(w, r, "/actions", "action.recorded")
}

// questionRow is one question in the list.
type questionRow struct {
	ID       string
	Text     string
	Answer   string
	Status   string
	Open     bool
	AskedAt  time.Time
	Version  int
	Region   string
	Tags     []string
	Answered time.Time
}

// questionsData is the questions page's content.
type questionsData struct {
	Open     []questionRow
	Answered []questionRow
	Regions  []choice
	Error    string
	Draft    string
}

func (s *Server) questionsData(ctx context.Context, acc *store.Account, lang assessment.Lang) (questionsData, error) {
	var d questionsData
	f := mediation.QuestionFilter{Region: acc.Region, Limit: 1000}
	var all []mediation.Question
	for {
		page, next, err := s.st.ListQuestions(ctx, f)
		if err != nil {
			return d, err
		}
		all = append(all, page...)
		if next == "" || len(all) >= 5000 {
			break
		}
		f.Cursor = next
	}
	slices.SortFunc(all, func(a, b mediation.Question) int { return b.AskedAt.Compare(a.AskedAt) })
	for _, q := range all {
		row := questionRow{ID: q.ID.String(), Text: q.Text, Answer: q.Answer, Status: tr(lang, "question."+string(q.Status)),
			Open: q.Status == mediation.QuestionOpen, AskedAt: q.AskedAt, Version: q.Version, Tags: q.Tags, Answered: q.AnsweredAt}
		if rg, ok := s.communes.Region(q.Region); ok {
			row.Region = rg.Name
		}
		if row.Open {
			d.Open = append(d.Open, row)
		} else if len(d.Answered) < 100 {
			d.Answered = append(d.Answered, row)
		}
	}
	d.Regions = s.regionChoices(acc.Region)
	return d, nil
}

// regionChoices lists the régions, the account's checked.
func (s *Server) regionChoices(selected string) []choice {
	seen := map[string]bool{}
	var out []choice
	for _, dep := range s.communes.Departements() {
		if seen[dep.Region] {
			continue
		}
		seen[dep.Region] = true
		if rg, ok := s.communes.Region(dep.Region); ok {
			out = append(out, choice{Value: rg.Code, Text: rg.Name, Checked: rg.Code == selected})
		}
	}
	slices.SortFunc(out, func(a, b choice) int { return strings.Compare(a.Text, b.Text) })
	return out
}

// questions lists the mediators' questions, open ones first.
func (s *Server) questions(w http.ResponseWriter, r *http.Request) {
	s.showQuestions(w, r, http.StatusOK, "", "")
}

func (s *Server) showQuestions(w http.ResponseWriter, r *http.Request, status int, errMsg, draft string) {
	d, err := s.questionsData(r.Context(), s.accountOf(r), langOf(r.Context()))
	if err != nil {
		s.internal(w, r, err)
		return
	}
	d.Error, d.Draft = errMsg, draft
	s.render(w, r, status, "questions", s.page(r, "questions.title", "questions", d))
}

// askQuestion records a new question (POST /questions: question, region).
func (s *Server) askQuestion(w http.ResponseWriter, r *http.Request) {
	lang := langOf(r.Context())
	acc := s.accountOf(r)
	text := strings.TrimSpace(r.PostFormValue("question"))
	region := r.PostFormValue("region")
	if region == "" {
		region = acc.Region
	}
	q := mediation.Question{ID: uuid.New(), Region: region, AskedAt: s.now(), Text: text, Status: mediation.QuestionOpen,
		AmbassadorID: acc.AmbassadorID}
	if _, ok := s.communes.Region(region); !ok {
		s.showQuestions(w, r, http.StatusUnprocessableEntity, tr(lang, "question.badregion", region), text)
		return
	}
	err := q.ValidateAt(s.now())
	if err == nil {
		err = s.st.SaveQuestion(r.Context(), q)
	}
	if errors.Is(err, mediation.ErrInvalidRecord) {
		s.showQuestions(w, r, http.StatusUnprocessableEntity, recordErrorText(err, lang), text)
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	s.redirectFlash(w, r, "/questions", "question.asked")
}

// answerQuestion records an answer (POST /questions/{id}/answer: answer,
// version), with optimistic concurrency.
func (s *Server) answerQuestion(w http.ResponseWriter, r *http.Request) {
	lang := langOf(r.Context())
	err := s.applyAnswer(r.Context(), r.PathValue("id"), r.PostFormValue("answer"), r.PostFormValue("version"), lang)
	var fe *fieldErr
	switch {
	case err == nil:
		s.redirectFlash(w, r, "/questions", "question.answered")
	case errors.Is(err, mediation.ErrNotFound):
		s.fail(w, r, http.StatusNotFound, tr(lang, "question.notfound", r.PathValue("id")))
	case errors.Is(err, mediation.ErrConflict):
		s.showQuestions(w, r, http.StatusConflict, tr(lang, "error.conflict"), "")
	case errors.As(err, &fe):
		s.showQuestions(w, r, http.StatusUnprocessableEntity, fe.msg, "")
	default:
		s.internal(w, r, err)
	}
}

func (s *Server) applyAnswer(ctx context.Context, rawID, answer, version string, lang assessment.Lang) error {
	id, err := uuid.Parse(rawID)
	if err != nil {
		return &fieldErr{msg: tr(lang, "question.badid", rawID)}
	}
	q, err := s.st.GetQuestion(ctx, id)
	if err != nil {
		return err
	}
	v, err := strconv.Atoi(version)
	if err != nil {
		return &fieldErr{msg: tr(lang, "status.badversion", version)}
	}
	if v != q.Version {
		return fmt.Errorf("question %s: %w", id, mediation.ErrConflict)
	}
	answer = strings.TrimSpace(answer)
	if answer == "" {
		return &fieldErr{msg: tr(lang, "question.emptyanswer")}
	}
	q.Reply(answer, s.now())
	if err := q.ValidateAt(s.now()); err != nil {
		return &fieldErr{msg: recordErrorText(err, lang)}
	}
	return s.st.UpdateQuestion(ctx, &q)
}
