package desk

import "net/http"

// coordinatorRoutes registers the coordinator's screens (/coverage,
// /report and their API). H2 owns this file and coordinator*.go,
// templates/coordinator*.html and templates/report*.html; see HANDOFF.md.
func (s *Server) coordinatorRoutes(mux *http.ServeMux) {}
