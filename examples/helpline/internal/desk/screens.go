package desk

import (
	"net/http"
	"time"
)

// deskRoutes registers the screens of teleadvisors and ambassadors and
// their JSON API.
func (s *Server) deskRoutes(mux *http.ServeMux) {}

// callStore keeps the calls in progress.
type callStore struct{ now func() time.Time }

func newCallStore(now func() time.Time) *callStore { return &callStore{now: now} }
