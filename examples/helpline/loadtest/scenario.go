package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/html"
)

// teleadvisor is one simulated teleadvisor: signed in once, then whole
// calls one after the other until the deadline, as a person would click
// through the desk without JavaScript.
type teleadvisor struct {
	b        *browser
	login    string
	password string
	rng      *rand.Rand
	communes []string
	think    time.Duration
	stats    *stats
}

// pause is the teleadvisor's thinking time between two pages.
func (t *teleadvisor) pause(ctx context.Context) {
	if t.think <= 0 {
		return
	}
	// Between half and one and a half times the mean.
	d := t.think/2 + time.Duration(t.rng.Int64N(int64(t.think)+1))
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}

// signIn goes through /login.
func (t *teleadvisor) signIn(ctx context.Context) error {
	p, err := t.b.get(ctx, "/login")
	if err != nil {
		return err
	}
	form := byID(p.Doc, "login")
	if form == nil {
		return t.broken("GET /login", "no form#login")
	}
	next, err := t.b.submit(ctx, p, form, byID(form, "signin"), url.Values{"login": {t.login}, "password": {t.password}})
	if err != nil {
		return err
	}
	if byID(next.Doc, "main") == nil {
		return t.broken("POST /login", "signed in, but the page has no nav#main (wrong login or password?)")
	}
	return nil
}

// broken counts a page that answered but breaks the desk's contract.
func (t *teleadvisor) broken(route, msg string) error {
	t.stats.failStep(route, msg)
	return &stepError{route: route, msg: msg}
}

// maxSteps bounds the pages of one call: the triage has about ten
// questions.
const maxSteps = 40

// call runs one whole call: triage, commune and needs, proposals, record,
// then the follow-up list and a status change of the new referral.
func (t *teleadvisor) call(ctx context.Context) error {
	p, err := t.b.get(ctx, "/call")
	if err != nil {
		return err
	}
	referralID := ""
	for step := 0; referralID == "" && step < maxSteps; step++ {
		t.pause(ctx)
		route := routeOf("GET", p.URL)
		switch {
		case byID(p.Doc, "question") != nil:
			form := byID(p.Doc, "question")
			p, err = t.answer(ctx, p, form)
		case byID(p.Doc, "record-form") != nil:
			if len(elementsWithClass(p.Doc, "li", "place")) == 0 && len(elementsWithClass(p.Doc, "article", "pathway")) == 0 {
				return t.broken(route, "proposals without any article.pathway")
			}
			form := byID(p.Doc, "record-form")
			p, err = t.b.submit(ctx, p, form, byID(form, "record"), nil)
			if err == nil {
				if n := byID(p.Doc, "referral-id"); n != nil {
					referralID = strings.TrimSpace(textOf(n))
				}
				if referralID == "" || byID(p.Doc, "sheet") == nil {
					return t.broken(routeOf("GET", p.URL), "recording did not lead to #referral-id and #sheet")
				}
			}
		case byID(p.Doc, "where") != nil:
			if byID(p.Doc, "result") == nil || byID(p.Doc, "level") == nil || attr(byID(p.Doc, "level"), "data-level") == "" {
				return t.broken(route, "the triage ended without section#result and #level[data-level]")
			}
			p, err = t.where(ctx, p, byID(p.Doc, "where"))
		default:
			return t.broken(route, "the call page shows no form#question, form#where nor form#record-form")
		}
		if err != nil {
			return err
		}
	}
	if referralID == "" {
		return t.broken("GET /call/{id}", fmt.Sprintf("no referral after %d pages", maxSteps))
	}
	t.pause(ctx)
	return t.followUp(ctx, referralID)
}

// answer picks an option of the question: a big button, or one box of a
// multiple choice, or a number.
func (t *teleadvisor) answer(ctx context.Context, p *page, form *html.Node) (*page, error) {
	if buttons := elements(form, "button", "name", "answer"); len(buttons) > 0 {
		return t.b.submit(ctx, p, form, buttons[t.rng.IntN(len(buttons))], nil)
	}
	var boxes []string
	for _, in := range elements(form, "input", "name", "answer") {
		switch attr(in, "type") {
		case "checkbox", "radio":
			boxes = append(boxes, attr(in, "value"))
		case "number":
			lo, _ := strconv.Atoi(attr(in, "min"))
			return t.b.submit(ctx, p, form, byID(form, "next"), url.Values{"answer": {strconv.Itoa(lo + t.rng.IntN(5))}})
		}
	}
	if len(boxes) == 0 {
		return nil, t.broken(routeOf("GET", p.URL), "form#question without any answer")
	}
	return t.b.submit(ctx, p, form, byID(form, "next"), url.Values{"answer": {boxes[t.rng.IntN(len(boxes))]}})
}

// where types a commune and ticks a need; when the desk asks "did you
// mean", it takes the first suggestion.
func (t *teleadvisor) where(ctx context.Context, p *page, form *html.Node) (*page, error) {
	if sug := byID(form, "suggestions"); sug != nil {
		if buttons := elements(sug, "button", "name", "commune"); len(buttons) > 0 {
			return t.b.submit(ctx, p, form, buttons[0], nil)
		}
	}
	set := url.Values{"commune": {t.communes[t.rng.IntN(len(t.communes))]}}
	var needs []string
	for _, in := range elements(form, "input", "name", "need") {
		needs = append(needs, attr(in, "value"))
	}
	if len(needs) > 0 {
		set["need"] = []string{needs[t.rng.IntN(len(needs))]}
	}
	return t.b.submit(ctx, p, form, byID(form, "find"), set)
}

// followUp opens the follow-up list, finds the new referral among the
// open ones and moves it one status on, in two clicks.
func (t *teleadvisor) followUp(ctx context.Context, referralID string) error {
	p, err := t.b.get(ctx, "/followup")
	if err != nil {
		return err
	}
	open := byID(p.Doc, "open")
	if open == nil {
		return t.broken("GET /followup", "no table#open")
	}
	rows := elements(open, "tr", "data-referral-id", referralID)
	if len(rows) == 0 {
		return t.broken("GET /followup", "the referral just recorded is not in table#open")
	}
	forms := elementsWithClass(rows[0], "form", "status")
	if len(forms) == 0 {
		return t.broken("GET /followup", "no form.status in the referral's row")
	}
	sel := elements(forms[0], "select", "name", "status")
	if len(sel) == 0 {
		return t.broken("GET /followup", "no select[name=status] in form.status")
	}
	var choices []string
	for _, o := range elements(sel[0], "option", "", "") {
		if v := attr(o, "value"); v != "" && !hasAttr(o, "disabled") {
			choices = append(choices, v)
		}
	}
	if len(choices) == 0 {
		return t.broken("GET /followup", "form.status offers no status")
	}
	t.pause(ctx)
	buttons := elements(forms[0], "button", "", "")
	var button *html.Node
	if len(buttons) > 0 {
		button = buttons[0]
	}
	_, err = t.b.submit(ctx, p, forms[0], button, url.Values{"status": {choices[t.rng.IntN(len(choices))]}})
	return err
}

func elementsWithClass(n *html.Node, tag, class string) []*html.Node {
	return all(n, func(x *html.Node) bool { return x.Type == html.ElementNode && x.Data == tag && hasClass(x, class) })
}
