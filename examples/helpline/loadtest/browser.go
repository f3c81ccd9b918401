package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"time"

	"golang.org/x/net/html"
)

// browser is one teleadvisor's browser without JavaScript: it keeps the
// cookies, fills and posts forms as a browser does, follows redirects one
// by one, and times every request under its route.
type browser struct {
	base    *url.URL
	client  *http.Client
	stats   *stats
	timeout time.Duration
}

func newBrowser(base *url.URL, st *stats, timeout time.Duration, transport http.RoundTripper) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{base: base, stats: st, timeout: timeout, client: &http.Client{
		Jar: jar, Transport: transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// page is one answer, read whole and parsed.
type page struct {
	URL    *url.URL
	Status int
	Body   string
	Doc    *html.Node
}

// stepError is a failed step of a scenario: which request, what went
// wrong. It never holds a page body (which could be long).
type stepError struct {
	route string
	msg   string
}

func (e *stepError) Error() string { return e.route + ": " + e.msg }

// idSegment is a path segment that is an id: a UUID, a random token (16
// or more URL-safe base64 characters) or a number.
var idSegment = regexp.MustCompile(`^(?:[A-Za-z0-9_-]{16,}|[0-9]+)$`)

// routeOf names a request for the statistics: its method and path with
// ids replaced by {id}, without the query.
func routeOf(method string, u *url.URL) string {
	segs := strings.Split(u.Path, "/")
	for i, s := range segs {
		if idSegment.MatchString(s) {
			segs[i] = "{id}"
		}
	}
	return method + " " + strings.Join(segs, "/")
}

// do sends one request, times it under its route and reads the answer.
// A status other than want (0: 200 or 303) is an error of the route.
func (b *browser) do(ctx context.Context, method, target string, form url.Values, want int) (*page, error) {
	u, err := b.base.Parse(target)
	if err != nil {
		return nil, &stepError{route: method + " " + target, msg: "bad address: " + err.Error()}
	}
	var body io.Reader
	if method == http.MethodPost {
		body = strings.NewReader(form.Encode())
	} else if form != nil {
		u.RawQuery = form.Encode()
	}
	route := routeOf(method, u)
	ctx, cancel := context.WithTimeout(ctx, b.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, u.String(), body)
	if err != nil {
		return nil, &stepError{route: route, msg: err.Error()}
	}
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	start := time.Now()
	res, err := b.client.Do(req)
	if err != nil {
		b.stats.fail(route, time.Since(start), err.Error())
		return nil, &stepError{route: route, msg: err.Error()}
	}
	raw, err := io.ReadAll(res.Body)
	res.Body.Close()
	elapsed := time.Since(start)
	if err != nil {
		b.stats.fail(route, elapsed, "reading the answer: "+err.Error())
		return nil, &stepError{route: route, msg: err.Error()}
	}
	ok := res.StatusCode == want || (want == 0 && (res.StatusCode == http.StatusOK || res.StatusCode == http.StatusSeeOther))
	if !ok {
		msg := fmt.Sprintf("status %d", res.StatusCode)
		if m := errorMessage(string(raw)); m != "" {
			msg += ": " + m
		}
		b.stats.fail(route, elapsed, msg)
		return nil, &stepError{route: route, msg: msg}
	}
	b.stats.ok(route, elapsed)
	p := &page{URL: res.Request.URL, Status: res.StatusCode, Body: string(raw)}
	if res.StatusCode == http.StatusSeeOther || res.StatusCode == http.StatusFound {
		loc, err := res.Location()
		if err != nil {
			return nil, &stepError{route: route, msg: "redirect without a Location"}
		}
		p.URL = loc
		return p, nil
	}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		if p.Doc, err = html.Parse(strings.NewReader(p.Body)); err != nil {
			return nil, &stepError{route: route, msg: "the page does not parse: " + err.Error()}
		}
	}
	return p, nil
}

// errorMessage digs the desk's error text out of an error page.
func errorMessage(body string) string {
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		return ""
	}
	if n := byID(doc, "error-message"); n != nil {
		return strings.TrimSpace(textOf(n))
	}
	return ""
}

