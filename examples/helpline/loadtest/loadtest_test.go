package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

// TestLoadShort runs the load test for 3 seconds with 5 teleadvisors on
// an in-process desk and wants whole calls and no error at all.
func TestLoadShort(t *testing.T) {
	if testing.Short() {
		t.Skip("the load test runs for 3 s")
	}
	var stdout, stderr bytes.Buffer
	code := mainCode(context.Background(), []string{"--users", "5", "--duration", "3s", "--store", "memory:", "--bcrypt-cost", "4"},
		&stdout, &stderr, func(string) string { return "" })
	var sum Summary
	if err := json.Unmarshal(stdout.Bytes(), &sum); err != nil {
		t.Fatalf("exit %d, the summary is not JSON: %v\nstdout: %s\nstderr: %s", code, err, stdout.String(), stderr.String())
	}
	t.Logf("%s", stderr.String())
	if code != 0 || sum.Errors != 0 {
		t.Fatalf("exit %d, %d errors: %v", code, sum.Errors, sum.ErrorSamples)
	}
	if sum.Users != 5 || sum.CallsCompleted == 0 {
		t.Fatalf("%d users, %d calls completed; want 5 users and whole calls", sum.Users, sum.CallsCompleted)
	}
	for _, route := range []string{"POST /login", "GET /call", "GET /call/{id}", "POST /call/{id}/answer", "POST /call/{id}/where",
		"POST /call/{id}/record", "GET /referrals/{id}", "GET /followup", "POST /referrals/{id}/status"} {
		rs, ok := sum.Routes[route]
		if !ok || rs.Count == 0 {
			t.Errorf("no request timed under %q; routes: %v", route, keys(sum.Routes))
			continue
		}
		if !(rs.P50 > 0 && rs.P50 <= rs.P95 && rs.P95 <= rs.P99 && rs.P99 <= rs.Max) {
			t.Errorf("%s: percentiles out of order: %+v", route, rs)
		}
	}
	if sum.Calls.Count == 0 || sum.Calls.Count+sum.Routes["POST /login"].Count+sum.Routes["GET /login"].Count+sum.Routes["GET /"].Count != sum.Requests {
		t.Errorf("call pages %d + sign-in pages do not add up to %d requests", sum.Calls.Count, sum.Requests)
	}
	// It stops by itself: the calls under way finish soon after 3 s.
	if sum.ElapsedS < 3 || sum.ElapsedS > 30 {
		t.Errorf("ran for %.1f s", sum.ElapsedS)
	}
}

func keys(m map[string]RouteSummary) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestOptionsRejected(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--users", "0"}, "--users 0"},
		{[]string{"--duration", "2h"}, "--duration 2h0m0s"},
		{[]string{"--url", "ftp://x"}, `--url "ftp://x"`},
		{[]string{"--url", "http://127.0.0.1:8080"}, "give their --password"},
		{[]string{"--bcrypt-cost", "3"}, "--bcrypt-cost 3"},
		{[]string{"--login-prefix", "Ab"}, `--login-prefix "Ab"`},
		{[]string{"extra"}, `got "extra"`},
	} {
		var stdout, stderr bytes.Buffer
		code := mainCode(context.Background(), tc.args, &stdout, &stderr, func(string) string { return "" })
		if code != 2 || !strings.Contains(stderr.String(), tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, stderr.String(), tc.want)
		}
	}
}

func TestRouteNames(t *testing.T) {
	for path, want := range map[string]string{
		"/call/Zm9vYmFyYmF6cXV4MTIzNA":                          "GET /call/{id}",
		"/referrals/0b9e8c1e-6f1d-4c47-9a57-5b1c2e3d4f50/sheet": "GET /referrals/{id}/sheet",
		"/followup":   "GET /followup",
		"/persons/12": "GET /persons/{id}",
	} {
		u, _ := url.Parse("http://x" + path + "?lang=en")
		if got := routeOf("GET", u); got != want {
			t.Errorf("%s: %q, want %q", path, got, want)
		}
	}
}

func TestPercentiles(t *testing.T) {
	var ts []time.Duration
	for i := 1; i <= 200; i++ {
		ts = append(ts, time.Duration(i)*time.Millisecond)
	}
	s := summarize(ts)
	if s.Count != 200 || s.P50 != 100 || s.P95 != 190 || s.P99 != 198 || s.Max != 200 {
		t.Fatalf("%+v", s)
	}
	if one := summarize([]time.Duration{7 * time.Millisecond}); one.P50 != 7 || one.P99 != 7 {
		t.Fatalf("%+v", one)
	}
}

// FuzzFormValues: any page parses, and every form of it gives the fields
// a browser would send, each with a name.
func FuzzFormValues(f *testing.F) {
	f.Add(`<form id="f"><input name="a" value="1"><input type="checkbox" name="b" value="x" checked><select name="s"><option>o</option></select><textarea name="t">w</textarea></form>`)
	f.Add(`<form><input name=""><input type="radio" name="r" checked><select name="e"></select></form>`)
	f.Add(`<form><form><input name="n" disabled>`)
	f.Fuzz(func(t *testing.T, page string) {
		doc, err := html.Parse(strings.NewReader(page))
		if err != nil {
			return
		}
		for _, form := range elements(doc, "form", "", "") {
			for name := range formValues(form) {
				if name == "" {
					t.Fatalf("a field without a name from %q", page)
				}
			}
		}
	})
}

// FuzzRouteOf: a route name never holds a query and keeps the method.
func FuzzRouteOf(f *testing.F) {
	f.Add("/call/Zm9vYmFyYmF6cXV4MTIzNA/answer?x=1")
	f.Add("/referrals/0b9e8c1e-6f1d-4c47-9a57-5b1c2e3d4f50")
	f.Fuzz(func(t *testing.T, path string) {
		u, err := url.Parse(path)
		if err != nil {
			return
		}
		r := routeOf("POST", u)
		if !strings.HasPrefix(r, "POST ") || strings.Contains(r, "?") && !strings.Contains(u.Path, "?") {
			t.Fatalf("%q → %q", path, r)
		}
	})
}
