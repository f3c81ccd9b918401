package main

import (
	"math"
	"slices"
	"sort"
	"sync"
	"time"
)

// stats collects the time of every request by route, and the errors.
type stats struct {
	mu      sync.Mutex
	times   map[string][]time.Duration
	errors  map[string]int
	samples []string
	calls   int
}

func newStats() *stats {
	return &stats{times: map[string][]time.Duration{}, errors: map[string]int{}}
}

// maxSamples bounds the error messages kept for the summary.
const maxSamples = 20

func (s *stats) ok(route string, d time.Duration) {
	s.mu.Lock()
	s.times[route] = append(s.times[route], d)
	s.mu.Unlock()
}

func (s *stats) fail(route string, d time.Duration, msg string) {
	s.mu.Lock()
	s.times[route] = append(s.times[route], d)
	s.errors[route]++
	if len(s.samples) < maxSamples {
		s.samples = append(s.samples, route+": "+msg)
	}
	s.mu.Unlock()
}

// failStep counts an error found in a page that answered (a missing
// element, a broken contract) without timing a request.
func (s *stats) failStep(route, msg string) {
	s.mu.Lock()
	s.errors[route]++
	if len(s.samples) < maxSamples {
		s.samples = append(s.samples, route+": "+msg)
	}
	s.mu.Unlock()
}

func (s *stats) callDone() {
	s.mu.Lock()
	s.calls++
	s.mu.Unlock()
}

// RouteSummary is the page times of one route, in milliseconds.
type RouteSummary struct {
	Count  int     `json:"count"`
	Errors int     `json:"errors"`
	P50    float64 `json:"p50_ms"`
	P95    float64 `json:"p95_ms"`
	P99    float64 `json:"p99_ms"`
	Max    float64 `json:"max_ms"`
}

// Summary is what the load test prints.
type Summary struct {
	Target         string       `json:"target"`
	Users          int          `json:"users"`
	DurationS      float64      `json:"duration_s"`
	ElapsedS       float64      `json:"elapsed_s"`
	Think          string       `json:"think"`
	BcryptCost     int          `json:"bcrypt_cost,omitempty"`
	Store          string       `json:"store,omitempty"`
	CallsCompleted int          `json:"calls_completed"`
	Requests       int          `json:"requests"`
	RequestsPerS   float64      `json:"requests_per_s"`
	Errors         int          `json:"errors"`
	ErrorSamples   []string     `json:"error_samples,omitempty"`
	All            RouteSummary `json:"all_pages"`
	// Calls is every page but the sign-in (GET /login, POST /login and
	// the redirect to the home page): the pages of the calls themselves.
	Calls  RouteSummary            `json:"call_pages"`
	Routes map[string]RouteSummary `json:"routes"`
}

func (s *stats) summary() Summary {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := Summary{Routes: map[string]RouteSummary{}, CallsCompleted: s.calls, ErrorSamples: slices.Clone(s.samples)}
	var every, calls []time.Duration
	routes := make([]string, 0, len(s.times))
	for r := range s.times {
		routes = append(routes, r)
	}
	for r := range s.errors {
		if _, ok := s.times[r]; !ok {
			routes = append(routes, r)
		}
	}
	sort.Strings(routes)
	for _, r := range routes {
		ts := s.times[r]
		every = append(every, ts...)
		if !signInRoutes[r] {
			calls = append(calls, ts...)
		}
		rs := summarize(ts)
		rs.Errors = s.errors[r]
		out.Routes[r] = rs
		out.Requests += len(ts)
		out.Errors += s.errors[r]
	}
	out.All = summarize(every)
	out.All.Errors = out.Errors
	out.Calls = summarize(calls)
	for r, n := range s.errors {
		if !signInRoutes[r] {
			out.Calls.Errors += n
		}
	}
	return out
}

// signInRoutes are the requests of signing in, once per teleadvisor.
var signInRoutes = map[string]bool{"GET /login": true, "POST /login": true, "GET /": true}

// summarize gives the count and the nearest-rank percentiles of ts.
func summarize(ts []time.Duration) RouteSummary {
	if len(ts) == 0 {
		return RouteSummary{}
	}
	sorted := slices.Clone(ts)
	slices.Sort(sorted)
	return RouteSummary{Count: len(ts), P50: ms(percentile(sorted, 50)), P95: ms(percentile(sorted, 95)),
		P99: ms(percentile(sorted, 99)), Max: ms(sorted[len(sorted)-1])}
}

// percentile is the nearest-rank percentile p of sorted (ascending).
func percentile(sorted []time.Duration, p float64) time.Duration {
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	if rank < 1 {
		rank = 1
	}
	return sorted[rank-1]
}

func ms(d time.Duration) float64 { return math.Round(float64(d)/float64(time.Millisecond)*100) / 100 }