// get fetches target and follows its redirects (each request timed on
// its own).
func (b *browser) get(ctx context.Context, target string) (*page, error) {
	p, err := b.do(ctx, http.MethodGet, target, nil, 0)
	for hops := 0; err == nil && p.Doc == nil && (p.Status == http.StatusSeeOther || p.Status == http.StatusFound); hops++ {
		if hops == 5 {
			return nil, &stepError{route: "GET " + target, msg: "more than 5 redirects"}
		}
		p, err = b.do(ctx, http.MethodGet, p.URL.String(), nil, 0)
	}
	return p, err
}

// submit sends form as a browser does when button is pressed (button may
// be nil), with set overriding or adding fields, then follows the
// redirect of a POST.
func (b *browser) submit(ctx context.Context, from *page, form, button *html.Node, set url.Values) (*page, error) {
	vals := formValues(form)
	if button != nil && attr(button, "name") != "" {
		vals.Set(attr(button, "name"), attr(button, "value"))
	}
	for k, v := range set {
		vals[k] = v
	}
	action := attr(form, "action")
	if action == "" {
		action = from.URL.Path
	}
	target, err := from.URL.Parse(action)
	if err != nil {
		return nil, &stepError{route: "form " + attr(form, "id"), msg: "bad action " + action}
	}
	if strings.EqualFold(attr(form, "method"), "post") {
		p, err := b.do(ctx, http.MethodPost, target.String(), vals, 0)
		if err != nil || p.Doc != nil {
			return p, err
		}
		return b.get(ctx, p.URL.String())
	}
	target.RawQuery = vals.Encode()
	return b.get(ctx, target.String())
}

// formValues are the fields a browser would send for form before any
// button: inputs with their value, ticked boxes, selected options.
func formValues(form *html.Node) url.Values {
	vals := url.Values{}
	for _, n := range all(form, func(n *html.Node) bool { return n.Type == html.ElementNode }) {
		name := attr(n, "name")
		if name == "" || hasAttr(n, "disabled") {
			continue
		}
		switch n.Data {
		case "input":
			switch strings.ToLower(attr(n, "type")) {
			case "submit", "button", "image", "reset", "file":
			case "checkbox", "radio":
				if hasAttr(n, "checked") {
					v := attr(n, "value")
					if v == "" {
						v = "on"
					}
					vals.Add(name, v)
				}
			default:
				vals.Add(name, attr(n, "value"))
			}
		case "textarea":
			vals.Add(name, textOf(n))
		case "select":
			opts := all(n, func(o *html.Node) bool { return o.Type == html.ElementNode && o.Data == "option" })
			var chosen *html.Node
			for _, o := range opts {
				if hasAttr(o, "selected") {
					chosen = o
				}
			}
			if chosen == nil && len(opts) > 0 {
				chosen = opts[0]
			}
			if chosen != nil {
				v, ok := attrOK(chosen, "value")
				if !ok {
					v = strings.TrimSpace(textOf(chosen))
				}
				vals.Add(name, v)
			}
		}
	}
	return vals
}

func attrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func attr(n *html.Node, key string) string { v, _ := attrOK(n, key); return v }

func hasAttr(n *html.Node, key string) bool { _, ok := attrOK(n, key); return ok }

func hasClass(n *html.Node, class string) bool {
	for _, c := range strings.Fields(attr(n, "class")) {
		if c == class {
			return true
		}
	}
	return false
}

// all returns the nodes under n (n excluded) that pass keep, in document
// order.
func all(n *html.Node, keep func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(x *html.Node) {
		for c := x.FirstChild; c != nil; c = c.NextSibling {
			if keep(c) {
				out = append(out, c)
			}
			walk(c)
		}
	}
	if n != nil {
		walk(n)
	}
	return out
}

// byID returns the element with this id, or nil.
func byID(n *html.Node, id string) *html.Node {
	found := all(n, func(x *html.Node) bool { return x.Type == html.ElementNode && attr(x, "id") == id })
	if len(found) == 0 {
		return nil
	}
	return found[0]
}

// elements returns the elements under n with this tag name and, when
// given, this attribute=value.
func elements(n *html.Node, tag, key, value string) []*html.Node {
	return all(n, func(x *html.Node) bool {
		return x.Type == html.ElementNode && x.Data == tag && (key == "" || attr(x, key) == value)
	})
}

// textOf is the text under n, spaces folded.
func textOf(n *html.Node) string {
	var b strings.Builder
	for _, t := range all(n, func(x *html.Node) bool { return x.Type == html.TextNode }) {
		b.WriteString(t.Data)
	}
	return strings.Join(strings.Fields(b.String()), " ")
}
