package desk

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/passerelle-sante/passerelle/assessment"
	"github.com/passerelle-sante/passerelle/referral"
	"github.com/passerelle-sante/passerelle/store"
)

// openWindow is how far back the follow-up lists open referrals.
const openWindow = 120 * 24 * time.Hour

// maxOpenRows bounds the open referrals shown (newest first), and
// maxDueRows the calls of the day (a day's work, oldest first); the API
// gives the whole due list.
const (
	maxOpenRows = 100
	maxDueRows  = 100
)

// followupRow is one referral of the follow-up tables.
type followupRow struct {
	referralView
	Reason string
}

// View is the row's referral, for the status form.
func (r followupRow) View() referralView { return r.referralView }

// followupData is the follow-up page's content.
type followupData struct {
	Day       string
	Due       []followupRow
	DueMore   int
	Open      []followupRow
	Truncated bool
	Autonomy  []choice
	DefaultAt string
}

// openReferrals lists the open referrals created in the last openWindow,
// newest first, at most maxOpenRows (and whether more were left out).
func (s *Server) openReferrals(ctx context.Context) ([]referral.Referral, bool, error) {
	f := referral.Filter{Status: []referral.Status{referral.StatusProposed, referral.StatusAccepted, referral.StatusScheduled,
		referral.StatusAttended, referral.StatusNoShow}, From: s.now().Add(-openWindow), Limit: 1000}
	var all []referral.Referral
	for {
		page, next, err := s.st.List(ctx, f)
		if err != nil {
			return nil, false, err
		}
		all = append(all, page...)
		if next == "" {
			break
		}
		f.Cursor = next
	}
	slices.Reverse(all)
	if len(all) > maxOpenRows {
		return all[:maxOpenRows], true, nil
	}
	return all, false, nil
}

func (s *Server) followupLists(ctx context.Context, lang assessment.Lang) (followupData, error) {
	d := followupData{Day: s.now().In(paris()).Format("2006-01-02"), Autonomy: choices(referral.Autonomies(), nil, "autonomy.", lang),
		DefaultAt: s.defaultAppointment()}
	due, err := s.st.DueForFollowUp(ctx, s.now().In(paris()))
	if err != nil {
		return d, err
	}
	if len(due) > maxDueRows {
		d.DueMore = len(due) - maxDueRows
		due = due[:maxDueRows]
	}
	for _, f := range due {
		d.Due = append(d.Due, followupRow{referralView: s.viewReferral(&f.Referral, lang), Reason: tr(lang, "followup."+string(f.Reason))})
	}
	open, more, err := s.openReferrals(ctx)
	if err != nil {
		return d, err
	}
	d.Truncated = more
	for i := range open {
		d.Open = append(d.Open, followupRow{referralView: s.viewReferral(&open[i], lang)})
	}
	return d, nil
}

