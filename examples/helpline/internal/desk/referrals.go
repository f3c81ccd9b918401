package desk

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/passerelle-sante/passerelle/assessment"
	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/referral"
)

// referralOf reads the {id} of the path and loads the referral; it answers
// 400 or 404 itself.
func (s *Server) referralOf(w http.ResponseWriter, r *http.Request) (referral.Referral, bool) {
	lang := langOf(r.Context())
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		s.fail(w, r, http.StatusBadRequest, tr(lang, "referral.badid", r.PathValue("id")))
		return referral.Referral{}, false
	}
	ref, err := s.st.Get(r.Context(), id)
	if errors.Is(err, referral.ErrNotFound) {
		s.fail(w, r, http.StatusNotFound, tr(lang, "referral.notfound", id.String()))
		return referral.Referral{}, false
	}
	if err != nil {
		s.internal(w, r, err)
		return referral.Referral{}, false
	}
	return ref, true
}

// findPlace looks a place up by id around a point (the directory answers
// "near", not "by id"): the nearest 500 first, then as many as allowed.
func (s *Server) findPlace(ctx context.Context, id string, lat, lon float64) (mediation.Result, bool) {
	for _, k := range []int{500, mediation.MaxK} {
		rs, err := s.dir.Nearby(ctx, mediation.Query{Lat: lat, Lon: lon, K: k})
		if err != nil {
			return mediation.Result{}, false
		}
		for _, r := range rs {
			if r.Place.ID == id {
				return r, true
			}
		}
		if len(rs) < k {
			break
		}
	}
	return mediation.Result{}, false
}

// sheetFor builds the orientation sheet of a stored referral: its pathway
// and place (looked up again in the directory), the coming week from now.
// name is printed on the sheet when not empty; it is never stored.
func (s *Server) sheetFor(ctx context.Context, ref *referral.Referral, name string) (referral.Sheet, error) {
	pp := referral.ProposedPathway{Pathway: ref.Pathway}
	p := &referral.Proposal{At: s.now(), RulesVersion: ref.RulesVersion}
	if com, ok := s.communes.Commune(ref.Commune); ok {
		p.Commune = referral.CommuneRef{Code: com.Code, Name: com.Name, Departement: com.Departement, Region: com.Region, Density: com.Density}
		if ref.PlaceID != "" {
			if res, ok := s.findPlace(ctx, ref.PlaceID, com.Lat, com.Lon); ok {
				pl := res.Place
				pp.Places = []referral.RankedPlace{{ID: pl.ID, Name: pl.Name, DistanceKm: res.DistanceKm, Commune: pl.Commune,
					PostalCode: pl.PostalCode, Address: pl.Address, Phone: pl.Phone, Hours: pl.Hours, Booking: pl.Booking, Place: pl}}
			}
		}
	}
	p.Pathways = []referral.ProposedPathway{pp}
	// The Assurance Maladie's « intermédiaires » have an e-mail address
	// (its workshops need one): their sheet says to bring it.
	hasEmail := ref.Assessment.Level.Rank() >= assessment.LevelIntermediate.Rank()
	return s.engine.Sheet(p, ref.Pathway, "", referral.SheetOptions{Reference: ref.ID.String(), Name: name, HasEmail: hasEmail})
}

// renderSheet writes the sheet's standalone HTML page.
func renderSheet(sh referral.Sheet, lang assessment.Lang) ([]byte, error) {
	var buf bytes.Buffer
	if err := referral.RenderSheetHTML(&buf, sh, lang); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// between returns what lies between the first open and the next close.
func between(doc []byte, open, close string) ([]byte, bool) {
	i := bytes.Index(doc, []byte(open))
	if i < 0 {
		return nil, false
	}
	rest := doc[i+len(open):]
	if !strings.HasSuffix(open, ">") { // an opening tag with attributes
		j := bytes.IndexByte(rest, '>')
		if j < 0 {
			return nil, false
		}
		rest = rest[j+1:]
	}
	k := bytes.Index(rest, []byte(close))
	if k < 0 {
		return nil, false
	}
	return rest[:k], true
}

// demoteHeadings turns h1 into h2 and h2 into h3.
func demoteHeadings(b []byte) string {
	r := strings.NewReplacer("<h2", "<h3", "</h2>", "</h3>", "<h1", "<h2", "</h1>", "</h2>")
	return r.Replace(string(b))
}

// historyRow is one status change as the page shows it.
type historyRow struct {
	At     time.Time
	From   string
	To     string
	By     string
	Reason string
}

// referralView is a stored referral as the pages show it.
type referralView struct {
	ID          string
	PersonID    string
	CreatedAt   time.Time
	Pathway     string
	PlaceID     string
	PlaceName   string
	Commune     string
	Level       string
	LevelCode   string
	Status      string
	StatusCode  string
	Version     int
	Next        []choice
	Appointment *time.Time
	History     []historyRow
	Reason      string
}

func (s *Server) viewReferral(ref *referral.Referral, lang assessment.Lang) referralView {
	v := referralView{ID: ref.ID.String(), PersonID: ref.PersonID, CreatedAt: ref.CreatedAt, PlaceID: ref.PlaceID,
		Level: ref.Assessment.Level.Text().In(lang), LevelCode: string(ref.Assessment.Level),
		Status: tr(lang, "status."+string(ref.Status)), StatusCode: string(ref.Status), Version: ref.Version,
		Appointment: ref.Appointment}
	v.Pathway = string(ref.Pathway)
	if pw, ok := s.engine.Catalogue().Pathway(ref.Pathway); ok {
		v.Pathway = pw.Title.In(lang)
	}
	if c, ok := s.communes.Commune(ref.Commune); ok {
		v.Commune = c.Name
	}
	for _, st := range ref.Status.Next() {
		v.Next = append(v.Next, choice{Value: string(st), Text: tr(lang, "status."+string(st))})
	}
	for _, h := range ref.History {
		row := historyRow{At: h.At, To: tr(lang, "status."+string(h.To)), By: tr(lang, "actor."+string(h.By)), Reason: h.Reason}
		if h.From != "" {
			row.From = tr(lang, "status."+string(h.From))
		}
		v.History = append(v.History, row)
	}
	return v
}

// referralData is the referral page's content.
type referralData struct {
	Referral  referralView
	Sheet     template.HTML
	Autonomy  []choice
	Error     string
	Conflict  bool
	DefaultAt string
}

// referralPage shows a recorded referral with its orientation sheet.
func (s *Server) referralPage(w http.ResponseWriter, r *http.Request) {
	ref, ok := s.referralOf(w, r)
	if !ok {
		return
	}
	s.showReferral(w, r, &ref, http.StatusOK, "", false)
}

func (s *Server) showReferral(w http.ResponseWriter, r *http.Request, ref *referral.Referral, status int, errMsg string, conflict bool) {
	lang := langOf(r.Context())
	d := referralData{Referral: s.viewReferral(ref, lang), Error: errMsg, Conflict: conflict,
		Autonomy: choices(referral.Autonomies(), nil, "autonomy.", lang), DefaultAt: s.defaultAppointment()}
	if sh, err := s.sheetFor(r.Context(), ref, ""); err == nil {
		d.Referral.PlaceName = placeName(sh)
		if doc, err := renderSheet(sh, lang); err == nil {
			if body, ok := between(doc, "<body", "</body>"); ok {
				// RenderSheetHTML escapes every place value; its headings
				// move one level down under the page's own h1.
				d.Sheet = template.HTML(demoteHeadings(body))
			}
		}
	} else {
		s.log.Warn("orientation sheet", "referral", ref.ID.String(), "err", err)
	}
	s.render(w, r, status, "referral", s.page(r, "referral.title", "followup", d))
}

func placeName(sh referral.Sheet) string {
	if sh.Place != nil {
		return sh.Place.Name
	}
	return ""
}

// defaultAppointment is the date the schedule field offers: 7 days on.
func (s *Server) defaultAppointment() string {
	return s.now().AddDate(0, 0, 7).Format("2006-01-02")
}

// sheetPage is the print view: the sheet as RenderSheetHTML writes it,
// standalone, with a CSP that allows exactly its own style block. Posted
// with a name (POST /referrals/{id}/sheet), it prints the name on the sheet
// without storing or logging it.
func (s *Server) sheetPage(w http.ResponseWriter, r *http.Request) {
	ref, ok := s.referralOf(w, r)
	if !ok {
		return
	}
	name := ""
	if r.Method == http.MethodPost {
		name = strings.TrimSpace(r.PostFormValue("name"))
		if len([]rune(name)) > 100 {
			s.showReferral(w, r, &ref, http.StatusUnprocessableEntity, tr(langOf(r.Context()), "referral.longname"), false)
			return
		}
	}
	sh, err := s.sheetFor(r.Context(), &ref, name)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	doc, err := renderSheet(sh, langOf(r.Context()))
	if err != nil {
		s.internal(w, r, err)
		return
	}
	policy := "default-src 'none'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'"
	if style, ok := between(doc, "<style>", "</style>"); ok {
		sum := sha256.Sum256(style)
		policy = "default-src 'none'; img-src 'self' data:; style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'; frame-ancestors 'none'"
	}
	w.Header().Set("Content-Security-Policy", policy)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(doc)
}

// statusChange applies a status change from the follow-up or the referral
// page (POST /referrals/{id}/status: status, version, appointment,
// autonomy, back). Only the lifecycle's transitions are accepted; a version
// that moved since the page was shown is a conflict, said clearly.
func (s *Server) statusChange(w http.ResponseWriter, r *http.Request) {
	ref, ok := s.referralOf(w, r)
	if !ok {
		return
	}
	lang := langOf(r.Context())
	back := safeNext(r.PostFormValue("back"))
	err := s.applyStatus(r.Context(), &ref, statusInput{
		Status: r.PostFormValue("status"), Version: r.PostFormValue("version"),
		Appointment: r.PostFormValue("appointment"), Autonomy: r.PostFormValue("autonomy"),
	}, lang)
	var se *statusError
	switch {
	case err == nil:
		s.redirectFlash(w, r, back, "status.changed")
	case errors.As(err, &se) && se.conflict:
		fresh, gerr := s.st.Get(r.Context(), ref.ID)
		if gerr != nil {
			s.internal(w, r, gerr)
			return
		}
		s.showReferral(w, r, &fresh, http.StatusConflict, se.msg, true)
	case errors.As(err, &se):
		s.showReferral(w, r, &ref, http.StatusUnprocessableEntity, se.msg, false)
	default:
		s.internal(w, r, err)
	}
}

// statusInput is a status change as a form or the API sends it.
type statusInput struct {
	Status      string `json:"status"`
	Version     string `json:"-"`
	VersionN    int    `json:"version"`
	Appointment string `json:"appointment,omitempty"`
	Autonomy    string `json:"autonomy,omitempty"`
	Reason      string `json:"reason,omitempty"`
}

// statusError is a refused status change, with its message for people.
type statusError struct {
	msg      string
	conflict bool
}

func (e *statusError) Error() string { return e.msg }

// applyStatus checks and stores one status change.
func (s *Server) applyStatus(ctx context.Context, ref *referral.Referral, in statusInput, lang assessment.Lang) error {
	version := in.VersionN
	if in.Version != "" {
		if _, err := fmt.Sscanf(in.Version, "%d", &version); err != nil {
			return &statusError{msg: tr(lang, "status.badversion", in.Version)}
		}
	}
	if version != ref.Version {
		return &statusError{msg: tr(lang, "error.conflict"), conflict: true}
	}
	to := referral.Status(in.Status)
	if !to.Valid() {
		return &statusError{msg: tr(lang, "status.unknown", in.Status)}
	}
	if !slices.Contains(ref.Status.Next(), to) {
		return &statusError{msg: tr(lang, "status.notallowed", tr(lang, "status."+string(ref.Status)), tr(lang, "status."+string(to)))}
	}
	var opts referral.TransitionOptions
	if to == referral.StatusScheduled {
		at, err := parseAppointment(in.Appointment)
		if err != nil {
			return &statusError{msg: tr(lang, "status.badappointment", in.Appointment)}
		}
		opts.Appointment = at
	}
	if to == referral.StatusCompleted {
		if !slices.Contains(referral.Autonomies(), referral.Autonomy(in.Autonomy)) {
			return &statusError{msg: tr(lang, "status.needautonomy")}
		}
		opts.Autonomy = referral.Autonomy(in.Autonomy)
	}
	if in.Reason != "" {
		if !reasonCode(in.Reason) {
			return &statusError{msg: tr(lang, "status.badreason", in.Reason)}
		}
		opts.Reason = in.Reason
	}
	if err := ref.Transition(to, s.now(), referral.ActorDesk, &opts); err != nil {
		return &statusError{msg: tr(lang, "status.refused", err.Error())}
	}
	if err := s.st.Update(ctx, ref); err != nil {
		if errors.Is(err, referral.ErrConflict) {
			return &statusError{msg: tr(lang, "error.conflict"), conflict: true}
		}
		return err
	}
	s.log.Info("referral status changed", "referral", ref.ID.String(), "status", string(to))
	return nil
}

// reasonCode accepts a reason code (a-z, digits, _; never free text).
func reasonCode(s string) bool {
	if len(s) == 0 || len(s) > 40 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// parseAppointment reads a date (YYYY-MM-DD, 10:00 Paris time) or a
// date-time (YYYY-MM-DDTHH:MM, Paris time, or RFC 3339).
func parseAppointment(v string) (time.Time, error) {
	loc := paris()
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	if t, err := time.ParseInLocation("2006-01-02T15:04", v, loc); err == nil {
		return t, nil
	}
	t, err := time.ParseInLocation("2006-01-02", v, loc)
	if err != nil {
		return time.Time{}, err
	}
	return t.Add(10 * time.Hour), nil
}

func paris() *time.Location {
	if loc, err := time.LoadLocation("Europe/Paris"); err == nil {
		return loc
	}
	return time.FixedZone("CET", 3600)
}