// followup shows today's calls and the open referrals.
func (s *Server) followup(w http.ResponseWriter, r *http.Request) {
	d, err := s.followupLists(r.Context(), langOf(r.Context()))
	if err != nil {
		s.internal(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "followup", s.page(r, "followup.title", "followup", d))
}

// levelPoint is one known level of a person.
type levelPoint struct {
	At        time.Time
	Level     string
	LevelCode string
	Rank      int
	Source    string
}

// personData is the person page's content.
type personData struct {
	PersonID  string
	Referrals []referralView
	Levels    []levelPoint
	Chart     *levelChart
}

// personReferrals returns one person's referrals, oldest first (the SQL
// stores answer from an index on the person).
func (s *Server) personReferrals(ctx context.Context, pid string) ([]referral.Referral, error) {
	return store.All(ctx, func(c string) ([]referral.Referral, string, error) {
		return s.st.List(ctx, referral.Filter{PersonID: pid, Limit: 1000, Cursor: c})
	})
}

// levelsOf lists a person's levels over time: the assessment of each
// referral, and the follow-up assessment recorded at completion.
func levelsOf(refs []referral.Referral, lang assessment.Lang) []levelPoint {
	var pts []levelPoint
	for _, ref := range refs {
		l := ref.Assessment.Level
		pts = append(pts, levelPoint{At: ref.CreatedAt, Level: l.Text().In(lang), LevelCode: string(l), Rank: l.Rank(),
			Source: tr(lang, "person.source.triage")})
		if ref.FollowUp != nil {
			fl := ref.FollowUp.Level
			pts = append(pts, levelPoint{At: ref.UpdatedAt, Level: fl.Text().In(lang), LevelCode: string(fl), Rank: fl.Rank(),
				Source: tr(lang, "person.source.followup")})
		}
	}
	slices.SortStableFunc(pts, func(a, b levelPoint) int { return a.At.Compare(b.At) })
	return pts
}

// person shows a person's history (GET /persons/{pid}).
func (s *Server) person(w http.ResponseWriter, r *http.Request) {
	lang := langOf(r.Context())
	pid, err := uuid.Parse(r.PathValue("pid"))
	if err != nil {
		s.fail(w, r, http.StatusBadRequest, tr(lang, "call.badperson", r.PathValue("pid")))
		return
	}
	refs, err := s.personReferrals(r.Context(), pid.String())
	if err != nil {
		s.internal(w, r, err)
		return
	}
	d := personData{PersonID: pid.String(), Levels: levelsOf(refs, lang)}
	for i := range refs {
		d.Referrals = append(d.Referrals, s.viewReferral(&refs[i], lang))
	}
	slices.Reverse(d.Referrals)
	d.Chart = drawLevelChart(d.Levels, lang)
	status := http.StatusOK
	if len(refs) == 0 {
		status = http.StatusNotFound
	}
	s.render(w, r, status, "person", s.page(r, "person.title", "followup", d))
}

// levelChart is an SVG step chart of the level ranks over time; the table
// beside it says the same in words.
type levelChart struct {
	Width, Height int
	Points        []chartPoint
	Path          string
	Ticks         []chartTick
	// XLabels are the first and last dates, under the axis.
	XLabels []chartPoint
}

type chartPoint struct {
	X, Y  float64
	Label string
}

type chartTick struct {
	Y     float64
	Label string
}

func drawLevelChart(pts []levelPoint, lang assessment.Lang) *levelChart {
	if len(pts) == 0 {
		return nil
	}
	const w, h, left, right, top, bottom = 560, 200, 120, 20, 15, 30
	ch := &levelChart{Width: w, Height: h}
	yOf := func(rank int) float64 { return top + float64(4-rank)*float64(h-top-bottom)/3 }
	for _, l := range assessment.Levels() {
		ch.Ticks = append(ch.Ticks, chartTick{Y: yOf(l.Rank()), Label: l.Text().In(lang)})
	}
	t0, t1 := pts[0].At, pts[len(pts)-1].At
	span := t1.Sub(t0)
	var path strings.Builder
	for i, p := range pts {
		x := float64(left)
		if span > 0 {
			x += float64(p.At.Sub(t0)) / float64(span) * float64(w-left-right)
		} else if len(pts) > 1 {
			x += float64(i) / float64(len(pts)-1) * float64(w-left-right)
		}
		y := yOf(p.Rank)
		if i == 0 {
			fmt.Fprintf(&path, "M%.1f %.1f", x, y)
		} else {
			fmt.Fprintf(&path, " L%.1f %.1f", x, y)
		}
		ch.Points = append(ch.Points, chartPoint{X: x, Y: y, Label: p.At.Format("2006-01-02") + " — " + p.Level})
	}
	ch.Path = path.String()
	first, last := ch.Points[0], ch.Points[len(ch.Points)-1]
	ch.XLabels = append(ch.XLabels, chartPoint{X: first.X, Y: h - 8, Label: pts[0].At.Format("2006-01-02")})
	if len(ch.Points) > 1 && last.X-first.X > 80 {
		ch.XLabels = append(ch.XLabels, chartPoint{X: last.X, Y: h - 8, Label: pts[len(pts)-1].At.Format("2006-01-02")})
	}
	return ch
}
